package io.jpod.api;

import io.jpod.api.config.JpodConfig;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The assembled engine as a whole (libpod's runtime.go and system commands): its configuration, host
 * information, renumber, migrate and shutdown. Registered with the engine's other services
 * ({@link Containers}, {@link ExecSessions}, {@link Pods}, {@link Volumes}, {@link Networks}, {@link Events})
 * while the engine is assembled; each carries the service properties {@code jpod.<kind>} naming the
 * providers it was assembled from.
 */
@ProviderType
public interface EngineSystem {

    /** A copy of the configuration in force, with the runtime overrides applied. */
    JpodConfig config();

    /** The paths the state database was created with. */
    DBConfig dbConfig();

    /** The libpod namespace this engine sees; {@code ""} for all. */
    String namespace();

    /** Host, store and engine information. */
    Info info();

    /** Reallocates every lock, as {@code podman system renumber}. Returns how many objects were renumbered. */
    int renumberLocks();

    /**
     * Moves every container to the OCI runtime of the given name, as {@code podman system migrate --new-runtime}.
     * Returns how many containers changed.
     */
    int migrate(String newRuntime);

    /**
     * Stops the engine and withdraws its services. With {@code force}, running containers are stopped with
     * their stop timeout first. Storage and state are closed; every later call fails with RUNTIME_STOPPED.
     */
    void shutdown(boolean force);
}
