package io.jpod.runtime.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import io.jpod.api.ContainerFiles.PathStat;
import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;
import io.jpod.api.Mount;
import io.jpod.util.internal.FileTrees;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * Paths in a container resolved inside it, a path archived as docker's endpoint gives it, and a client's hostile
 * tar extracted into a container, on a real directory tree standing for a root filesystem and a volume.
 */
public class ContainerCopyTest {
    private Path tmp;
    private Path rootfs;
    private Path hostEtc;
    private Path volume;
    private ContainerRoot root;

    @Before
    public void setUp() throws IOException {
        tmp = Files.createTempDirectory("jpod-copy-test");
        rootfs = Files.createDirectories(tmp.resolve("rootfs"));
        // what a link out of the root would reach on a careless host: it must stay untouched
        hostEtc = Files.createDirectories(tmp.resolve("etc"));
        Files.writeString(hostEtc.resolve("passwd"), "host\n");
        Files.createDirectories(rootfs.resolve("etc"));
        Files.writeString(rootfs.resolve("etc/passwd"), "root:x:0:0::/root:/bin/sh\napp:x:1000:1001::/:/bin/sh\n");
        Files.createDirectories(rootfs.resolve("d/sub"));
        Files.writeString(rootfs.resolve("d/f"), "hello");
        Files.writeString(rootfs.resolve("d/sub/g"), "deep");
        Files.createSymbolicLink(rootfs.resolve("d/toroot"), Path.of("/"));
        Files.createSymbolicLink(rootfs.resolve("d/up"), Path.of("../../../../etc"));
        Files.createSymbolicLink(rootfs.resolve("d/abs"), Path.of("/etc/passwd"));
        Files.createDirectories(rootfs.resolve("data"));
        volume = Files.createDirectories(tmp.resolve("volume"));
        Files.writeString(volume.resolve("in-volume"), "vol");
        root = new ContainerRoot("c1", rootfs, List.of(new Mount("volume", "v1", "/data", List.of("rw")),
                new Mount("bind", hostEtc.toString(), "/ro", List.of("ro")), new Mount("tmpfs", "tmpfs", "/run",
                        List.of())), false, v -> volume.toString(), () -> { });
    }

    @After
    public void tearDown() throws IOException {
        FileTrees.delete(tmp);
    }

    private CopyPaths resolve(String path) {
        return CopyPaths.resolve(root, path, "c1");
    }

    @Test
    public void aLinkToTheRootLeadsToTheContainersRoot() throws IOException {
        assertEquals(rootfs.resolve("etc/passwd"), resolve("/d/toroot/etc/passwd").host());
        assertEquals(rootfs.resolve("etc/passwd"), resolve("/d/up/passwd").host());
        assertEquals(rootfs.resolve("etc/passwd"), resolve("../../../d/toroot/../../etc/passwd").host());
        // the last component is not followed: the stat is the link's, its target as the container sees it
        PathStat st = PathStats.stat(resolve("/d/abs"));
        assertTrue(st.isSymbolicLink());
        assertEquals("abs", st.name());
        assertEquals("/etc/passwd", st.linkTarget());
        assertEquals("/", PathStats.stat(resolve("/d/toroot")).linkTarget());
        assertEquals("/etc", PathStats.stat(resolve("/d/up")).linkTarget());
        // with a trailing slash it is followed
        assertTrue(PathStats.stat(resolve("/d/up/")).isDirectory());
        assertEquals(rootfs.resolve("etc"), resolve("/d/up/").host());
    }

    @Test
    public void missingPathsAndMountsAreTold() {
        JpodException e = expect(() -> resolve("/d/nope"));
        assertEquals(ErrorCode.NO_SUCH_PATH, e.code());
        assertEquals("Could not find the file /d/nope in container c1", e.getMessage());
        assertEquals(ErrorCode.NO_SUCH_PATH, expect(() -> resolve("/d/f/x")).code());
        assertEquals(ErrorCode.INVALID_ARG, expect(() -> resolve("/d/f/")).code());
        assertEquals(ErrorCode.INVALID_ARG, expect(() -> resolve("/run/x")).code());
        assertEquals(ErrorCode.INVALID_ARG, expect(() -> resolve("")).code());
    }

    @Test
    public void pathsInAVolumeAreTheVolumes() throws IOException {
        CopyPaths p = resolve("/data/in-volume");
        assertEquals(volume.resolve("in-volume"), p.host());
        assertEquals("/data", p.location().mountDest());
        assertEquals(volume, resolve("/data").host());
        assertTrue(resolve("/ro/passwd").location().readOnly());
    }

