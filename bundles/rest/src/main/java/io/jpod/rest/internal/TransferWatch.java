package io.jpod.rest.internal;

import io.jpod.api.PullEvent;
import java.io.UncheckedIOException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The progress listener of a pull or push that ends with its client, as dockerd's and podman's end with their
 * request: once the client closed its connection, or a write of its progress failed, the next event is
 * answered with a {@link CancellationException}, which stops the transfer (nothing is stored or tagged). Close
 * it when the transfer has ended.
 */
final class TransferWatch implements AutoCloseable {
    private final AtomicBoolean gone = new AtomicBoolean();
    private final Runnable unwatch;

    /** Call before the answer starts (see {@link Exchange#whenClientGoes}). */
    TransferWatch(Exchange x) {
        this.unwatch = x.whenClientGoes(() -> gone.set(true));
    }

    /** {@code progress}, stopping the transfer once the client is gone; it throws UncheckedIOException when its write fails. */
    Consumer<PullEvent> progress(Consumer<PullEvent> progress) {
        return e -> {
            if (gone.get()) {
                throw new CancellationException("the client went away");
            }
            try {
                progress.accept(e);
            } catch (UncheckedIOException writeFailed) {
                gone.set(true);
                throw new CancellationException("the client went away: " + writeFailed.getCause().getMessage());
            }
        };
    }

    /** Whether the client is gone: nothing more is to be written to it. */
    boolean gone() {
        return gone.get();
    }

    @Override
    public void close() {
        unwatch.run();
    }
}
