package io.jpod.lock.shm.internal;

import io.jpod.api.DBConfig;
import io.jpod.api.config.EngineConfig;
import io.jpod.api.config.JpodConfig;
import io.jpod.spi.ProviderContext;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

final class Contexts {
    private Contexts() {
    }

    static ProviderContext context(Path tmpDir, int numLocks, boolean renumber) {
        EngineConfig engine = new EngineConfig("cgroupfs", List.of(), "memory", "none", "", 0, "shm", numLocks,
                "", "runc", Map.of(), tmpDir + "/static", tmpDir.toString(), tmpDir + "/volumes", 10, 5, false,
                "ctrl-p,ctrl-q", "", 5);
        return new ProviderContext("shm", new JpodConfig(null, engine, null, null), new DBConfig(tmpDir + "/static",
                tmpDir.toString(), tmpDir + "/g", tmpDir + "/r", "vfs", tmpDir + "/volumes"), renumber, null);
    }
}
