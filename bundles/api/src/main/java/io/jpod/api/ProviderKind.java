package io.jpod.api;

import java.util.Locale;

/** The six kinds of provider the engine is assembled from, with the configuration key that selects each. */
public enum ProviderKind {
    STATE("engine.database_backend", "io.jpod.spi.state.StateProvider"),
    LOCKS("engine.lock_type", "io.jpod.spi.lock.LockProvider"),
    OCI_RUNTIME("engine.runtime", "io.jpod.spi.oci.OciRuntimeProvider"),
    NETWORK("network.network_backend", "io.jpod.spi.network.NetworkProvider"),
    EVENTS("engine.events_logger", "io.jpod.spi.events.EventerProvider"),
    STORAGE("storage.driver", "io.jpod.spi.storage.StorageProvider");

    private final String configKey;
    private final String serviceInterface;

    ProviderKind(String configKey, String serviceInterface) {
        this.configKey = configKey;
        this.serviceInterface = serviceInterface;
    }

    /** The jpod.conf key whose value names the provider, e.g. {@code engine.lock_type}. */
    public String configKey() {
        return configKey;
    }

    /** The name of the service interface providers of this kind register. */
    public String serviceInterface() {
        return serviceInterface;
    }

    /** A word for messages, e.g. {@code "oci-runtime"}. */
    public String word() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
