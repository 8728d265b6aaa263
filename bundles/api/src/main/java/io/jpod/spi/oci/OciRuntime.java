package io.jpod.spi.oci;

import io.jpod.api.Container;
import io.jpod.api.ContainerState;
import java.nio.file.Path;
import java.util.List;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Runs containers, as libpod's OCIRuntime. Every method takes the container as stored and returns
 * its new state where the state changes; the engine stores it.
 */
@ConsumerType
public interface OciRuntime extends AutoCloseable {

    /** The name it was selected by. */
    String name();

    /** The runtime binary. */
    Path path();

    /** Creates the container in the runtime (conmon running, process not yet started): CREATED. */
    ContainerState createContainer(Container ctr);

    /** Starts the created container's process: RUNNING. */
    ContainerState startContainer(Container ctr);

    /** Sends a signal to the container's init process (or every process with {@code all}). */
    void killContainer(Container ctr, int signal, boolean all);

    /** Sends the stop signal, waits {@code timeoutSeconds}, then SIGKILL; returns the state after exit. */
    ContainerState stopContainer(Container ctr, long timeoutSeconds, boolean all);

    /** Removes the container from the runtime. */
    void deleteContainer(Container ctr);

    ContainerState pauseContainer(Container ctr);

    ContainerState unpauseContainer(Container ctr);

    /** Reads the container's status from the runtime and its exit file. */
    ContainerState updateContainerStatus(Container ctr);

    /** Runs a process in a running container; returns the exec session's PID. */
    int execContainer(Container ctr, String sessionId, List<String> command, List<String> env, boolean tty);

    /** The container's log file in the k8s-file format ({@code <time> <stream> <F|P> <text>} per line). */
    Path logPath(Container ctr);

    /** The path of the container's attach socket. */
    Path attachSocketPath(Container ctr);

    @Override
    void close();
}
