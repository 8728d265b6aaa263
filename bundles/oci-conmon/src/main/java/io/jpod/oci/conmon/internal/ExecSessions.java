package io.jpod.oci.conmon.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jpod.api.ErrorCode;
import io.jpod.api.ExecConfig;
import io.jpod.api.JpodException;
import io.jpod.api.config.JpodConfig;
import io.jpod.linux.SeqPacketSocket;
import io.jpod.util.internal.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exec sessions, as libpod's exec through conmon: each in {@code <run dir>/exec/<session>} (process.json,
 * pidfile, the k8s-file log exec.log, the exit file exit/<container id>, the attach socket and ctl FIFO),
 * run by a conmon of its own with {@code -e --exec-process-spec}.
 */
final class ExecSessions {
    private static final Logger LOG = LoggerFactory.getLogger(ExecSessions.class);

    private final RunFiles files;
    private final Path runtimePath;
    private final JpodConfig conf;
    private final ObjectMapper json;
    private final ConmonSpawner spawner;

    ExecSessions(RunFiles files, Path runtimePath, JpodConfig conf, ObjectMapper json, ConmonSpawner spawner) {
        this.files = files;
        this.runtimePath = runtimePath;
        this.conf = conf;
        this.json = json;
        this.spawner = spawner;
    }

    /**
     * Starts a session: a process spec made from the container's (its user, caps, cwd, rlimits) with the
     * command, the environment added, the user, working directory, privileges and terminal flag of
     * {@code config}. Returns the PID of the exec'd process.
     */
    int start(String id, String name, String mountPoint, String sessionId, ExecConfig config) {
        ConmonRuntime.checkId(sessionId);
        List<String> command = config.command();
        if (command.isEmpty()) {
            throw new JpodException(ErrorCode.INVALID_ARG, "must provide a non-empty command to start an exec session: invalid argument");
        }
        boolean tty = config.tty();
        Path dir = files.execDir(id, sessionId);
        try {
            ObjectNode process = processSpec(id, mountPoint, config);
            ConmonRuntime.deleteTree(dir);
            RunFiles.createPrivate(files.runDir(id), dir);
            Files.createDirectories(dir.resolve("exit"));
            Files.createDirectories(dir.resolve("persist"));
            // the environment in it may hold passwords; no fsync: the run dir does not outlive a reboot
            AtomicFiles.writeVolatile(dir.resolve("process.json"), json.writeValueAsBytes(process),
                    AtomicFiles.OWNER_ONLY);
        } catch (NoSuchFileException e) {
            throw new JpodException(ErrorCode.CTR_STATE_INVALID, "container " + id
                    + " has no bundle in its run dir: it must be created or running to exec in it");
        } catch (IOException e) {
            throw new JpodException(ErrorCode.OCI_RUNTIME, "preparing exec session " + sessionId + " of " + id + ": "
                    + e.getMessage(), e);
        }
        List<String> args = new ConmonCommand(runtimePath, files.runtimeRoot, conf, id, sessionId, name, dir)
                .exits(dir.resolve("exit"), dir.resolve("persist"))
                .log("k8s-file", dir.resolve("exec.log"), 0)
                // -i as podman's exec: with a terminal too, so that the end of input closes it
                .stdio(tty, config.attachStdin())
                .execProcessSpec(dir.resolve("process.json"))
                .args();
        return spawner.spawn(id, args, dir);
    }

