package io.jpod.rest.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.concurrent.CountDownLatch;

/**
 * The client's ends of an attach made before the client's connection is handed over: the engine attaches
 * (and may see output) before the 101 answer is sent, so that a client that starts the container right
 * after the 101 misses nothing. Output is buffered until {@link #connect} gives the connection; stdin
 * blocks until then.
 */
final class DeferredStreams {
    private final CountDownLatch connected = new CountDownLatch(1);
    private final Object lock = new Object();
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private OutputStream target;
    private InputStream source;

    /** Hands over the connection: what was buffered goes first. */
    void connect(InputStream in, OutputStream out) throws IOException {
        synchronized (lock) {
            pending.writeTo(out);
            out.flush();
            pending.reset();
            target = out;
            source = in;
        }
        connected.countDown();
    }

    final OutputStream output = new OutputStream() {
        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            synchronized (lock) {
                if (target == null) {
                    pending.write(b, off, len);
                } else {
                    target.write(b, off, len);
                }
            }
        }

        @Override
        public void flush() throws IOException {
            synchronized (lock) {
                if (target != null) {
                    target.flush();
                }
            }
        }
    };

    final InputStream input = new InputStream() {
        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                connected.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException();
            }
            return source.read(b, off, len);
        }
    };
}
