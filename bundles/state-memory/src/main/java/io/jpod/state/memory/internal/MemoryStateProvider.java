package io.jpod.state.memory.internal;

import io.jpod.spi.JpodName;
import io.jpod.spi.ProviderContext;
import io.jpod.spi.state.State;
import io.jpod.spi.state.StateProvider;
import java.util.concurrent.atomic.AtomicInteger;
import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The state backend that keeps everything in memory: each {@link #open} starts empty, nothing outlives close. */
@Component(service = StateProvider.class)
@JpodName("memory")
public class MemoryStateProvider implements StateProvider {
    private static final Logger LOG = LoggerFactory.getLogger(MemoryStateProvider.class);
    private final AtomicInteger opened = new AtomicInteger();

    @Override
    public State open(ProviderContext context) {
        int n = opened.incrementAndGet();
        LOG.debug("opening in-memory state #{}", n);
        return new StateCore(Store.NONE, "in memory (#" + n + ")");
    }
}
