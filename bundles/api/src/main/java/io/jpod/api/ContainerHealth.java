package io.jpod.api;

import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/** Containers' healthchecks, which the engine runs on their intervals (libpod's healthcheck.go). */
@ProviderType
public interface ContainerHealth {

    /** The container's health; empty when it has no active healthcheck or has not run since it got one. */
    Optional<HealthState> health(String idOrName);

    /**
     * Runs the container's check now ({@code podman healthcheck run}) and returns its health after it. Fails with
     * {@link ErrorCode#INVALID_ARG} when it has no healthcheck and CTR_STATE_INVALID when it does not run.
     */
    HealthState run(String idOrName);
}
