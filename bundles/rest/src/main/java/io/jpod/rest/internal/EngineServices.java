package io.jpod.rest.internal;

import io.jpod.api.ContainerStats;
import io.jpod.api.ContainerFiles;
import io.jpod.api.Containers;
import io.jpod.api.EngineSystem;
import io.jpod.api.Events;
import io.jpod.api.ExecSessions;
import io.jpod.api.Networks;
import io.jpod.api.Pods;
import io.jpod.api.Volumes;

/** The engine's services of one assembly, as the API's handlers use them. */
record EngineServices(Containers containers, ExecSessions execs, Pods pods, Volumes volumes, Networks networks,
        Events events, EngineSystem system, ContainerStats stats,
        ContainerFiles files, io.jpod.api.ContainerHealth health, io.jpod.api.ContainerChanges changes) {

    /** Without the changes service ({@code diff}, {@code export}, {@code commit} then answer 501). */
    EngineServices(Containers containers, ExecSessions execs, Pods pods, Volumes volumes, Networks networks,
            Events events, EngineSystem system, ContainerStats stats, ContainerFiles files,
            io.jpod.api.ContainerHealth health) {
        this(containers, execs, pods, volumes, networks, events, system, stats, files, health, null);
    }
}
