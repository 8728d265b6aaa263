package io.jpod.api;

import java.util.Objects;

/** A container as stored: its fixed config and its changing state. */
public record Container(ContainerConfig config, ContainerState state) {
    public Container {
        Objects.requireNonNull(config, "config");
        state = state == null ? ContainerState.configured() : state;
    }

    public String id() {
        return config.id();
    }

    public String name() {
        return config.name();
    }

    public Container withState(ContainerState newState) {
        return new Container(config, newState);
    }

    public Container withConfig(ContainerConfig newConfig) {
        return new Container(newConfig, state);
    }
}
