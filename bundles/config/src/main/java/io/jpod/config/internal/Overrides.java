package io.jpod.config.internal;

import io.jpod.api.config.EngineConfig;
import io.jpod.api.config.JpodConfig;
import io.jpod.api.config.RuntimeOptions;
import io.jpod.api.config.StorageConfig;

/** Applies the start options on top of what the files say, checking them as the files' values are checked. */
final class Overrides {

    private Overrides() {
    }

    static JpodConfig apply(JpodConfig c, RuntimeOptions o, Problems problems) {
        EngineConfig e = c.engine();
        StorageConfig s = c.storage();
        String databaseBackend = name(o.databaseBackend(), "engine.database_backend", e.databaseBackend(), problems);
        String eventsLogger = name(o.eventsLogger(), "engine.events_logger", e.eventsLogger(), problems);
        String lockType = name(o.lockType(), "engine.lock_type", e.lockType(), problems);
        String runtime = o.runtime() != null ? o.runtime() : e.runtime();
        String namespace = o.namespace() != null ? o.namespace() : e.namespace();
        String staticDir = path(o.staticDir(), "engine.static_dir", e.staticDir(), problems);
        String tmpDir = path(o.tmpDir(), "engine.tmp_dir", e.tmpDir(), problems);
        String volumePath = path(o.volumePath(), "engine.volume_path", e.volumePath(), problems);
        String driver = o.storageDriver() != null ? o.storageDriver() : s.driver();
        String graphRoot = path(o.graphRoot(), "storage.graphroot", s.graphRoot(), problems);
        String runRoot = path(o.runRoot(), "storage.runroot", s.runRoot(), problems);
        String eventsLogfilePath = e.eventsLogfilePath().isEmpty()
                ? (tmpDir.endsWith("/") ? tmpDir : tmpDir + "/") + "events/events.log"
                : e.eventsLogfilePath();

        EngineConfig engine = new EngineConfig(e.cgroupManager(), e.conmonPath(), databaseBackend, eventsLogger,
                eventsLogfilePath, e.eventsLogfileMaxSize(), lockType, e.numLocks(), namespace, runtime, e.runtimes(),
                staticDir, tmpDir, volumePath, e.stopTimeout(), e.exitCommandDelay(), e.noPivotRoot(), e.detachKeys(),
                e.infraImage(), e.serviceTimeout());
        StorageConfig storage = new StorageConfig(driver, graphRoot, runRoot, s.options());
        return new JpodConfig(c.containers(), engine, c.network(), storage);
    }

    private static String name(String override, String key, String current, Problems problems) {
        if (override == null) {
            return current;
        }
        if (override.isBlank()) {
            problems.invalidOverride(key, override, key.substring(key.indexOf('.') + 1)
                    + " must not be empty: it names the provider to use");
            return current;
        }
        return override;
    }

    private static String path(String override, String key, String current, Problems problems) {
        if (override == null) {
            return current;
        }
        if (!override.startsWith("/")) {
            problems.invalidOverride(key, override, key.substring(key.indexOf('.') + 1) + " must be an absolute path");
            return current;
        }
        return override;
    }
}
