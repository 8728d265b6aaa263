package io.jpod.linux;

import io.jpod.linux.internal.LibC;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The Linux system calls Java lacks, through libc (jnr-ffi): mounts, device nodes and FIFOs, owners of
 * symbolic links, extended attributes of any namespace (trusted.* included, which Java's
 * UserDefinedFileAttributeView cannot reach), a terminal's size, a FIFO opened without blocking.
 *
 * <p>Each call that fails throws an {@link ErrnoException} whose message names the call, the path and
 * strerror(errno), as {@code mknod /x/y: File exists}. jnr-ffi is loaded on the first call, not before.
 * Paths reach the kernel as Java's own file operations pass them (the JVM's {@code sun.jnu.encoding}).
 */
public final class Linux {
    // errno values (asm-generic, the same on x86_64 and aarch64)
    public static final int EPERM = 1, ENOENT = 2, EINTR = 4, ENXIO = 6, EAGAIN = 11, EACCES = 13, EBUSY = 16,
            EEXIST = 17, ENOTDIR = 20, EINVAL = 22, ENOTTY = 25, ERANGE = 34, ENODATA = 61, ENOTSUP = 95,
            ECONNRESET = 104;

    // mount(2) flags
    public static final long MS_RDONLY = 1, MS_NOSUID = 2, MS_NODEV = 4, MS_NOEXEC = 8, MS_REMOUNT = 32,
            MS_BIND = 4096, MS_REC = 16384, MS_PRIVATE = 1 << 18;

    // umount2(2) flags
    public static final int MNT_FORCE = 1, MNT_DETACH = 2, MNT_EXPIRE = 4, UMOUNT_NOFOLLOW = 8;

    // file types for mknod(2)
    public static final int S_IFIFO = 0010000, S_IFCHR = 0020000, S_IFBLK = 0060000;

    // setxattr(2) flags
    public static final int XATTR_CREATE = 1, XATTR_REPLACE = 2;

    static final int O_RDONLY = 0, O_WRONLY = 1, O_NOCTTY = 0400, O_NONBLOCK = 04000, O_CLOEXEC = 02000000,
            O_PATH = 010000000;
    private static final int CLONE_FS = 0x200;
    private static final long TIOCGWINSZ = 0x5413;
    private static final Charset PATHS = pathCharset();

    private Linux() {
    }

    private static Charset pathCharset() {
        try {
            return Charset.forName(System.getProperty("sun.jnu.encoding", "UTF-8"));
        } catch (RuntimeException e) {
            return StandardCharsets.UTF_8;
        }
    }

    static LibC libc() {
        return LibC.get();
    }

    static int errno() {
        return LibC.Holder.errno();
    }

    /** {@code s} as a NUL-terminated C string; null stays null (a NULL pointer). */
    static byte[] cstr(String s) {
        if (s == null) {
            return null;
        }
        byte[] b = s.getBytes(PATHS);
        for (byte x : b) {
            if (x == 0) {
                throw new IllegalArgumentException("a NUL byte in \"" + s.replace("\0", "\\0") + "\"");
            }
        }
        byte[] out = new byte[b.length + 1];
        System.arraycopy(b, 0, out, 0, b.length);
        return out;
    }

    static byte[] cstr(Path p) {
        return cstr(p.toString());
    }

    /** The errno's text, as strerror(3) gives it. */
    public static String strerror(int errno) {
        String s = libc().strerror(errno);
        return s == null || s.isEmpty() ? "errno " + errno : s;
    }

    static ErrnoException fail(String call, Object target) {
        int e = errno();
        return new ErrnoException(call, target == null ? null : target.toString(), e, strerror(e));
    }

    // ------------------------------------------------------------------------------------------------ mounts

