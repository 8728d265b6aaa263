package io.jpod.spi;

import io.jpod.api.DBConfig;
import io.jpod.api.config.JpodConfig;
import io.jpod.spi.events.Eventer;
import java.nio.file.Path;

/**
 * What a provider is opened with.
 *
 * @param name     the name it was selected by
 * @param config   the configuration in force, overrides applied
 * @param dirs     the engine's directories, merged with the state's DB config
 * @param renumber whether locks are being renumbered ({@code system renumber}): a lock manager
 *                 must accept a lock count that differs from its existing segment
 * @param eventer  the engine's events logger, or null for providers opened before it
 */
public record ProviderContext(String name, JpodConfig config, DBConfig dirs, boolean renumber, Eventer eventer) {

    public Path staticDir() {
        return Path.of(dirs.staticDir());
    }

    public Path tmpDir() {
        return Path.of(dirs.tmpDir());
    }
}
