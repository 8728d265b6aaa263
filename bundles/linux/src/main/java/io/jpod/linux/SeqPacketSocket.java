package io.jpod.linux;

import io.jpod.linux.internal.LibC;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A client of a unix SOCK_SEQPACKET socket (conmon's attach sockets), through libc: Java's channels know only
 * stream and datagram unix sockets. Each {@link #read} returns one packet. Paths longer than sun_path's 108
 * bytes are reached through {@code /proc/self/fd/<dir fd>/<name>}, as conmon binds them.
 */
public final class SeqPacketSocket implements AutoCloseable {
    /** {@link #shutdown} directions. */
    public static final int SHUT_WR = 1, SHUT_RDWR = 2;

    private static final int AF_UNIX = 1, SOCK_SEQPACKET = 5, SOCK_CLOEXEC = 0x80000;
    private static final int POLLIN = 1, SUN_PATH = 108;

    private final Object closing = new Object();
    private final int fd;
    private boolean closed;

    private SeqPacketSocket(int fd) {
        this.fd = fd;
    }

    /** Connects to the socket at {@code path}. */
    public static SeqPacketSocket connect(Path path) throws IOException {
        LibC c = Linux.libc();
        int fd = c.socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
        if (fd < 0) {
            throw Linux.fail("socket(AF_UNIX, SOCK_SEQPACKET) for", path);
        }
        int dir = -1;
        try {
            String target = path.toString();
            if (target.getBytes(StandardCharsets.UTF_8).length >= SUN_PATH) {
                dir = c.open(Linux.cstr(path.getParent()), Linux.O_PATH | Linux.O_CLOEXEC, 0);
                if (dir < 0) {
                    throw Linux.fail("open", path.getParent());
                }
                target = "/proc/self/fd/" + dir + "/" + path.getFileName();
            }
            byte[] name = target.getBytes(StandardCharsets.UTF_8);
            byte[] addr = new byte[2 + name.length + 1];
            addr[0] = (byte) AF_UNIX; // sa_family_t, little-endian on the platforms jpod runs on
            System.arraycopy(name, 0, addr, 2, name.length);
            if (c.connect(fd, addr, addr.length) != 0) {
                throw Linux.fail("connect to", path);
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
     * One packet into {@code buf}: its length, 0 at the end of the stream (or when the peer went away),
     * -1 when nothing came within {@code timeoutMillis} (so that a reader can look at its interrupt flag).
     */
    public int read(byte[] buf, int timeoutMillis) throws IOException {
        LibC c = Linux.libc();
        byte[] pfd = new byte[8]; // struct pollfd: int fd, short events, short revents
        pfd[0] = (byte) fd;
        pfd[1] = (byte) (fd >> 8);
        pfd[2] = (byte) (fd >> 16);
        pfd[3] = (byte) (fd >> 24);
        pfd[4] = POLLIN;
        int ready = c.poll(pfd, 1, timeoutMillis);
        if (ready == 0) {
            return -1;
        }
        if (ready < 0) {
            int e = Linux.errno();
            if (e == Linux.EINTR) {
                return -1;
            }
            throw new ErrnoException("poll", null, e, Linux.strerror(e));
        }
        long n = c.read(fd, buf, buf.length);
        if (n < 0) {
            int e = Linux.errno();
            if (e == Linux.EINTR || e == Linux.EAGAIN) {
                return -1;
            }
            if (e == Linux.ECONNRESET) {
                return 0;
            }
            throw new ErrnoException("read", null, e, Linux.strerror(e));
        }
        return (int) n;
    }

    /** Writes all of {@code len} bytes of {@code buf}. */
    public void write(byte[] buf, int len) throws IOException {
        int off = 0;
        while (off < len) {
            byte[] chunk = off == 0 && len == buf.length ? buf : Arrays.copyOfRange(buf, off, len);
            long n;
            synchronized (closing) {
                if (closed) {
                    throw new IOException("socket closed");
                }
                n = Linux.libc().write(fd, chunk, chunk.length);
            }
            if (n < 0) {
                throw Linux.fail("write", null);
            }
            off += (int) n;
        }
    }

    /** Ends one ({@link #SHUT_WR}) or both ({@link #SHUT_RDWR}) directions; a blocked write fails. */
    public void shutdown(int how) {
        Linux.libc().shutdown(fd, how);
    }

    @Override
    public void close() {
        shutdown(SHUT_RDWR);
        synchronized (closing) {
            if (!closed) {
                closed = true;
                Linux.libc().close(fd);
            }
        }
    }
}