    private ObjectNode processSpec(String id, String mountPoint, ExecConfig config) throws IOException {
        JsonNode spec = json.readTree(files.runDir(id).resolve("config.json").toFile());
        ObjectNode process = ((ObjectNode) spec.get("process")).deepCopy();
        process.put("terminal", config.tty());
        var args = process.putArray("args");
        config.command().forEach(args::add);
        Map<String, String> merged = new LinkedHashMap<>();
        for (JsonNode e : process.path("env")) {
            put(merged, e.asText());
        }
        config.env().forEach(e -> put(merged, e));
        var envNode = process.putArray("env");
        merged.forEach((k, v) -> envNode.add(k + "=" + v));
        if (config.workingDir() != null && !config.workingDir().isBlank()) {
            process.put("cwd", config.workingDir());
        }
        boolean root = process.path("user").path("uid").asLong(0) == 0;
        if (config.user() != null && !config.user().isBlank()) {
            String rootfs = spec.path("root").path("path").asText(mountPoint);
            ExecUser user = ExecUser.resolve(Path.of(rootfs), config.user());
            ObjectNode u = process.putObject("user");
            u.put("uid", Integer.toUnsignedLong(user.uid()));
            u.put("gid", Integer.toUnsignedLong(user.gid()));
            if (!user.additionalGids().isEmpty()) {
                var ag = u.putArray("additionalGids");
                user.additionalGids().forEach(g -> ag.add(Integer.toUnsignedLong(g)));
            }
            root = user.uid() == 0;
        }
        ObjectNode caps = process.get("capabilities") instanceof ObjectNode o ? o
                : process.putObject("capabilities");
        // never inheritable (nor ambient) capabilities: a program with file capabilities would gain them across
        // execve, a user other than root included (CVE-2022-27649)
        caps.remove("inheritable");
        caps.remove("ambient");
        if (config.privileged()) {
            // as podman exec --privileged: every capability the host kernel knows
            List<String> all = Capabilities.all();
            for (String set : List.of("bounding", "effective", "permitted")) {
                var a = caps.putArray(set);
                if (root || set.equals("bounding")) {
                    all.forEach(a::add);
                }
            }
        } else if (!root) {
            // as for a container's own process: a user other than root keeps its caps in bounding only
            caps.putArray("effective");
            caps.putArray("permitted");
        }
        return process;
    }

    private static void put(Map<String, String> env, String kv) {
        int eq = kv.indexOf('=');
        if (eq > 0) {
            env.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
    }

    /** The exit code of a finished session, empty while it runs. */
    OptionalInt exitCode(String id, String sessionId) {
        Path f = files.execDir(id, sessionId).resolve("exit").resolve(id);
        try {
            return OptionalInt.of(Integer.parseInt(Files.readString(f).trim()));
        } catch (IOException | NumberFormatException e) {
            return OptionalInt.empty();
        }
    }

    /** The session's k8s-file log. */
    Path logPath(String id, String sessionId) {
        return files.execDir(id, sessionId).resolve("exec.log");
    }

    void resize(String id, String sessionId, int height, int width) {
        ControlFifo.resize(files.execDir(id, sessionId), "exec session " + sessionId, height, width);
    }

    /** Feeds {@code stdin} to the session through its attach socket; closing the result ends it. */
    AutoCloseable stdin(String id, String sessionId, InputStream stdin) {
        Path sock = files.execDir(id, sessionId).resolve("attach");
        SeqPacketSocket s;
        try {
            s = SeqPacketSocket.connect(sock);
        } catch (IOException e) {
            // the process ended (and its conmon with it) before we came: nothing wants the input
            LOG.debug("exec session {}: no stdin: {}", sessionId, e.getMessage());
            return () -> { };
        }
        Attach.feed(s, stdin);
        // conmon copies the output to every attached socket too: read and drop it (the log has it)
        Io.POOL.execute(() -> Attach.drain(s));
        return s::close;
    }

    /** Ends the session's conmon (when it still runs) and removes its files. */
    void remove(String id, String sessionId) {
        ConmonRuntime.checkId(sessionId);
        Path dir = files.execDir(id, sessionId);
        ConmonProcesses.kill(ConmonProcesses.readPid(dir.resolve("conmon.pid")));
        try {
            ConmonRuntime.deleteTree(dir);
        } catch (IOException e) {
            LOG.warn("removing exec session {} of {}: {}", sessionId, id, e.getMessage());
        }
    }
}
