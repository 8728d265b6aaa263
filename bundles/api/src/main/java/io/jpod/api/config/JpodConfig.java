package io.jpod.api.config;

/**
 * The engine configuration: jpod.conf's sections in containers.conf(5) and containers-storage.conf(5)
 * spellings. Immutable, so a copy handed out cannot change the engine's.
 */
public record JpodConfig(ContainersConfig containers, EngineConfig engine, NetworkConfig network,
        StorageConfig storage) {
}
