package io.jpod.runtime.internal;

import io.jpod.api.ProviderKind;
import io.jpod.api.config.JpodConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;

/** Which provider name the configuration selects for each kind. */
final class Selection {
    private Selection() {
    }

    static Map<ProviderKind, String> of(JpodConfig cfg) {
        Map<ProviderKind, String> m = new EnumMap<>(ProviderKind.class);
        m.put(ProviderKind.STATE, cfg.engine().databaseBackend());
        m.put(ProviderKind.LOCKS, cfg.engine().lockType());
        m.put(ProviderKind.OCI_RUNTIME, defaultRuntime(cfg.engine().runtime()));
        m.put(ProviderKind.NETWORK, cfg.network().networkBackend());
        m.put(ProviderKind.EVENTS, cfg.engine().eventsLogger());
        m.put(ProviderKind.STORAGE, cfg.storage().driver());
        return m;
    }

    /**
     * As libpod: the configured runtime, else crun where cgroups v2 is unified and runc elsewhere. A
     * name starting with '/' is a runtime executable, selected by that path.
     */
    static String defaultRuntime(String configured) {
        if (configured != null && !configured.isBlank()) {
            return configured.trim();
        }
        return Files.exists(Path.of("/sys/fs/cgroup/cgroup.controllers")) ? "crun" : "runc";
    }
}
