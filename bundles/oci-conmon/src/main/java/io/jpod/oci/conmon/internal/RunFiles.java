package io.jpod.oci.conmon.internal;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;

/**
 * Where a runtime's containers keep their files:
 * <ul>
 * <li>{@code <tmp_dir>/containers/<id>/userdata} (0700, like {@code <id>}): the bundle and run dir, with
 * config.json (0600), pidfile,
 * conmon.pid, oci-log, the attach socket and ctl FIFO conmon makes, hosts, hostname, resolv.conf; its exec
 * sessions under {@code exec/<session>};</li>
 * <li>{@code <tmp_dir>/exits/<id>}: the exit code conmon writes when the container exits;</li>
 * <li>{@code <tmp_dir>/persist/<id>}: conmon's persist dir (exit and oom files);</li>
 * <li>{@code <static_dir>/containers/<id>/ctr.log} (0600 as conmon makes it, in a dir of 0700): the k8s-file
 * log, kept until the container is removed
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

    /** rwx for root only: the bundle and exec dirs hold specs with the containers' environment. */
    private static final Set<PosixFilePermission> OWNER_DIR = PosixFilePermissions.fromString("rwx------");

    /**
     * Creates {@code dir} and the directories between {@code under} (which must exist) and it, each 0700, also when
     * they are there already. runc and conmon run as root, and what a container reads from there is bind-mounted
     * (files of their own mode), so nobody else needs to reach into them.
     */
    static void createPrivate(Path under, Path dir) throws IOException {
        Path p = under;
        for (Path c : under.relativize(dir)) {
            p = p.resolve(c);
            try {
                Files.createDirectory(p, PosixFilePermissions.asFileAttribute(OWNER_DIR));
            } catch (FileAlreadyExistsException e) {
                // made by an earlier run: its mode is set below
            }
            Files.setPosixFilePermissions(p, OWNER_DIR);
        }
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
