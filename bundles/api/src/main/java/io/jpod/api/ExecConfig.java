package io.jpod.api;

import java.util.List;

/**
 * A process to run in a running container, as libpod's ExecConfig.
 *
 * @param command     the command and its arguments; not empty
 * @param env         extra environment as {@code KEY=VALUE}, over the container's
 * @param tty         allocate a terminal
 * @param attachStdin keep the process's stdin open for the client
 * @param user        user (and group) to run as; the container's when null
 * @param workingDir  working directory; the container's when null
 * @param privileged  run with all capabilities
 */
public record ExecConfig(List<String> command, List<String> env, boolean tty, boolean attachStdin, String user,
        String workingDir, boolean privileged) {

    public ExecConfig {
        command = command == null ? List.of() : List.copyOf(command);
        env = env == null ? List.of() : List.copyOf(env);
    }
}
