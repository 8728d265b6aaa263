package io.jpod.events.file.internal;

import io.jpod.api.DBConfig;
import io.jpod.api.config.EngineConfig;
import io.jpod.api.config.JpodConfig;
import io.jpod.spi.ProviderContext;
import java.util.List;
import java.util.Map;

final class Contexts {
    private Contexts() {
    }

    static ProviderContext file(String path, long maxSize) {
        EngineConfig engine = new EngineConfig("cgroupfs", List.of(), "memory", "file", path, maxSize, "file", 16,
                "", "runc", Map.of(), "/tmp/static", "/tmp/tmp", "/tmp/volumes", 10, 5, false, "ctrl-p,ctrl-q",
                "", 5);
        return new ProviderContext("file", new JpodConfig(null, engine, null, null),
                new DBConfig("/tmp/static", "/tmp/tmp", "/tmp/g", "/tmp/r", "vfs", "/tmp/volumes"), false, null);
    }
}
