package io.jpod.linux;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.junit.Assume.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** Real system calls (these machines are root; the root-only cases are skipped elsewhere). */
public class LinuxTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private static boolean root() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static Map<String, Object> lstat(Path p) throws IOException {
        return Files.readAttributes(p, "unix:mode,rdev,uid,gid", LinkOption.NOFOLLOW_LINKS);
    }

    private static void assertErrno(ErrnoException e, int errno, String call, Path path) {
        assertEquals(e.getMessage(), errno, e.errno());
        assertTrue(e.getMessage(), e.getMessage().startsWith(call));
        assertTrue(e.getMessage(), e.getMessage().contains(path.toString()));
        assertTrue(e.getMessage(), e.getMessage().endsWith(": " + Linux.strerror(errno)));
    }

    @Test
    public void mkfifoMakesAFifo() throws IOException {
        Path f = tmp.getRoot().toPath().resolve("fifo");
        Linux.mkfifo(f, 0600);
        Map<String, Object> a = lstat(f);
        assertEquals(Linux.S_IFIFO | 0600, a.get("mode"));
        Linux.chmod(f, 04755);
        assertEquals(Linux.S_IFIFO | 04755, lstat(f).get("mode"));
        try {
            Linux.mkfifo(f, 0600);
            fail();
        } catch (ErrnoException e) {
            assertErrno(e, Linux.EEXIST, "mkfifo", f);
            assertEquals("mkfifo " + f + ": File exists", e.getMessage());
        }
        Path missing = tmp.getRoot().toPath().resolve("no/such/dir/fifo");
        try {
            Linux.mkfifo(missing, 0600);
            fail();
        } catch (ErrnoException e) {
            assertErrno(e, Linux.ENOENT, "mkfifo", missing);
            assertEquals("mkfifo " + missing + ": No such file or directory", e.getMessage());
        }
    }

    @Test
    public void whiteoutIsACharDevice00() throws IOException {
        assumeTrue(root());
        Path w = tmp.getRoot().toPath().resolve("wh");
        Linux.whiteout(w);
        Map<String, Object> a = lstat(w);
        assertEquals(Linux.S_IFCHR, a.get("mode"));
        assertEquals(0L, a.get("rdev"));
        Path d = tmp.getRoot().toPath().resolve("dev");
        Linux.mknod(d, Linux.S_IFCHR | 0600, Linux.makedev(1, 3));
        assertEquals(Linux.makedev(1, 3), lstat(d).get("rdev"));
        assertEquals(0x103L, Linux.makedev(1, 3));
        assertEquals(0x1000L << 32 | 0x103L << 8 | 0x12L << 12 << 8 | 0x34, Linux.makedev(0x1103, 0x1234));
        try {
            Linux.whiteout(w);
            fail();
        } catch (ErrnoException e) {
            assertErrno(e, Linux.EEXIST, "mknod", w);
        }
    }

    @Test
    public void lchownChangesTheLinkItself() throws IOException {
        assumeTrue(root());
        Path target = tmp.newFile("target").toPath();
        Path link = tmp.getRoot().toPath().resolve("link");
        Files.createSymbolicLink(link, target);
        Linux.lchown(link, 1234, 5678);
        assertEquals(1234, lstat(link).get("uid"));
        assertEquals(5678, lstat(link).get("gid"));
        assertEquals(0, lstat(target).get("uid"));
        Path missing = tmp.getRoot().toPath().resolve("missing");
        try {
            Linux.lchown(missing, 0, 0);
            fail();
        } catch (ErrnoException e) {
            assertErrno(e, Linux.ENOENT, "lchown", missing);
        }
    }

    @Test
    public void trustedXattrsRoundTrip() throws IOException {
        assumeTrue(root());
        Path dir = tmp.newFolder("opq").toPath();
        Path file = tmp.newFile("f").toPath();
        assertNull(Linux.lgetxattr(dir, "trusted.overlay.opaque"));
        Linux.lsetxattr(dir, "trusted.overlay.opaque", "y".getBytes(StandardCharsets.US_ASCII), 0);
        assertArrayEquals("y".getBytes(StandardCharsets.US_ASCII), Linux.lgetxattr(dir, "trusted.overlay.opaque"));
        // a value longer than the first buffer
        byte[] big = new byte[3000];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) i;
        }
        Linux.lsetxattr(file, "trusted.jpod.test", big, 0);
        assertArrayEquals(big, Linux.lgetxattr(file, "trusted.jpod.test"));
        Linux.lsetxattr(file, "trusted.jpod.empty", new byte[0], 0);
        assertArrayEquals(new byte[0], Linux.lgetxattr(file, "trusted.jpod.empty"));
        try {
            Linux.lsetxattr(file, "trusted.jpod.test", big, Linux.XATTR_CREATE);
            fail();
        } catch (ErrnoException e) {
            assertErrno(e, Linux.EEXIST, "lsetxattr trusted.jpod.test on", file);
        }
        Path missing = tmp.getRoot().toPath().resolve("missing");
        try {
            Linux.lgetxattr(missing, "trusted.overlay.opaque");
            fail();
        } catch (ErrnoException e) {
            assertErrno(e, Linux.ENOENT, "lgetxattr trusted.overlay.opaque of", missing);
        }
        try {
            Linux.lsetxattr(missing, "trusted.overlay.opaque", new byte[] {'y'}, 0);
            fail();
        } catch (ErrnoException e) {
            assertErrno(e, Linux.ENOENT, "lsetxattr", missing);
        }
    }

    @Test
    public void mountsATmpfsAndUnmountsIt() throws Exception {
        assumeTrue(root());
        Path mnt = tmp.newFolder("mnt").toPath();
        Linux.mount("tmpfs", mnt, "tmpfs", Linux.MS_NOSUID | Linux.MS_NODEV, "size=1m,mode=0700");
        try {
            assertTrue(mounted(mnt));
            Files.writeString(mnt.resolve("x"), "in the tmpfs");
            assertEquals(0700, (int) lstat(mnt).get("mode") & 07777);
        } finally {
            Linux.umount(mnt, 0);
        }
        assertFalse(mounted(mnt));
        assertFalse(Files.exists(mnt.resolve("x")));
        try {
            Linux.umount(mnt, 0);
            fail();
        } catch (ErrnoException e) {
            assertErrno(e, Linux.EINVAL, "umount", mnt);
        }
        // detached while a file in it is open
        Linux.mount("tmpfs", mnt, "tmpfs", 0, null);
        try (var out = Files.newOutputStream(mnt.resolve("busy"))) {
            Linux.umount(mnt, Linux.MNT_DETACH);
            assertFalse(mounted(mnt));
            out.write(1);
        }
        Path missing = tmp.getRoot().toPath().resolve("missing");
        try {
            Linux.mount("tmpfs", missing, "tmpfs", 0, null);
            fail();
        } catch (ErrnoException e) {
            assertErrno(e, Linux.ENOENT, "mount", missing);
        }
        try {
            Linux.umount(missing, Linux.MNT_DETACH);
            fail();
        } catch (ErrnoException e) {
            assertErrno(e, Linux.ENOENT, "umount", missing);
        }
    }

    @Test
    public void mountResolvesRelativeOptionsInItsDirectoryWithoutMovingTheJvm() throws Exception {
        assumeTrue(root() && Files.readString(Path.of("/proc/filesystems")).contains("overlay"));
        Path home = tmp.newFolder("home").toPath();
        for (String d : new String[] {"lower", "upper", "work", "merged"}) {
            Files.createDirectories(home.resolve(d));
        }
        Files.writeString(home.resolve("lower/from-lower"), "l");
        Path cwd = Path.of("").toAbsolutePath();
        String before = Files.readSymbolicLink(Path.of("/proc/self/cwd")).toString();
        Path merged = home.resolve("merged");
        Linux.mount(home, "overlay", merged, "overlay", 0, "lowerdir=lower,upperdir=upper,workdir=work");
        try {
            assertTrue(Files.exists(merged.resolve("from-lower")));
            assertEquals("the JVM's working directory stays", before,
                    Files.readSymbolicLink(Path.of("/proc/self/cwd")).toString());
            assertEquals(cwd, Path.of("").toAbsolutePath());
        } finally {
            Linux.umount(merged, 0);
        }
        try {
            Linux.mount(home, "overlay", merged, "overlay", 0, "lowerdir=nope,upperdir=upper,workdir=work");
            fail();
        } catch (ErrnoException e) {
            assertTrue(e.getMessage(), e.getMessage().startsWith("mount " + merged + ": "));
        }
        Path missing = home.resolve("missing");
        try {
            Linux.mount(missing, "overlay", merged, "overlay", 0, "lowerdir=lower,upperdir=upper,workdir=work");
            fail();
        } catch (ErrnoException e) {
            assertErrno(e, Linux.ENOENT, "chdir", missing);
        }
    }

    private static boolean mounted(Path p) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            String[] f = line.split(" ");
            if (f.length > 4 && f[4].equals(p.toString())) {
                return true;
            }
        }
        return false;
    }

    @Test
    public void windowSizeOfSomethingThatIsNoTerminal() throws IOException {
        Path file = tmp.newFile("not-a-tty").toPath();
        try {
            Linux.windowSize(file);
            fail();
        } catch (ErrnoException e) {
            assertErrno(e, Linux.ENOTTY, "ioctl(TIOCGWINSZ) on", file);
            assertEquals("ioctl(TIOCGWINSZ) on " + file + ": Inappropriate ioctl for device", e.getMessage());
        }
        Path missing = tmp.getRoot().toPath().resolve("missing");
        try {
            Linux.windowSize(missing);
            fail();
        } catch (ErrnoException e) {
            assertErrno(e, Linux.ENOENT, "open", missing);
        }
        try {
            Linux.windowSize(-1);
            fail();
        } catch (ErrnoException e) {
            assertEquals(e.getMessage(), 9, e.errno()); // EBADF
            assertTrue(e.getMessage(), e.getMessage().contains("file descriptor -1"));
        }
    }

    @Test
    public void writeFifoWithoutAReaderFailsInsteadOfBlocking() throws IOException {
        Path f = tmp.getRoot().toPath().resolve("ctl");
        Linux.mkfifo(f, 0600);
        try {
            Linux.writeFifo(f, new byte[] {'1'});
            fail();
        } catch (ErrnoException e) {
            assertEquals("open", e.call());
            assertErrno(e, Linux.ENXIO, "open", f);
        }
    }

    @Test
    public void badInputs() {
        try {
            Linux.lsetxattr(tmp.getRoot().toPath(), "trusted.a\0b", new byte[0], 0);
            fail();
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("NUL"));
        } catch (IOException e) {
            fail(e.toString());
        }
        try {
            Linux.lsetxattr(tmp.getRoot().toPath(), "nonamespace", new byte[] {1}, 0);
            fail();
        } catch (ErrnoException e) {
            assertEquals(e.getMessage(), Linux.ENOTSUP, e.errno());
        } catch (IOException e) {
            fail(e.toString());
        }
    }
}
