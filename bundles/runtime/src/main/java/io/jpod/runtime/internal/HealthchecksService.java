package io.jpod.runtime.internal;

import io.jpod.api.ContainerHealth;
import io.jpod.api.ErrorCode;
import io.jpod.api.HealthState;
import io.jpod.api.JpodException;
import java.util.Optional;

/** The healthcheck service: the engine's gate in front of the scheduler ({@link Healthchecks}). */
final class HealthchecksService implements ContainerHealth {
    private final EngineGate gate;
    private final Names names;
    private final Healthchecks checks;

    HealthchecksService(EngineGate gate, Names names, Healthchecks checks) {
        this.gate = gate;
        this.names = names;
        this.checks = checks;
    }

    @Override
    public Optional<HealthState> health(String idOrName) {
        return gate.call(() -> checks.health(names.containerId(idOrName)));
    }

    @Override
    public HealthState run(String idOrName) {
        // not through the gate: a check lasts as long as its process
        gate.check();
        String id = gate.call(() -> names.containerId(idOrName));
        try {
            return checks.runNow(id);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JpodException(ErrorCode.INTERNAL, "the healthcheck of container " + id + " was interrupted");
        }
    }
}
