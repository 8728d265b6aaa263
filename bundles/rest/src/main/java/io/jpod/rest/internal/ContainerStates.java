package io.jpod.rest.internal;

import io.jpod.api.ContainerStatus;
import java.util.EnumSet;
import java.util.Set;

/** The groups of states the routes ask about. */
final class ContainerStates {
    static final Set<ContainerStatus> NOT_RUNNING = EnumSet.of(ContainerStatus.EXITED,
            ContainerStatus.STOPPED, ContainerStatus.CONFIGURED, ContainerStatus.CREATED);
    static final Set<ContainerStatus> ENDED = EnumSet.of(ContainerStatus.EXITED, ContainerStatus.STOPPED);

    private ContainerStates() {
    }
}
