package io.jpod.api.config;

import java.util.Map;

/**
 * The {@code [storage]} section, with containers-storage.conf(5) keys.
 *
 * @param driver    the storage provider's name ({@code driver})
 * @param graphRoot where images, layers and container layers live ({@code graphroot})
 * @param runRoot   per-boot storage files ({@code runroot})
 * @param options   driver options from {@code [storage.options]}, e.g. {@code mount_program}
 */
public record StorageConfig(String driver, String graphRoot, String runRoot, Map<String, String> options) {
    public StorageConfig {
        options = options == null ? Map.of() : Map.copyOf(options);
    }
}
