package io.jpod.image.internal;

import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;
import io.jpod.api.PullEvent;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The progress of one pull or push, told to the caller's listener: from several threads (the layers are
 * fetched in parallel) one at a time. A listener's failure does not fail the pull, except a
 * {@link CancellationException}: its client went away, and the pull or push {@linkplain #stopped() stops}.
 */
final class PullProgress {
    private static final Logger LOG = LoggerFactory.getLogger(PullProgress.class);
    /** Byte counts are told at most this often per blob. */
    private static final long EVERY_NS = 100_000_000L;

    private final Consumer<PullEvent> listener;
    private final String reference;
    private final AtomicBoolean stopped;

    PullProgress(Consumer<PullEvent> listener, String reference) {
        this(listener, reference, new AtomicBoolean());
    }

    private PullProgress(Consumer<PullEvent> listener, String reference, AtomicBoolean stopped) {
        this.listener = listener;
        this.reference = reference;
        this.stopped = stopped;
    }

    PullProgress forReference(String ref) {
        return new PullProgress(listener, ref, stopped);
    }

    /** Whether the listener cancelled: nobody waits for the pull any more. */
    boolean stopped() {
        return stopped.get();
    }

    /** Throws when the listener cancelled: what was fetched is not stored, nor is anything sent further. */
    void checkNotStopped() {
        if (stopped.get()) {
            throw new JpodException(ErrorCode.INTERNAL, "the transfer of " + reference + " stopped: its client "
                    + "went away");
        }
    }

    String reference() {
        return reference;
    }

    void tell(PullEvent.Kind kind, String id) {
        tell(new PullEvent(kind, reference, id, 0, 0));
    }

    void tell(PullEvent.Kind kind, String id, long current, long total) {
        tell(new PullEvent(kind, reference, id, current, total));
    }

    synchronized void tell(PullEvent e) {
        if (listener == null) {
            return;
        }
        try {
            listener.accept(e);
        } catch (CancellationException x) {
            if (!stopped.getAndSet(true)) {
                LOG.info("the transfer of {} stops: {}", reference, x.getMessage());
            }
        } catch (RuntimeException x) {
            LOG.debug("the progress listener failed on {}: {}", e.kind(), x.toString());
        }
    }

    /**
     * A blob's bytes as they arrive: counted, told as {@code kind} events, and digested; {@link #check} then
     * refuses a blob whose digest or size is not its descriptor's (the registry's stream checks too: this is
     * the store's own check of what it keeps).
     */
    final class Counted extends FilterInputStream {
        private final String digest;
        private final long total;
        private final PullEvent.Kind kind;
        private final MessageDigest md = Digests.sha256();
        private long n;
        private long last;
        private AtomicBoolean abort;

        Counted(InputStream in, String digest, long total, PullEvent.Kind kind) {
            super(in);
            this.digest = digest;
            this.total = total;
            this.kind = kind;
        }

        @Override
        public int read() throws IOException {
            // count() may abort
            int b = super.read();
            if (b >= 0) {
                md.update((byte) b);
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int r = super.read(b, off, len);
            if (r > 0) {
                md.update(b, off, r);
                count(r);
            }
            return r;
        }

        @Override
        public long skip(long k) throws IOException {
            // every byte must be digested
            byte[] buf = new byte[(int) Math.min(k, 8192)];
            int r = read(buf, 0, buf.length);
            return Math.max(r, 0);
        }

        /** Makes the reads fail once {@code flag} is set (another layer of the pull failed). */
        void abortWhen(AtomicBoolean flag) {
            this.abort = flag;
        }

        private void count(int r) throws java.io.InterruptedIOException {
            if (abort != null && abort.get() || stopped.get()) {
                throw new java.io.InterruptedIOException("the pull of " + reference + " failed");
            }
            n += r;
            long now = System.nanoTime();
            if (now - last >= EVERY_NS) {
                last = now;
                tell(kind, digest, n, total);
            }
        }

        /** Reads what is left (a compressed stream may end before its blob does), then checks the blob. */
        void check() throws IOException {
            transferTo(java.io.OutputStream.nullOutputStream());
            tell(kind, digest, n, total);
            String actual = Digests.SHA256 + Digests.hex(md.digest());
            if (!actual.equals(digest)) {
                throw ImageErrors.invalid("blob " + digest + " from " + reference + " does not match its digest"
                        + " (its content is " + actual + ")");
            }
            if (total > 0 && n != total) {
                throw ImageErrors.invalid("blob " + digest + " from " + reference + " has " + n
                        + " bytes, its manifest says " + total);
            }
        }
    }
}
