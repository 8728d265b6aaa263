package io.jpod.oci.conmon.internal;

import io.jpod.api.config.JpodConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * conmon's command line, for a container ({@code create}) and for an exec session alike: what both share
 * (the API version, the runtime and its {@code --root}, the cgroup manager, the runtime's JSON log in the
 * bundle dir, the log level, the pidfiles in the bundle dir) is written once, here; each use sets what is its
 * own (log, stdio, exec process spec, exit command).
 */
final class ConmonCommand {
    /** conmon logs at debug when this bundle's runtime does. */
    private static final Logger LOG = LoggerFactory.getLogger(ConmonRuntime.class);

    private final Path runtimePath, runtimeRoot;
    private final boolean systemdCgroups;
    private final String containerId, uuid, name;
    private final Path bundleDir;
    private Path exitDir, persistDir;
    private String log;
    private long logSizeMax;
    private boolean terminal, stdin, noPivot;
    private Path execProcessSpec;
    private ExitCommand exitCommand;
    private String netNsPath;

    /**
     * For the container {@code containerId} (named {@code name}, null for its ID), conmon watching
     * {@code uuid} (the container's ID, or an exec session's), with {@code bundleDir} as its bundle and run dir.
     */
    ConmonCommand(Path runtimePath, Path runtimeRoot, JpodConfig conf, String containerId, String uuid, String name,
            Path bundleDir) {
        this.runtimePath = runtimePath;
        this.runtimeRoot = runtimeRoot;
        this.systemdCgroups = "systemd".equals(conf.engine().cgroupManager());
        this.containerId = containerId;
        this.uuid = uuid;
        this.name = name == null ? containerId : name;
        this.bundleDir = bundleDir;
    }

    /** Where conmon writes the exit code (a file named after the container) and its persist files (oom). */
    ConmonCommand exits(Path exitDirectory, Path persistDirectory) {
        this.exitDir = exitDirectory;
        this.persistDir = persistDirectory;
        return this;
    }

    /** conmon's log driver ({@code none}, {@code journald}) or, for any other, a k8s-file log at {@code file}. */
    ConmonCommand log(String driver, Path file, long sizeMax) {
        this.log = "none".equals(driver) || "journald".equals(driver) ? driver : "k8s-file:" + file;
        this.logSizeMax = sizeMax;
        return this;
    }

    /** {@code -t}: a terminal; {@code -i}: stdin kept open for attach. */
    ConmonCommand stdio(boolean withTerminal, boolean withStdin) {
        this.terminal = withTerminal;
        this.stdin = withStdin;
        return this;
    }

    ConmonCommand noPivot(boolean value) {
        this.noPivot = value;
        return this;
    }

    /** An exec session: conmon runs {@code runtime exec} with this process spec. */
    ConmonCommand execProcessSpec(Path spec) {
        this.execProcessSpec = spec;
        return this;
    }

    /**
     * What conmon runs when the container exits; null for nothing. {@code netNsPath} is the container's own
     * network namespace, which the exit command removes (null for none).
     */
    ConmonCommand exitCommand(ExitCommand command, String netNsPath) {
        this.exitCommand = command;
        this.netNsPath = netNsPath;
        return this;
    }

    /** The arguments after conmon's path. */
    List<String> args() {
        List<String> a = new ArrayList<>(List.of("--api-version", "1", "-c", containerId, "-u", uuid, "-r",
                runtimePath.toString(), "-b", bundleDir.toString(), "-p", bundleDir.resolve("pidfile").toString(),
                "-n", name, "--exit-dir", exitDir.toString(), "--persist-dir", persistDir.toString(),
                "--full-attach", "--runtime-arg=--root", "--runtime-arg=" + runtimeRoot));
        if (systemdCgroups) {
            a.add("-s");
        }
        a.addAll(List.of("-l", log, "--log-level", LOG.isDebugEnabled() ? "debug" : "warning"));
        if (logSizeMax > 0) {
            a.addAll(List.of("--log-size-max", Long.toString(logSizeMax)));
        }
        a.addAll(List.of("--runtime-arg=--log-format=json", "--runtime-arg=--log",
                "--runtime-arg=" + bundleDir.resolve("oci-log")));
        if (terminal) {
            a.add("-t");
        }
        if (stdin) {
            a.add("-i");
        }
        if (execProcessSpec != null) {
            a.addAll(List.of("-e", "--exec-process-spec", execProcessSpec.toString()));
        }
        a.addAll(List.of("--conmon-pidfile", bundleDir.resolve("conmon.pid").toString()));
        if (noPivot) {
            a.add("--no-pivot");
        }
        if (exitCommand != null) {
            a.addAll(List.of("--exit-command", exitCommand.program().toString()));
            for (String arg : exitCommand.args(containerId, netNsPath)) {
                a.addAll(List.of("--exit-command-arg", arg));
            }
        }
        return a;
    }
}
