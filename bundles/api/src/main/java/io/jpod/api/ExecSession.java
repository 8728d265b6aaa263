package io.jpod.api;

/**
 * An exec session in a container.
 *
 * @param id          the 64-hex-digit session ID
 * @param containerId the container it runs in
 * @param config      what it runs
 * @param running     whether its process runs
 * @param pid         its process's PID, 0 before start
 * @param exitCode    its exit code once it ended, else -1
 */
public record ExecSession(String id, String containerId, ExecConfig config, boolean running, int pid, int exitCode) {
}