    @Test
    public void aDirectoryIsArchivedUnderItsNameAndItsContentsWithSlashDot() throws IOException {
        Files.setLastModifiedTime(rootfs.resolve("d/f"), FileTime.fromMillis(1_600_000_000_000L));
        Files.setAttribute(rootfs.resolve("d/f"), "unix:uid", 1000, LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(rootfs.resolve("d/f"), "unix:mode", 04750, LinkOption.NOFOLLOW_LINKS);
        Files.createLink(rootfs.resolve("d/sub/hard"), rootfs.resolve("d/f"));
        Map<String, TarArchiveEntry> entries = entries(archive("/d"));
        assertEquals(List.of("d/", "d/abs", "d/f", "d/sub/", "d/sub/g", "d/sub/hard", "d/toroot", "d/up"),
                new ArrayList<>(entries.keySet()));
        TarArchiveEntry f = entries.get("d/f");
        assertEquals(04750, f.getMode());
        assertEquals(1000, f.getLongUserId());
        assertEquals(1_600_000_000_000L, f.getModTime().getTime());
        assertEquals("/", entries.get("d/toroot").getLinkName());
        assertTrue(entries.get("d/sub/hard").isLink());
        assertEquals("d/f", entries.get("d/sub/hard").getLinkName());
        assertEquals(List.of("./", "./abs", "./f", "./sub/", "./sub/g", "./sub/hard", "./toroot", "./up"),
                new ArrayList<>(entries(archive("/d/.")).keySet()));
        // a link named without a slash is archived as the link, never what it leads to
        assertEquals(List.of("toroot"), new ArrayList<>(entries(archive("/d/toroot")).keySet()));
    }

    @Test
    public void aTarIsExtractedWithItsOwnersModesTimesAndLinks() throws IOException {
        byte[] tar = tar(t -> {
            dir(t, "new/", 0750, 5, 6);
            file(t, "new/x", "data", 0640, 7, 8);
            link(t, "new/l", "x");
            link(t, "new/abs", "/etc/passwd");
        });
        extract(tar, "/d", null);
        Path x = rootfs.resolve("d/new/x");
        assertEquals("data", Files.readString(x));
        assertEquals(0640, (int) Files.getAttribute(x, "unix:mode") & 07777);
        assertEquals(7, Files.getAttribute(x, "unix:uid"));
        assertEquals(8, Files.getAttribute(x, "unix:gid"));
        assertEquals(1_500_000_000_000L, Files.getLastModifiedTime(x).toMillis());
        assertEquals(0750, (int) Files.getAttribute(rootfs.resolve("d/new"), "unix:mode") & 07777);
        assertEquals(Path.of("x"), Files.readSymbolicLink(rootfs.resolve("d/new/l")));
        assertEquals(Path.of("/etc/passwd"), Files.readSymbolicLink(rootfs.resolve("d/new/abs")));
        // copyUIDGID: the container's user
        extract(tar(t -> file(t, "owned", "o", 0600, 7, 8)), "/d", new ArchiveExtractor.Owner(1000, 1001));
        assertEquals(1000, Files.getAttribute(rootfs.resolve("d/owned"), "unix:uid"));
        assertEquals(1001, Files.getAttribute(rootfs.resolve("d/owned"), "unix:gid"));
        assertEquals(new ArchiveExtractor.Owner(1000, 1001), CopyOwner.of(rootfs, "app"));
        assertEquals(new ArchiveExtractor.Owner(0, 0), CopyOwner.of(rootfs, ""));
        assertEquals(new ArchiveExtractor.Owner(5, 9), CopyOwner.of(rootfs, "5:9"));
    }

    @Test
    public void entriesThatClimbOutAreRefused() throws IOException {
        assertRefused(tar(t -> file(t, "../x", "out", 0644, 0, 0)), "leads outside the destination");
        assertRefused(tar(t -> file(t, "a/../../x", "out", 0644, 0, 0)), "leads outside the destination");
        assertRefused(tar(t -> link(t, "rel", "../../etc")), "leads outside the destination");
        assertRefused(tar(t -> hardLink(t, "h", "../etc/passwd")), "leads outside the destination");
        assertFalse(Files.exists(rootfs.resolve("x")));
        assertFalse(Files.exists(tmp.resolve("x")));
    }

    @Test
    public void aFileIsNeverWrittenThroughALinkTheArchiveMade() throws IOException {
        assertRefused(tar(t -> {
            link(t, "evil", "/etc");
            file(t, "evil/passwd", "owned", 0644, 0, 0);
        }), "through the symbolic link evil");
        assertEquals("host\n", Files.readString(hostEtc.resolve("passwd")));
        assertTrue(Files.readString(rootfs.resolve("etc/passwd")).startsWith("root:"));
    }

    @Test
    public void linksAlreadyInTheContainerLeadInsideIt() throws IOException {
        // the container's own link to / and to ../../../../etc: the files land in its root, never the host's
        extract(tar(t -> file(t, "toroot/etc/dropped", "in", 0644, 0, 0)), "/d", null);
        extract(tar(t -> file(t, "up/dropped2", "in", 0644, 0, 0)), "/d", null);
        assertEquals("in", Files.readString(rootfs.resolve("etc/dropped")));
        assertEquals("in", Files.readString(rootfs.resolve("etc/dropped2")));
        assertFalse(Files.exists(hostEtc.resolve("dropped")));
        assertFalse(Files.exists(hostEtc.resolve("dropped2")));
        // an entry over a link replaces the link, it does not write through it
        extract(tar(t -> file(t, "abs", "replaced", 0644, 0, 0)), "/d", null);
        assertFalse(Files.isSymbolicLink(rootfs.resolve("d/abs")));
        assertTrue(Files.readString(rootfs.resolve("etc/passwd")).startsWith("root:"));
    }

    @Test
    public void noOverwriteDirNonDirKeepsDirectories() throws IOException {
        assertRefused(tar(t -> file(t, "sub", "x", 0644, 0, 0)), "cannot overwrite directory");
        assertTrue(Files.isDirectory(rootfs.resolve("d/sub")));
        assertRefused(tar(t -> dir(t, "f/", 0755, 0, 0)), "cannot overwrite non-directory");
        assertEquals("hello", Files.readString(rootfs.resolve("d/f")));
    }

    @Test
    public void garbageIsNoTar() {
        JpodException e = expect(() -> {
            byte[] garbage = new byte[2048];
            java.util.Arrays.fill(garbage, (byte) 'x');
            extract(garbage, "/d", null);
            return null;
        });
        assertEquals(ErrorCode.INVALID_ARG, e.code());
    }

    // -- helpers

    private void extract(byte[] tar, String dest, ArchiveExtractor.Owner owner) throws IOException {
        CopyPaths p = CopyPaths.resolve(root, dest, "c1", true);
        ArchiveExtractor.extract(new ByteArrayInputStream(tar), p.location().root(), p.host(), owner, true);
    }

    private void assertRefused(byte[] tar, String why) {
        JpodException e = expect(() -> {
            extract(tar, "/d", null);
            return null;
        });
        assertEquals(e.getMessage(), ErrorCode.INVALID_ARG, e.code());
        assertTrue(e.getMessage(), e.getMessage().contains(why));
    }

    private byte[] archive(String path) throws IOException {
        CopyPaths p = resolve(path);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PathArchive.write(p.host(), p.name(), out);
        return out.toByteArray();
    }

    private static Map<String, TarArchiveEntry> entries(byte[] tar) throws IOException {
        Map<String, TarArchiveEntry> out = new java.util.LinkedHashMap<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar))) {
            TarArchiveEntry e;
            while ((e = in.getNextEntry()) != null) {
                out.put(e.getName(), e);
            }
        }
        return out;
    }

    interface Body {
        void write(TarArchiveOutputStream t) throws IOException;
    }

    interface Call<T> {
        T call() throws IOException;
    }

    private static JpodException expect(Call<?> c) {
        try {
            c.call();
        } catch (JpodException e) {
            return e;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        fail("no error");
        return null;
    }

    private static byte[] tar(Body body) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TarArchiveOutputStream t = new TarArchiveOutputStream(out)) {
            body.write(t);
        }
        return out.toByteArray();
    }

    private static void dir(TarArchiveOutputStream t, String name, int mode, int uid, int gid) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_DIR);
        e.setMode(mode);
        e.setUserId(uid);
        e.setGroupId(gid);
        t.putArchiveEntry(e);
        t.closeArchiveEntry();
    }

    private static void file(TarArchiveOutputStream t, String name, String data, int mode, int uid, int gid)
            throws IOException {
        byte[] b = data.getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_NORMAL, true);
        e.setSize(b.length);
        e.setMode(mode);
        e.setUserId(uid);
        e.setGroupId(gid);
        e.setModTime(FileTime.fromMillis(1_500_000_000_000L));
        t.putArchiveEntry(e);
        t.write(b);
        t.closeArchiveEntry();
    }

    private static void link(TarArchiveOutputStream t, String name, String target) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_SYMLINK, true);
        e.setLinkName(target);
        t.putArchiveEntry(e);
        t.closeArchiveEntry();
    }

    private static void hardLink(TarArchiveOutputStream t, String name, String target) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_LINK, true);
        e.setLinkName(target);
        t.putArchiveEntry(e);
        t.closeArchiveEntry();
    }
}
