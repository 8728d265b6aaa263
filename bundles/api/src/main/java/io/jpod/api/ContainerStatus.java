package io.jpod.api;

import java.util.Locale;

/** libpod's define.ContainerStatus: the states of a container's life. */
public enum ContainerStatus {
    UNKNOWN, CONFIGURED, CREATED, RUNNING, STOPPED, PAUSED, EXITED, REMOVING, STOPPING;

    /** The lower-case word podman prints, e.g. {@code "running"}. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ContainerStatus parse(String word) {
        try {
            return valueOf(word.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new JpodException(ErrorCode.INVALID_ARG, "unknown container status \"" + word
                    + "\": use one of configured, created, running, stopped, paused, exited, removing, stopping");
        }
    }
}
