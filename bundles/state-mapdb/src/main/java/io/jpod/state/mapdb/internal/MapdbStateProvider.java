package io.jpod.state.mapdb.internal;

import io.jpod.spi.JpodName;
import io.jpod.spi.ProviderContext;
import io.jpod.spi.state.State;
import io.jpod.spi.state.StateProvider;
import java.time.Duration;
import org.osgi.service.component.annotations.Component;

/**
 * The state backend that keeps everything in a MapDB file, {@code <static_dir>/jpod.db}, owned by one
 * process at a time through an exclusive lock on {@code <static_dir>/jpod.db.lock}.
 */
@Component(service = StateProvider.class)
@JpodName("mapdb")
public class MapdbStateProvider implements StateProvider {
    /** How long {@link #open} waits for another process to let go of the database. */
    static final Duration DEFAULT_LOCK_WAIT = Duration.ofSeconds(10);

    private final Duration lockWait;

    public MapdbStateProvider() {
        this(DEFAULT_LOCK_WAIT);
    }

    MapdbStateProvider(Duration lockWait) {
        this.lockWait = lockWait;
    }

    @Override
    public State open(ProviderContext context) {
        return MapdbStore.open(context.staticDir(), lockWait);
    }
}
