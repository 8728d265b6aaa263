package io.jpod.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The service that builds the engine's services ({@link Containers}, {@link EngineSystem}...) from the providers the configuration names. It is
 * registered always, so that a client can say why there is no engine.
 */
@ProviderType
public interface EngineAssembler {

    /** Whether the engine is assembled, which names are selected, missing and installed. */
    EngineStatus status();

    /**
     * Re-reads the configuration files and assembles the engine again when the selection changed.
     *
     * @throws JpodException CONFIG_INVALID when a file cannot be read or parsed; the running engine stays as it was
     */
    EngineStatus reload();

    /**
     * Moves the engine's state to the state provider named {@code target}: copies every container, pod and volume
     * (and the exit codes recorded for the containers) from the store in use to the target's store, sets
     * {@code engine.database_backend} to {@code target} in the jpod.conf read last, and assembles the engine again on
     * it. Containers keep running through it; the old store is left as it was. Network definitions are files of
     * their own ({@code network_config_dir}) and stay where they are.
     *
     * @throws JpodException INVALID_ARG for an unknown or the current provider name, or when the name is set by a
     *                       configuration override rather than a file; CTR_EXISTS, POD_EXISTS or VOLUME_EXISTS when
     *                       the target's store already holds records; RUNTIME_STOPPED when no engine is assembled
     */
    default StateMigration migrateState(String target) {
        throw new JpodException(ErrorCode.NOT_IMPLEMENTED, "this engine assembler cannot move the state");
    }
}