    /**
     * mount(2): {@code source} (a device, or a name such as {@code overlay} or {@code tmpfs}) of file system
     * type {@code fsType} on {@code target}, with {@code flags} (MS_*) and the file system's {@code data}
     * (its options; null for none).
     */
    public static void mount(String source, Path target, String fsType, long flags, String data) throws IOException {
        if (libc().mount(cstr(source), cstr(target), cstr(fsType), flags, cstr(data)) != 0) {
            throw fail("mount", target);
        }
    }

    /**
     * As {@link #mount(String, Path, String, long, String)}, with relative paths in {@code source} and
     * {@code data} (an overlay's short {@code lowerdir=l/A:l/B}, kept short to stay under the kernel's page
     * limit for options) resolved against {@code dir}. The call is made on a thread of its own that has
     * unshared its working directory from the process's (unshare(CLONE_FS)) and changed it to {@code dir}:
     * the JVM's working directory, which every other thread shares, never changes.
     */
    public static void mount(Path dir, String source, Path target, String fsType, long flags, String data)
            throws IOException {
        IOException[] failure = new IOException[1];
        RuntimeException[] crash = new RuntimeException[1];
        Thread t = new Thread(() -> {
            try {
                if (libc().unshare(CLONE_FS) != 0) {
                    throw fail("unshare(CLONE_FS) for a mount in", dir);
                }
                if (libc().chdir(cstr(dir)) != 0) {
                    throw fail("chdir", dir);
                }
                mount(source, target, fsType, flags, data);
            } catch (IOException e) {
                failure[0] = e;
            } catch (RuntimeException e) {
                crash[0] = e;
            }
        }, "jpod-mount");
        t.setDaemon(true);
        t.start();
        boolean interrupted = false;
        while (true) {
            try {
                t.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true; // the mount is under way: it finishes either way, and we say how
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (crash[0] != null) {
            throw crash[0];
        }
        if (failure[0] != null) {
            throw failure[0];
        }
    }

    /** umount2(2): unmounts {@code target}; {@code flags} such as {@link #MNT_DETACH} (0 for a plain umount). */
    public static void umount(Path target, int flags) throws IOException {
        if (libc().umount2(cstr(target), flags) != 0) {
            throw fail("umount", target);
        }
    }

    // ------------------------------------------------------------------------------------------------ files

    /** The device number of {@code major:minor}, as glibc's makedev(3). */
    public static long makedev(int major, int minor) {
        long ma = Integer.toUnsignedLong(major), mi = Integer.toUnsignedLong(minor);
        return ((ma & 0xfffff000L) << 32) | ((ma & 0xfffL) << 8) | ((mi & 0xffffff00L) << 12) | (mi & 0xffL);
    }

    /** mknod(2): a node of type and permissions {@code mode} (S_IFCHR|0644...), less the umask. */
    public static void mknod(Path path, int mode, long dev) throws IOException {
        if (libc().mknod(cstr(path), mode, dev) != 0) {
            throw fail("mknod", path);
        }
    }

    /** An overlay whiteout: a character device 0:0 with mode 0. */
    public static void whiteout(Path path) throws IOException {
        mknod(path, S_IFCHR, makedev(0, 0));
    }

    /** mkfifo(3): a FIFO with permissions {@code mode}, less the umask ({@link #chmod} sets them exactly). */
    public static void mkfifo(Path path, int mode) throws IOException {
        if (libc().mkfifo(cstr(path), mode) != 0) {
            throw fail("mkfifo", path);
        }
    }

    /** chmod(2), set-user-ID, set-group-ID and sticky bits included (following a symbolic link). */
    public static void chmod(Path path, int mode) throws IOException {
        if (libc().chmod(cstr(path), mode) != 0) {
            throw fail("chmod", path);
        }
    }

    /** lchown(2): the owner of {@code path} itself, a symbolic link's own when it is one. */
    public static void lchown(Path path, long uid, long gid) throws IOException {
        if (libc().lchown(cstr(path), (int) uid, (int) gid) != 0) {
            throw fail("lchown", path);
        }
    }

    /** lsetxattr(2): sets attribute {@code name} (namespace included: trusted.x, user.y) of {@code path}. */
    public static void lsetxattr(Path path, String name, byte[] value, int flags) throws IOException {
        if (libc().lsetxattr(cstr(path), cstr(name), value, value.length, flags) != 0) {
            throw fail("lsetxattr " + name + " on", path);
        }
    }

    /** lgetxattr(2): the value of attribute {@code name} of {@code path}, null when it has none (ENODATA). */
    public static byte[] lgetxattr(Path path, String name) throws IOException {
        byte[] p = cstr(path), n = cstr(name);
        byte[] buf = new byte[256];
        for (int attempt = 0; attempt < 8; attempt++) {
            long len = libc().lgetxattr(p, n, buf, buf.length);
            if (len >= 0) {
                return java.util.Arrays.copyOf(buf, (int) len);
            }
            int e = errno();
            if (e == ENODATA) {
                return null;
            }
            if (e != ERANGE) {
                throw new ErrnoException("lgetxattr " + name + " of", path.toString(), e, strerror(e));
            }
            long size = libc().lgetxattr(p, n, null, 0);
            if (size < 0) {
                throw fail("lgetxattr " + name + " of", path);
            }
            buf = new byte[(int) Math.max(size, buf.length * 2L)];
        }
        throw new ErrnoException("lgetxattr " + name + " of", path.toString(), ERANGE, strerror(ERANGE));
    }

    /**
     * Writes {@code bytes} to the FIFO {@code fifo}, opened without blocking: a FIFO nobody reads is an
     * error (ENXIO, from the open) instead of a writer waiting forever. The call of an ErrnoException says
     * which step failed: {@code open} or {@code write}.
     */
    public static void writeFifo(Path fifo, byte[] bytes) throws IOException {
        LibC c = libc();
        int fd = c.open(cstr(fifo), O_WRONLY | O_NONBLOCK | O_CLOEXEC, 0);
        if (fd < 0) {
            throw fail("open", fifo);
        }
        try {
            long n = c.write(fd, bytes, bytes.length);
            if (n < 0) {
                throw fail("write", fifo);
            }
            if (n != bytes.length) {
                throw new ErrnoException("write", fifo.toString(), EAGAIN, "only " + n + " of " + bytes.length
                        + " bytes written");
            }
        } finally {
            c.close(fd);
        }
    }

    // ------------------------------------------------------------------------------------------------ terminals

    /** ioctl(TIOCGWINSZ) on file descriptor {@code fd} (0 for stdin): the size of the terminal it is. */
    public static WindowSize windowSize(int fd) throws IOException {
        byte[] ws = new byte[8]; // struct winsize: unsigned short ws_row, ws_col, ws_xpixel, ws_ypixel
        if (libc().ioctl(fd, TIOCGWINSZ, ws) != 0) {
            throw fail("ioctl(TIOCGWINSZ) on", "file descriptor " + fd);
        }
        return new WindowSize((ws[0] & 0xff) | (ws[1] & 0xff) << 8, (ws[2] & 0xff) | (ws[3] & 0xff) << 8);
    }

    /** The size of the terminal at {@code tty} (e.g. {@code /dev/tty}, the process's own terminal). */
    public static WindowSize windowSize(Path tty) throws IOException {
        LibC c = libc();
        int fd = c.open(cstr(tty), O_RDONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC, 0);
        if (fd < 0) {
            throw fail("open", tty);
        }
        try {
            byte[] ws = new byte[8];
            if (c.ioctl(fd, TIOCGWINSZ, ws) != 0) {
                throw fail("ioctl(TIOCGWINSZ) on", tty);
            }
            return new WindowSize((ws[0] & 0xff) | (ws[1] & 0xff) << 8, (ws[2] & 0xff) | (ws[3] & 0xff) << 8);
        } finally {
            c.close(fd);
        }
    }
}
