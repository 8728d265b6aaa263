package io.jpod.api;

import org.osgi.annotation.versioning.ProviderType;

/** Processes run in running containers (libpod's container_exec.go). */
@ProviderType
public interface ExecSessions {

    /** Creates an exec session in a running container; returns its ID. */
    String execCreate(String idOrName, ExecConfig config);

    /**
     * Starts an exec session and copies its stdio until its process exits; returns its exit code. With
     * {@code streams} null, starts it detached and returns -1 at once.
     */
    int execStart(String sessionId, AttachStreams streams) throws InterruptedException;

    /** An exec session by ID. */
    ExecSession execSession(String sessionId);

    /** Sets the size of a running exec session's terminal, in rows and columns. */
    void execResizeTerminal(String sessionId, int height, int width);
}
