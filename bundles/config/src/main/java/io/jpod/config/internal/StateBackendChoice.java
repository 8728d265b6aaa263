package io.jpod.config.internal;

import io.jpod.api.config.EngineConfig;
import io.jpod.api.config.JpodConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state backend when no file or start option names one: sqlite (the built-in default, as podman 5's), unless
 * the static directory holds the mapdb state an earlier release wrote and no sqlite one. That state is kept, as
 * podman keeps an existing BoltDB, until {@code jpod system migrate --new-state sqlite} moves it.
 */
final class StateBackendChoice {
    private static final Logger LOG = LoggerFactory.getLogger(StateBackendChoice.class);
    static final String MAPDB_FILE = "jpod.db";
    static final String SQLITE_FILE = "jpod.sqlite";

    private StateBackendChoice() {
    }

    static JpodConfig resolve(JpodConfig c, boolean named) {
        EngineConfig e = c.engine();
        if (named || !e.databaseBackend().equals("sqlite")) {
            return c;
        }
        Path dir = Path.of(e.staticDir());
        if (!Files.isRegularFile(dir.resolve(MAPDB_FILE)) || Files.exists(dir.resolve(SQLITE_FILE))) {
            return c;
        }
        LOG.info("the state in {} is mapdb's, written by an earlier release: it is kept (jpod system migrate "
                + "--new-state sqlite moves it to sqlite, the default)", dir);
        EngineConfig kept = new EngineConfig(e.cgroupManager(), e.conmonPath(), "mapdb", e.eventsLogger(),
                e.eventsLogfilePath(), e.eventsLogfileMaxSize(), e.lockType(), e.numLocks(), e.namespace(),
                e.runtime(), e.runtimes(), e.staticDir(), e.tmpDir(), e.volumePath(), e.stopTimeout(),
                e.exitCommandDelay(), e.noPivotRoot(), e.detachKeys(), e.infraImage(), e.serviceTimeout());
        return new JpodConfig(c.containers(), kept, c.network(), c.storage());
    }
}
