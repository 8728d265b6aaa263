package io.jpod.spi.oci;

import io.jpod.api.AttachStreams;
import io.jpod.api.Container;
import io.jpod.api.ContainerState;
import io.jpod.api.ErrorCode;
import io.jpod.api.ExecConfig;
import io.jpod.api.JpodException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.OptionalInt;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Runs containers, as libpod's OCIRuntime. Every method takes the container as stored and returns
 * its new state where the state changes; the engine stores it.
 *
 * <p>An instance lives as long as one assembled engine: it is closed when the engine is taken down (a
 * provider bundle updated, the configuration changed) and a new one is opened for the next engine, while
 * the containers keep running under conmon. So it keeps nothing that cannot be read back from the stored
 * container and the files on disk (the runtime's state, conmon's exit files). A vendor runtime that wraps
 * another (see docs/plugins.md) delegates every method and changes what it needs, e.g. the container's
 * configuration handed to {@link #createContainer}, from which the OCI spec is written.
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

    /** Freezes every process of the running container (the runtime's {@code pause}): PAUSED. */
    ContainerState pauseContainer(Container ctr);

    /** Thaws the paused container's processes (the runtime's {@code resume}): RUNNING. */
    ContainerState unpauseContainer(Container ctr);

    /**
     * Where the runtime's monitor writes a file named by a container's ID when its process exits (conmon's
     * {@code --exit-dir}); the engine watches it and acts on each exit once. Empty when the runtime has none:
     * its containers' exits are then found by the engine's periodic sweep only.
     */
    default java.util.Optional<Path> exitDirectory() {
        return java.util.Optional.empty();
    }

    /** Reads the container's status from the runtime and its exit file. */
    ContainerState updateContainerStatus(Container ctr);

    /**
     * Runs a process in a running container as the exec session {@code sessionId} (user, working directory,
     * privileges, terminal and stdin as {@code config} says); returns its PID. Its output goes to
     * {@link #execLogPath}; with {@link ExecConfig#attachStdin()} its stdin stays open for {@link #execStdin}.
     */
    int execContainer(Container ctr, String sessionId, ExecConfig config);

    /** An exec session's output in the k8s-file format, as {@link #logPath(Container)}. */
    Path execLogPath(Container ctr, String sessionId);

    /**
     * Feeds {@code stdin} to a started exec session's process in the background; its end of stream closes the
     * process's stdin. Closing the returned handle stops feeding.
     */
    AutoCloseable execStdin(Container ctr, String sessionId, InputStream stdin);

    /** The exit code of an exec session whose process ended; empty while it runs or when it is unknown. */
    OptionalInt execExitCode(Container ctr, String sessionId);

    /** Forgets an exec session's files (its process must have ended). */
    void execRemove(Container ctr, String sessionId);

    /**
     * Attaches to a created or running container's stdio until its output ends (the container exited and its
     * output is drained) or the client's output streams fail. stdin is fed only to containers created with
     * stdin open; its end of stream closes the container's stdin. With a terminal all output goes to stdout.
     */
    void attach(Container ctr, AttachStreams streams) throws InterruptedException;

    /** The container's log file in the k8s-file format ({@code <time> <stream> <F|P> <text>} per line). */
    Path logPath(Container ctr);

    /** The path of the container's attach socket. */
    Path attachSocketPath(Container ctr);

    /**
     * Sets the size of a running container's terminal (libpod's AttachResize). Runtimes that cannot refuse
     * with {@link ErrorCode#NOT_IMPLEMENTED}.
     */
    default void resizeTerminal(Container ctr, int height, int width) {
        throw new JpodException(ErrorCode.NOT_IMPLEMENTED, "the OCI runtime " + name() + " cannot resize a terminal");
    }

    /** Sets the size of a running exec session's terminal (libpod's ExecAttachResize). */
    default void execResizeTerminal(Container ctr, String sessionId, int height, int width) {
        throw new JpodException(ErrorCode.NOT_IMPLEMENTED, "the OCI runtime " + name() + " cannot resize a terminal");
    }

    /**
     * Changes a running (or paused, or created) container's cgroup resources, as {@code runc update}: the fields
     * of {@code resources} that are set replace the container's; the others stay. Runtimes that cannot refuse with
     * {@link ErrorCode#NOT_IMPLEMENTED}.
     */
    default void updateResources(Container ctr, io.jpod.api.ContainerResources resources) {
        throw new JpodException(ErrorCode.NOT_IMPLEMENTED, "the OCI runtime " + name()
                + " cannot change a running container's resources");
    }

    @Override
    void close();
}
