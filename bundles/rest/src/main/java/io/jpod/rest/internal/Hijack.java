package io.jpod.rest.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import org.eclipse.jetty.io.AbstractConnection;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.FutureCallback;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection after a {@code 101 UPGRADED} answer to {@code Upgrade: tcp}: raw bytes both ways, as
 * Docker's attach and exec start hijack it. Jetty hands the endpoint over once the 101 is written; a
 * worker thread then runs the session with blocking streams over it. The client half-closes its side
 * when its stdin ends; the session ends the connection when the output ends.
 *
 * <p>A half-closed connection and a closed one read the same (end of input), so a client that is gone is
 * seen by a write that fails. Where the stream's format allows a write that shows nothing (an empty frame of
 * a multiplexed stream), one is sent when the stream has been quiet for {@link #HEARTBEAT_SECONDS}: a quiet
 * container's attach then ends soon after its client went, instead of when the container next writes.
 */
final class Hijack extends AbstractConnection implements Connection.UpgradeTo {
    private static final Logger LOG = LoggerFactory.getLogger(Hijack.class);

    /** What runs over the hijacked connection. */
    @FunctionalInterface
    interface Session {
        void run(InputStream in, OutputStream out) throws Exception;

        /** The connection was never taken over (its client went before the upgrade): end what the call began. */
        default void abandoned() {
        }
    }

    static final long HEARTBEAT_SECONDS = 2;
    /** How long a 101 may take to become a hijacked connection before its call counts as abandoned. */
    static final long OPEN_SECONDS = 20;

    private final Session session;
    private final Executor executor;
    private final String what;
    private final Scheduler scheduler;
    private final byte[] heartbeat;
    private final AtomicBoolean opened = new AtomicBoolean();
    private volatile ByteBuffer leftover;

    /** {@code heartbeat}: bytes that show the client nothing, written when the stream is quiet; null for none. */
    Hijack(EndPoint endPoint, Executor executor, Scheduler scheduler, byte[] heartbeat, String what,
            Session session) {
        super(endPoint, executor);
        this.executor = executor;
        this.scheduler = scheduler;
        this.heartbeat = heartbeat;
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
        if (!opened.compareAndSet(false, true)) {
            // abandoned already: what the session would have streamed has ended
            getEndPoint().close();
            return;
        }
        getEndPoint().setIdleTimeout(0);
        executor.execute(this::runSession);
    }

    /**
     * Watches for a connection that is never taken over: a client that went while its call waited for a thread
     * gets no upgrade, so no session and no heartbeat would ever end what the call started (an attach to conmon).
     */
    void watchOpening() {
        scheduler.schedule(() -> {
            if (opened.compareAndSet(false, true)) {
                LOG.debug("{}: the connection was never taken over; its client went", what);
                session.abandoned();
            }
        }, OPEN_SECONDS, TimeUnit.SECONDS);
    }

    @Override
    public void onFillable() {
        // reads happen on the session's thread
    }

    private void runSession() {
        EndPoint ep = getEndPoint();
        EndPointOutput out = new EndPointOutput(ep);
        Heartbeat beat = heartbeat == null ? null : new Heartbeat(out, Thread.currentThread());
        try (out) {
            if (beat != null) {
                beat.schedule();
            }
            session.run(new EndPointInput(ep, leftover), out);
        } catch (Exception e) {
            LOG.debug("{} ended: {}", what, e.toString());
        } finally {
            if (beat != null) {
                beat.stop();
            }
            ep.close();
        }
    }

    /**
     * Writes {@link #heartbeat} when the stream was quiet; a failed write interrupts the session. It runs on
     * the scheduler's thread and never waits there: a pool whose every thread streams must still see its
     * clients go.
     */
    private final class Heartbeat implements Runnable {
        private final EndPointOutput out;
        private Thread session;
        private Scheduler.Task next;
        private long seen = -1;

        Heartbeat(EndPointOutput out, Thread session) {
            this.out = out;
            this.session = session;
        }

        synchronized void schedule() {
            if (session != null) {
                next = scheduler.schedule(this, HEARTBEAT_SECONDS, TimeUnit.SECONDS);
            }
        }

        @Override
        public void run() {
            if (out.writes == seen) {
                out.beat(heartbeat, this::gone);
            }
            seen = out.writes;
            schedule();
        }

        private synchronized void gone(Throwable why) {
            if (session != null) {
                LOG.debug("{}: the client went away ({})", what, why.toString());
                session.interrupt();
                session = null;
            }
        }

        /** The session ended: its thread goes on to other work and must not be interrupted any more. */
        void stop() {
            synchronized (this) {
                session = null;
                if (next != null) {
                    next.cancel();
                }
            }
            Thread.interrupted();
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
        /** One write at a time: the endpoint refuses a write while one is pending, and frames stay whole. */
        private final ReentrantLock lock = new ReentrantLock();
        /** Writes so far: the heartbeat writes only when there was none since its last look. */
        volatile long writes;
        /** The last heartbeat, which may still be under way. */
        private FutureCallback beat;

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
            lock.lock();
            try {
                if (beat != null) {
                    FutureCallback before = beat;
                    beat = null;
                    await(before);
                }
                writes++;
                FutureCallback written = new FutureCallback();
                ep.write(written, ByteBuffer.wrap(b, off, len));
                await(written);
            } finally {
                lock.unlock();
            }
        }

        /** Writes {@code bytes} without waiting, unless another write is under way; a failure goes to {@code gone}. */
        void beat(byte[] bytes, java.util.function.Consumer<Throwable> gone) {
            if (!lock.tryLock()) {
                return;
            }
            try {
                if (beat != null && !beat.isDone()) {
                    return;
                }
                beat = new FutureCallback() {
                    @Override
                    public void failed(Throwable x) {
                        super.failed(x);
                        gone.accept(x);
                    }

                    @Override
                    public InvocationType getInvocationType() {
                        return InvocationType.NON_BLOCKING;
                    }
                };
                ep.write(beat, ByteBuffer.wrap(bytes));
            } finally {
                lock.unlock();
            }
        }

        private static void await(FutureCallback written) throws IOException {
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
