package io.jpod.runtime.internal;

import io.jpod.api.Container;
import io.jpod.api.ContainerStatus;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code commit --pause}: a running container is paused while its layer is read, so that its files do not
 * change under the reader, and unpaused after, also when the reading fails. Called under the container's lock.
 */
final class PausedWhile {
    private static final Logger LOG = LoggerFactory.getLogger(PausedWhile.class);

    private PausedWhile() {
    }

    static <T> T run(Lifecycle lifecycle, Container ctr, boolean pause, Supplier<T> body) {
        boolean paused = pause && ctr.state().status() == ContainerStatus.RUNNING;
        if (paused) {
            ctr = lifecycle.pause(ctr);
        }
        RuntimeException failure = null;
        try {
            return body.get();
        } catch (RuntimeException e) {
            failure = e;
            throw e;
        } finally {
            if (paused) {
                try {
                    lifecycle.unpause(lifecycle.sync(ctr));
                } catch (RuntimeException e) {
                    if (failure == null) {
                        throw e;
                    }
                    failure.addSuppressed(e);
                    LOG.warn("container {} could not be unpaused after its layer was read: {}", ctr.name(),
                            e.getMessage());
                }
            }
        }
    }
}
