package io.jpod.rest.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import org.eclipse.jetty.io.AbstractConnection;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.FutureCallback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection after a {@code 101 UPGRADED} answer to {@code Upgrade: tcp}: raw bytes both ways, as
 * Docker's attach and exec start hijack it. Jetty hands the endpoint over once the 101 is written; a
 * worker thread then runs the session with blocking streams over it. The client half-closes its side
 * when its stdin ends; the session ends the connection when the output ends.
 */
final class Hijack extends AbstractConnection implements Connection.UpgradeTo {
    private static final Logger LOG = LoggerFactory.getLogger(Hijack.class);

    /** What runs over the hijacked connection. */
    @FunctionalInterface
    interface Session {
        void run(InputStream in, OutputStream out) throws Exception;
    }

    private final Session session;
    private final Executor executor;
    private final String what;
    private volatile ByteBuffer leftover;

    Hijack(EndPoint endPoint, Executor executor, String what, Session session) {
        super(endPoint, executor);
        this.executor = executor;
        this.what = what;
        this.session = session;
    }

    @Override
    public void onUpgradeTo(ByteBuffer buffer) {
        // what the client sent after its request (stdin written at once) was read with it
        if (BufferUtil.hasContent(buffer)) {
            leftover = BufferUtil.copy(buffer);
        }
    }

    @Override
    public void onOpen() {
        super.onOpen();
        getEndPoint().setIdleTimeout(0);
        executor.execute(this::runSession);
    }

    @Override
    public void onFillable() {
        // reads happen on the session's thread
    }

    private void runSession() {
        EndPoint ep = getEndPoint();
        try (OutputStream out = new EndPointOutput(ep)) {
            session.run(new EndPointInput(ep, leftover), out);
        } catch (Exception e) {
            LOG.debug("{} ended: {}", what, e.toString());
        } finally {
            ep.close();
        }
    }

    private static final class EndPointInput extends InputStream {
        private final EndPoint ep;
        private ByteBuffer buf;
        private boolean eof;

        EndPointInput(EndPoint ep, ByteBuffer leftover) {
            this.ep = ep;
            this.buf = leftover != null ? leftover : BufferUtil.allocate(8192);
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            while (true) {
                if (buf.hasRemaining()) {
                    int n = Math.min(len, buf.remaining());
                    buf.get(b, off, n);
                    return n;
                }
                if (eof) {
                    return -1;
                }
                if (buf.capacity() < 8192) {
                    buf = BufferUtil.allocate(8192);
                }
                BufferUtil.clear(buf);
                int n = ep.fill(buf);
                if (n < 0) {
                    eof = true;
                    return -1;
                }
                if (n == 0) {
                    FutureCallback ready = new FutureCallback();
                    ep.fillInterested(ready);
                    try {
                        ready.get();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new InterruptedIOException();
                    } catch (ExecutionException e) {
                        throw new IOException(e.getCause());
                    }
                }
            }
        }
    }

    private static final class EndPointOutput extends OutputStream {
        private final EndPoint ep;

        EndPointOutput(EndPoint ep) {
            this.ep = ep;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return;
            }
            FutureCallback written = new FutureCallback();
            ep.write(written, ByteBuffer.wrap(b, off, len));
            try {
                written.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException();
            } catch (ExecutionException e) {
                throw new IOException(e.getCause());
            }
        }

        @Override
        public void close() {
            ep.shutdownOutput();
        }
    }
}
