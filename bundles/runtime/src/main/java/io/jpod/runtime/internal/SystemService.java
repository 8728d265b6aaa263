package io.jpod.runtime.internal;

import io.jpod.api.Container;
import io.jpod.api.ContainerStatus;
import io.jpod.api.DBConfig;
import io.jpod.api.EngineSystem;
import io.jpod.api.Event;
import io.jpod.api.Info;
import io.jpod.api.config.JpodConfig;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The engine as a whole: its configuration, info, renumber, migrate and shutdown (libpod's runtime.go). */
final class SystemService implements EngineSystem {
    private static final Logger LOG = LoggerFactory.getLogger(SystemService.class);
    private final JpodEngine engine;
    private final EngineGate gate;
    private final Parts parts;
    private final Lifecycle lifecycle;
    private final EventsService events;

    SystemService(JpodEngine engine, EngineGate gate, Parts parts, Lifecycle lifecycle, EventsService events) {
        this.engine = engine;
        this.gate = gate;
        this.parts = parts;
        this.lifecycle = lifecycle;
        this.events = events;
    }

    @Override
    public JpodConfig config() {
        return gate.call(engine::config);
    }

    @Override
    public DBConfig dbConfig() {
        return gate.call(engine::dbConfig);
    }

    @Override
    public String namespace() {
        return gate.call(() -> parts.state().namespace());
    }

    @Override
    public Info info() {
        return gate.call(() -> HostInfo.collect(engine.config(), engine.dbConfig(), engine.providerNames(), parts));
    }

    @Override
    public int renumberLocks() {
        return gate.call(() -> {
            int n = Renumber.renumber(parts);
            events.record(Event.system("renumber"));
            return n;
        });
    }

    @Override
    public int migrate(String newRuntime) {
        return gate.call(() -> {
            if (newRuntime != null && !newRuntime.isEmpty()) {
                parts.runtime(newRuntime);
            }
            int changed = 0;
            for (Container ctr : parts.state().allContainers()) {
                boolean moved = lifecycle.locked(ctr.id(), c -> {
                    ContainerStatus st = c.state().status();
                    if (st == ContainerStatus.RUNNING || st == ContainerStatus.PAUSED) {
                        c = lifecycle.stop(c, c.config().stopTimeout());
                    }
                    if (newRuntime == null || newRuntime.isEmpty() || newRuntime.equals(c.config().ociRuntime())
                            || !parts.state().hasContainer(c.id())) {
                        return false;
                    }
                    LOG.info("migrating container {} from runtime {} to {}", c.id(), c.config().ociRuntime(),
                            newRuntime);
                    parts.state().saveContainer(c.withConfig(c.config().withOciRuntime(newRuntime)));
                    return true;
                });
                if (moved) {
                    changed++;
                }
            }
            events.record(Event.system("migrate"));
            return changed;
        });
    }

    @Override
    public void shutdown(boolean force) {
        engine.shutdown(force);
    }

    /** The provider names the engine was assembled from, for the services' properties. */
    Map<String, String> providerNames() {
        return engine.providerNames();
    }
}
