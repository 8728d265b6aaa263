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
}
