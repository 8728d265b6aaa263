package io.jpod.oci.conmon.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import jnr.ffi.LibraryLoader;
import jnr.ffi.LibraryOption;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;

/**
 * A client of a unix SOCK_SEQPACKET socket (conmon's attach sockets), through libc: Java's channels know only
 * stream and datagram unix sockets. Each {@link #read} returns one packet. Paths longer than sun_path's 108
 * bytes are reached through {@code /proc/self/fd/<dir fd>/<name>}, as conmon binds them.
 */
final class SeqPacketSocket implements AutoCloseable {

    /** The libc calls used; public for jnr-ffi, which implements it. */
    public interface LibC {
        int socket(int domain, int type, int protocol);

        int connect(int fd, @In byte[] addr, int len);

        @ssize_t long read(int fd, @Out byte[] buf, @size_t long count);

        @ssize_t long write(int fd, @In byte[] buf, @size_t long count);

        int shutdown(int fd, int how);

        int close(int fd);

        int open(String path, int flags);

        int poll(@In @Out byte[] fds, long nfds, int timeout);
    }

    private static final int AF_UNIX = 1, SOCK_SEQPACKET = 5, SOCK_CLOEXEC = 0x80000;
    private static final int O_PATH = 0x200000, O_CLOEXEC = 0x80000;
    static final int SHUT_WR = 1, SHUT_RDWR = 2;
    private static final int POLLIN = 1, SUN_PATH = 108;

    private static volatile LibC libc;

    private final Object closing = new Object();
    private final int fd;
    private boolean closed;

    private SeqPacketSocket(int fd) {
        this.fd = fd;
    }

    static LibC libc() {
        LibC l = libc;
        if (l == null) {
            synchronized (SeqPacketSocket.class) {
                if (libc == null) {
                    libc = LibraryLoader.create(LibC.class).option(LibraryOption.SaveError, true).load("c");
                }
                l = libc;
            }
        }
        return l;
    }

    private static String errno() {
        jnr.ffi.Runtime rt = jnr.ffi.Runtime.getSystemRuntime();
        int e = rt.getLastError();
        return "errno " + e;
    }

    /** Connects to the socket at {@code path}. */
    static SeqPacketSocket connect(Path path) throws IOException {
        LibC c = libc();
        int fd = c.socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
        if (fd < 0) {
            throw new IOException("cannot make a unix socket: " + errno());
        }
        int dir = -1;
        try {
            String target = path.toString();
            if (target.getBytes(StandardCharsets.UTF_8).length >= SUN_PATH) {
                dir = c.open(path.getParent().toString(), O_PATH | O_CLOEXEC);
                if (dir < 0) {
                    throw new IOException("cannot open " + path.getParent() + ": " + errno());
                }
                target = "/proc/self/fd/" + dir + "/" + path.getFileName();
            }
            byte[] name = target.getBytes(StandardCharsets.UTF_8);
            byte[] addr = new byte[2 + name.length + 1];
            addr[0] = (byte) AF_UNIX; // sa_family_t, little-endian on the platforms jpod runs on
            System.arraycopy(name, 0, addr, 2, name.length);
            if (c.connect(fd, addr, addr.length) != 0) {
                throw new IOException("cannot connect to " + path + ": " + errno());
            }
            return new SeqPacketSocket(fd);
        } catch (IOException | RuntimeException e) {
            c.close(fd);
            throw e;
        } finally {
            if (dir >= 0) {
                c.close(dir);
            }
        }
    }

    /**
     * One packet into {@code buf}: its length, 0 at the end of the stream, -1 when nothing came within
     * {@code timeoutMillis} (so that a reader can look at its interrupt flag).
     */
    int read(byte[] buf, int timeoutMillis) throws IOException {
        byte[] pfd = new byte[8];
        pfd[0] = (byte) fd;
        pfd[1] = (byte) (fd >> 8);
        pfd[2] = (byte) (fd >> 16);
        pfd[3] = (byte) (fd >> 24);
        pfd[4] = POLLIN;
        int ready = libc().poll(pfd, 1, timeoutMillis);
        if (ready == 0) {
            return -1;
        }
        if (ready < 0) {
            int e = jnr.ffi.Runtime.getSystemRuntime().getLastError();
            if (e == 4) { // EINTR
                return -1;
            }
            throw new IOException("poll: errno " + e);
        }
        long n = libc().read(fd, buf, buf.length);
        if (n < 0) {
            int e = jnr.ffi.Runtime.getSystemRuntime().getLastError();
            if (e == 4 || e == 11) { // EINTR, EAGAIN
                return -1;
            }
            if (e == 104) { // ECONNRESET: conmon went away
                return 0;
            }
            throw new IOException("read: errno " + e);
        }
        return (int) n;
    }

    /** Writes all of {@code len} bytes of {@code buf}. */
    void write(byte[] buf, int len) throws IOException {
        int off = 0;
        while (off < len) {
            byte[] chunk = off == 0 && len == buf.length ? buf : java.util.Arrays.copyOfRange(buf, off, len);
            long n;
            synchronized (closing) {
                if (closed) {
                    throw new IOException("socket closed");
                }
                n = libc().write(fd, chunk, chunk.length);
            }
            if (n < 0) {
                throw new IOException("write: " + errno());
            }
            off += (int) n;
        }
    }

    /** Ends one or both directions; a blocked write fails. */
    void shutdown(int how) {
        libc().shutdown(fd, how);
    }

    @Override
    public void close() {
        shutdown(SHUT_RDWR);
        synchronized (closing) {
            if (!closed) {
                closed = true;
                libc().close(fd);
            }
        }
    }
}
