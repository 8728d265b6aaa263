package io.jpod.api;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The engine's containers: create, look up, run and remove them (libpod's runtime_ctr.go and
 * container_api.go). Registered while the engine is assembled; after it is taken down every call fails
 * with {@link ErrorCode#RUNTIME_STOPPED}.
 */
@ProviderType
public interface Containers {

    /**
     * Adds a container to the state with a lock and a unique name; it is {@code configured}. Static
     * addresses and MAC addresses ({@link ContainerConfig#networkOptions()}) are checked against the
     * networks' subnets here (INVALID_ARG); whether another container holds one shows at start.
     */
    Container createContainer(ContainerConfig spec);

    /** By full ID, unique ID prefix or name, as stored: a read never changes a container. */
    Container container(String idOrName);

    List<Container> containers(Predicate<Container> filter);

    /**
     * Prepares a configured or exited container to run: mounts its root filesystem and creates it in
     * its OCI runtime. It is {@code created} afterwards.
     */
    Container init(String idOrName);

    /** Starts a container, initialising it first when needed. It is {@code running} afterwards. */
    Container start(String idOrName);

    /**
     * Stops a running or paused container: its stop signal, then SIGKILL after {@code timeoutSeconds}
     * (the container's own stop timeout when negative). It is {@code exited} afterwards.
     */
    Container stop(String idOrName, long timeoutSeconds);

    /** Sends a signal to a running container's init process. */
    void kill(String idOrName, int signal);

    Container pause(String idOrName);

    Container unpause(String idOrName);

    /** Stops (when running) and starts a container again. */
    Container restart(String idOrName, long timeoutSeconds);

    /**
     * Waits until the container is in one of {@code conditions} (exited or stopped when empty) and
     * returns its exit code; it looks again at least every {@code intervalMillis}, and at once when the
     * container changes.
     */
    int waitFor(String idOrName, Set<ContainerStatus> conditions, long intervalMillis) throws InterruptedException;

    /**
     * The container's log, oldest first: {@code tail} lines at most when positive, only lines at or
     * after {@code since} when given.
     */
    List<LogLine> logs(String idOrName, int tail, Instant since);

    /**
     * Reads the container's log into {@code sink} until it returns false, the lines run out (or, with
     * {@link LogOptions#follow()}, the container exits and its log is drained) or the thread is interrupted.
     */
    void logs(String idOrName, LogOptions options, Predicate<LogLine> sink) throws InterruptedException;

    /**
     * Attaches to a container's stdio through its conmon until its output ends (the container exited) or
     * the client's streams fail. A configured or exited container is initialised first, so that a client
     * can attach before {@link #start(String)} and miss nothing.
     */
    void attach(String idOrName, AttachStreams streams) throws InterruptedException;

    /**
     * Sets the size of a running container's terminal, in rows and columns; a container without a terminal
     * is CTR_STATE_INVALID.
     */
    void resizeTerminal(String idOrName, int height, int width);

    /**
     * Removes a container and frees its lock.
     *
     * @param force remove a running container (stopping it first)
     */
    void removeContainer(String idOrName, boolean force);

    /** A name in libpod's adjective_surname style used by no container or pod. */
    String generateName();

    /**
     * Changes a container's resources ({@code update}): the set fields of {@code resources} replace the stored
     * ones, and a running container's cgroup changes at once through its OCI runtime; a non-null
     * {@code restartPolicy} replaces the policy and its retries. Returns the container as stored afterwards.
     */
    default Container update(String idOrName, ContainerResources resources, String restartPolicy, int restartRetries) {
        throw new JpodException(ErrorCode.NOT_IMPLEMENTED, "this engine cannot update containers");
    }

    /**
     * Renames a container, running or not (podman's rename): the new name must follow the name rule and be
     * used by no container or pod; a {@code rename} event records it. Returns the container as stored afterwards.
     */
    default Container rename(String idOrName, String newName) {
        throw new JpodException(ErrorCode.NOT_IMPLEMENTED, "this engine cannot rename containers");
    }
}
