package io.jpod.oci.conmon.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;
import io.jpod.linux.Linux;
import java.io.BufferedReader;
import java.io.File;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts conmon and reads what it says on its sync pipe: the PID of the container's (or exec session's)
 * process, or the runtime's error.
 *
 * <p>conmon is spawned through {@code /bin/sh}: Java cannot hand a child extra file descriptors, so the
 * sync and start pipes are two FIFOs in the bundle dir (mkfifo(3), through io.jpod.linux), opened by the
 * shell as fds 3 and 4 before it execs conmon with {@code _OCI_SYNCPIPE=3 _OCI_STARTPIPE=4}. conmon
 * daemonizes (its first process exits, reaped here), so it outlives the engine.
 */
final class ConmonSpawner {
    private static final Logger LOG = LoggerFactory.getLogger(ConmonSpawner.class);
    static final long CREATE_TIMEOUT_SECONDS = 240;
    /** conmon's start: the shell opens the FIFOs as fds 3 (sync, written by conmon) and 4 (start, read by it). */
    private static final String SPAWN = "exec 3>\"$1\" 4<\"$2\" || exit 125; shift 2; exec \"$@\"";

    private final Path conmonPath;
    private final ObjectMapper json;
    private final OciErrors errors;

    ConmonSpawner(Path conmonPath, ObjectMapper json, OciErrors errors) {
        this.conmonPath = conmonPath;
        this.json = json;
        this.errors = errors;
    }

    /** Starts conmon with {@code conmonArgs} for {@code id}, lets it go, and returns the PID it reports. */
    int spawn(String id, List<String> conmonArgs, Path runDir) {
        Path sync = runDir.resolve("sync.fifo"), start = runDir.resolve("start.fifo");
        try {
            Linux.mkfifo(sync, 0600);
            Linux.mkfifo(start, 0600);
        } catch (IOException e) {
            throw new JpodException(ErrorCode.OCI_RUNTIME, "cannot make conmon's pipes in " + runDir + ": "
                    + e.getMessage(), e);
        }
        List<String> cmd = new ArrayList<>(List.of("/bin/sh", "-c", SPAWN, "jpod-conmon", sync.toString(),
                start.toString(), conmonPath.toString()));
        cmd.addAll(conmonArgs);
        LOG.debug("running conmon: {}", cmd);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectInput(new File("/dev/null"))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(runDir.resolve("conmon.out").toFile()))
                .redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.remove("NOTIFY_SOCKET");
        env.remove("DBUS_SESSION_BUS_ADDRESS");
        env.put("_OCI_SYNCPIPE", "3");
        env.put("_OCI_STARTPIPE", "4");
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new JpodException(ErrorCode.OCI_RUNTIME_UNAVAILABLE, "cannot run conmon " + conmonPath + ": "
                    + e.getMessage(), e);
        }
        AtomicBoolean opened = new AtomicBoolean();
        // should the shell die before it opened the FIFOs, open their other ends so that we do not block
        p.onExit().thenRun(() -> {
            if (!opened.get()) {
                unblock(sync, start);
            }
        });
        String line;
        try (FileInputStream syncIn = new FileInputStream(sync.toFile())) {
            try (OutputStream startOut = new FileOutputStream(start.toFile())) {
                opened.set(true);
                startOut.write(0);
            } catch (IOException e) {
                LOG.debug("conmon of {} did not take the start byte: {}", id, e.getMessage());
            }
            LOG.debug("conmon of {} started", id);
            if (!p.waitFor(CREATE_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new JpodException(ErrorCode.OCI_RUNTIME, "conmon for container " + id
                        + " did not start within " + CREATE_TIMEOUT_SECONDS + " seconds");
            }
            if (p.exitValue() != 0) {
                throw new JpodException(ErrorCode.OCI_RUNTIME, "conmon failed with exit code " + p.exitValue()
                        + ": " + tail(runDir.resolve("conmon.out")));
            }
            line = readLine(syncIn, sync);
            LOG.debug("conmon of {} says {}", id, line);
        } catch (IOException e) {
            throw new JpodException(ErrorCode.OCI_RUNTIME, "talking to conmon of container " + id + ": "
                    + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JpodException(ErrorCode.OCI_RUNTIME, "interrupted while creating container " + id, e);
        } finally {
            try {
                Files.deleteIfExists(sync);
                Files.deleteIfExists(start);
            } catch (IOException e) {
                LOG.debug("removing conmon's pipes: {}", e.getMessage());
            }
        }
        if (line == null || line.isBlank()) {
            throw new JpodException(ErrorCode.OCI_RUNTIME, "container create failed (no logs from conmon): "
                    + errors.runtimeError(runDir, tail(runDir.resolve("conmon.out"))));
        }
        JsonNode si;
        try {
            si = json.readTree(line);
        } catch (IOException e) {
            throw new JpodException(ErrorCode.OCI_RUNTIME, "conmon bytes \"" + line.trim() + "\": " + e.getMessage());
        }
        int data = si.path("data").asInt(-1);
        if (data <= 0) {
            throw errors.ociError(errors.runtimeError(runDir, si.path("message").asText("")));
        }
        return data;
    }

    /** A line from the sync FIFO; gives up (by writing a line of its own) after the create timeout. */
    private static String readLine(FileInputStream in, Path sync) throws IOException, InterruptedException {
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        CompletableFuture<String> f = CompletableFuture.supplyAsync(() -> {
            try {
                return r.readLine();
            } catch (IOException e) {
                return null;
            }
        }, Io.POOL);
        try {
            return f.get(CREATE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            try (OutputStream w = new FileOutputStream(sync.toFile())) {
                w.write("{\"data\":-1,\"message\":\"timed out waiting for conmon\"}\n".getBytes(StandardCharsets.UTF_8));
            }
            return f.join();
        } catch (ExecutionException e) {
            throw new IOException(e.getCause());
        }
    }

    private static void unblock(Path sync, Path start) {
        CompletableFuture.runAsync(() -> {
            try {
                new FileOutputStream(sync.toFile()).close();
                LOG.debug("unblocked the sync pipe");
            } catch (IOException e) {
                LOG.debug("unblocking the sync pipe: {}", e.getMessage());
            }
        }, Io.POOL);
        CompletableFuture.runAsync(() -> {
            try {
                new FileInputStream(start.toFile()).close();
                LOG.debug("unblocked the start pipe");
            } catch (IOException e) {
                LOG.debug("unblocking the start pipe: {}", e.getMessage());
            }
        }, Io.POOL);
    }

    /** The last 2000 characters of {@code f}; empty when it cannot be read. */
    static String tail(Path f) {
        try {
            String s = Files.readString(f, StandardCharsets.UTF_8).strip();
            return s.length() > 2000 ? s.substring(s.length() - 2000) : s;
        } catch (IOException e) {
            return "";
        }
    }
}
