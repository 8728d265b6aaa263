package io.jpod.api;

import io.jpod.api.config.JpodConfig;
import io.jpod.spi.events.EventReadOptions;
import java.util.List;
import java.util.function.Predicate;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The assembled engine: libpod's Runtime. It is registered as a service only while every provider the
 * configuration selects is bound; once {@link #shutdown(boolean)} ran, every call fails with
 * {@link ErrorCode#RUNTIME_STOPPED}.
 */
@ProviderType
public interface Engine {

    /** A copy of the configuration in force, with the runtime overrides applied. */
    JpodConfig config();

    /** The paths the state database was created with. */
    DBConfig dbConfig();

    /** The libpod namespace this engine sees; {@code ""} for all. */
    String namespace();

    /** Host, store and engine information. */
    Info info();

    /**
     * Adds a container to the state with a lock and a unique name; it is {@code configured}. Static
     * addresses and MAC addresses ({@link ContainerConfig#networkOptions()}) are checked against the
     * networks' subnets here (INVALID_ARG); whether another container holds one shows at start.
     */
    Container createContainer(ContainerConfig spec);

    /** By full ID, unique ID prefix or name. */
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
     * returns its exit code; polls every {@code intervalMillis}.
     */
    int waitFor(String idOrName, java.util.Set<ContainerStatus> conditions, long intervalMillis)
            throws InterruptedException;

    /**
     * The container's log, oldest first: {@code tail} lines at most when positive, only lines at or
     * after {@code since} when given.
     */
    List<LogLine> logs(String idOrName, int tail, java.time.Instant since);

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

    /** Creates an exec session in a running container; returns its ID. */
    String execCreate(String idOrName, ExecConfig config);

    /**
     * Starts an exec session and copies its stdio until its process exits; returns its exit code. With
     * {@code streams} null, starts it detached and returns -1 at once.
     */
    int execStart(String sessionId, AttachStreams streams) throws InterruptedException;

    /** An exec session by ID. */
    ExecSession execSession(String sessionId);

    /**
     * Sets the size of a running container's terminal, in rows and columns; a container without a terminal
     * is CTR_STATE_INVALID.
     */
    default void resizeTerminal(String idOrName, int height, int width) {
        throw new JpodException(ErrorCode.NOT_IMPLEMENTED, "this engine cannot resize terminals");
    }

    /** Sets the size of a running exec session's terminal, in rows and columns. */
    default void execResizeTerminal(String sessionId, int height, int width) {
        throw new JpodException(ErrorCode.NOT_IMPLEMENTED, "this engine cannot resize terminals");
    }

    /**
     * Removes a container and frees its lock.
     *
     * @param force remove a running container (stopping it first)
     */
    void removeContainer(String idOrName, boolean force);

    Pod createPod(Pod spec);

    Pod pod(String idOrName);

    List<Pod> pods();

    void removePod(String idOrName, boolean force);

    Volume createVolume(Volume spec);

    Volume volume(String nameOrPrefix);

    List<Volume> volumes();

    void removeVolume(String name, boolean force);

    /** Every network the network backend defines. */
    List<Network> networks();

    /** A network by name or ID prefix. */
    Network network(String nameOrId);

    /** Defines a network (see {@link io.jpod.spi.network.NetworkBackend#create(Network)}). */
    Network createNetwork(Network spec);

    /**
     * Removes a network; refused with NETWORK_IN_USE while containers join it, unless {@code force}, which
     * removes those containers first. Returns the IDs of the containers removed.
     */
    List<String> removeNetwork(String nameOrId, boolean force);

    /**
     * Joins a container to one more network: at once when it runs, at its next start otherwise. Only
     * containers on bridge networks can; INVALID_ARG when it is on that network already.
     */
    Container connectNetwork(String idOrName, String network);

    /**
     * {@link #connectNetwork(String, String)} with a static address and MAC address on that network; they
     * are checked as at creation and kept for later starts. A static address another container holds
     * fails the connection of a running container, which is then left as it was.
     */
    Container connectNetwork(String idOrName, String network, PerNetworkOptions options);

    /** Takes a container off a network: at once when it runs. INVALID_ARG when it is not on it. */
    Container disconnectNetwork(String idOrName, String network);

    /** Per network, the addresses (CIDR notation) a container has now; empty when it is not running on one. */
    java.util.Map<String, List<String>> networkAddresses(String idOrName);

    /** Per network, the container's interface now (addresses, gateway, MAC); empty when it is not running on one. */
    java.util.Map<String, NetworkAttachment> networkAttachments(String idOrName);

    /** The network a container joins when it names none (the default bridge network). */
    String defaultNetwork();

    /** The storage the engine opened: for the image service, which works on the same store. */
    io.jpod.spi.storage.Storage storage();

    /** A name in libpod's adjective_surname style used by no container or pod. */
    String generateName();

    /** Writes an event through the selected events logger. */
    void writeEvent(Event event);

    /**
     * Reads events; with {@code follow} it blocks until the sink returns false, {@code until} passes or
     * the thread is interrupted.
     */
    void readEvents(EventReadOptions options, Predicate<Event> sink) throws InterruptedException;

    /**
     * Reallocates every lock, as {@code podman system renumber}. Returns how many objects were renumbered.
     */
    int renumberLocks();

    /**
     * Moves every container to the OCI runtime of the given name, as {@code podman system migrate --new-runtime}.
     * Returns how many containers changed.
     */
    int migrate(String newRuntime);

    /**
     * Stops the engine. With {@code force}, running containers are stopped with their stop timeout first.
     * Storage and state are closed; every later call fails with RUNTIME_STOPPED.
     */
    void shutdown(boolean force);
}
