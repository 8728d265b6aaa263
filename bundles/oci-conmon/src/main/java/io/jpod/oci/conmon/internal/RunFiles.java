package io.jpod.oci.conmon.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Where a runtime's containers keep their files:
 * <ul>
 * <li>{@code <tmp_dir>/containers/<id>/userdata}: the bundle and run dir, with config.json, pidfile,
 * conmon.pid, oci-log, the attach socket and ctl FIFO conmon makes, hosts, hostname, resolv.conf; its exec
 * sessions under {@code exec/<session>};</li>
 * <li>{@code <tmp_dir>/exits/<id>}: the exit code conmon writes when the container exits;</li>
 * <li>{@code <tmp_dir>/persist/<id>}: conmon's persist dir (exit and oom files);</li>
 * <li>{@code <static_dir>/containers/<id>/ctr.log}: the k8s-file log, kept until the container is removed
 * (it is not per-boot);</li>
 * <li>the runtime's state under {@code <tmp_dir>/runtime/<name>} (its {@code --root}), so that engines
 * with different tmp dirs never see each other's containers.</li>
 * </ul>
 */
final class RunFiles {
    final Path containersDir, exitsDir, persistDir, runtimeRoot, logsDir;

    RunFiles(String runtimeName, Path tmpDir, Path staticDir) {
        this.containersDir = tmpDir.resolve("containers");
        this.exitsDir = tmpDir.resolve("exits");
        this.persistDir = tmpDir.resolve("persist");
        this.runtimeRoot = tmpDir.resolve("runtime").resolve(safe(runtimeName));
        this.logsDir = staticDir.resolve("containers");
    }

    private static String safe(String n) {
        String s = n.replaceAll("[^A-Za-z0-9_.-]", "_").replaceAll("^[_.]+", "");
        return s.isEmpty() ? "runtime" : s;
    }

    void createDirectories() throws IOException {
        for (Path d : List.of(containersDir, exitsDir, persistDir, runtimeRoot)) {
            Files.createDirectories(d);
        }
    }

    Path runDir(String id) {
        return containersDir.resolve(id).resolve("userdata");
    }

    Path exitFile(String id) {
        return exitsDir.resolve(id);
    }

    Path persistDir(String id) {
        return persistDir.resolve(id);
    }

    Path logPath(String id) {
        return logsDir.resolve(id).resolve("ctr.log");
    }

    Path execDir(String id, String sessionId) {
        return runDir(id).resolve("exec").resolve(sessionId);
    }
}
