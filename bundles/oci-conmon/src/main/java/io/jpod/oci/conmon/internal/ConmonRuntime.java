package io.jpod.oci.conmon.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jpod.api.AttachStreams;
import io.jpod.api.Container;
import io.jpod.api.ContainerConfig;
import io.jpod.api.ContainerState;
import io.jpod.api.ContainerStatus;
import io.jpod.api.ErrorCode;
import io.jpod.api.ExecConfig;
import io.jpod.api.JpodException;
import io.jpod.api.config.JpodConfig;
import io.jpod.spi.oci.OciRuntime;
import java.io.BufferedReader;
import java.io.File;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An OCI runtime (runc or any runtime with runc's command line) run through conmon, as libpod's
 * ConmonOCIRuntime. Per container:
 * <ul>
 * <li>{@code <tmp_dir>/containers/<id>/userdata}: the bundle and run dir, with config.json, pidfile,
 * conmon.pid, oci-log, the attach socket and ctl FIFO conmon makes, hosts, hostname, resolv.conf;</li>
 * <li>{@code <tmp_dir>/exits/<id>}: the exit code conmon writes when the container exits;</li>
 * <li>{@code <tmp_dir>/persist/<id>}: conmon's persist dir (exit and oom files);</li>
 * <li>{@code <static_dir>/containers/<id>/ctr.log}: the k8s-file log, kept until the container is removed
 * (it is not per-boot);</li>
 * <li>the runtime's state under {@code <tmp_dir>/runtime/<name>} (its {@code --root}), so that engines
 * with different tmp dirs never see each other's containers.</li>
 * </ul>
 *
 * <p>conmon is spawned through {@code /bin/sh}: Java cannot hand a child extra file descriptors, so the
 * sync and start pipes are two FIFOs in the run dir, opened by the shell as fds 3 and 4 before it
 * execs conmon with {@code _OCI_SYNCPIPE=3 _OCI_STARTPIPE=4}. conmon daemonizes (its first process
 * exits, reaped here), so it outlives the engine.
 */
final class ConmonRuntime implements OciRuntime {
    private static final Logger LOG = LoggerFactory.getLogger(ConmonRuntime.class);
    static final int SIGKILL = 9, SIGTERM = 15;
    private static final long CREATE_TIMEOUT_SECONDS = 240, RUNTIME_TIMEOUT_SECONDS = 60;
    private static final Pattern MSG = Pattern.compile("msg=\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final Pattern PERMISSION = Pattern.compile("(?i).*permission denied.*|.*operation not permitted.*");
    private static final Pattern NOT_FOUND = Pattern.compile(
            "(?i).*executable file not found in.*|.*no such file or directory.*|.*open executable.*");
    /** conmon's start: the shell opens the FIFOs as fds 3 (sync, written by conmon) and 4 (start, read by it). */
    private static final String SPAWN = "exec 3>\"$1\" 4<\"$2\" || exit 125; shift 2; exec \"$@\"";

    private final String name;
    private final Path runtimePath;
    private final Path conmonPath;
    private final JpodConfig conf;
    private final Path containersDir, exitsDir, persistDir, runtimeRoot, logsDir;
    private final ObjectMapper json = new ObjectMapper();
    private final SpecGenerator specs;
    private final Path tmpDir;
    private Path exitCommand;

    ConmonRuntime(String name, Path runtimePath, Path conmonPath, JpodConfig conf, Path tmpDir, Path staticDir) {
        this.name = name;
        this.runtimePath = runtimePath;
        this.conmonPath = conmonPath;
        this.conf = conf;
        this.tmpDir = tmpDir;
        this.containersDir = tmpDir.resolve("containers");
        this.exitsDir = tmpDir.resolve("exits");
        this.persistDir = tmpDir.resolve("persist");
        this.runtimeRoot = tmpDir.resolve("runtime").resolve(safe(name));
        this.logsDir = staticDir.resolve("containers");
        this.specs = new SpecGenerator(json, conf, HostLimits.read(), Path.of("/etc/resolv.conf"));
        try {
            for (Path d : List.of(containersDir, exitsDir, persistDir, runtimeRoot)) {
                Files.createDirectories(d);
            }
        } catch (IOException e) {
            throw new JpodException(ErrorCode.OCI_RUNTIME_UNAVAILABLE, "OCI runtime " + name
                    + ": cannot create its directories under " + tmpDir + ": " + e.getMessage(), e);
        }
    }

    private static String safe(String n) {
        String s = n.replaceAll("[^A-Za-z0-9_.-]", "_").replaceAll("^[_.]+", "");
        return s.isEmpty() ? "runtime" : s;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Path path() {
        return runtimePath;
    }

    Path runDir(String id) {
        return containersDir.resolve(id).resolve("userdata");
    }

    Path exitFile(String id) {
        return exitsDir.resolve(id);
    }

    /** The container's k8s-file log. */
    @Override
    public Path logPath(Container ctr) {
        return logPath(ctr.id());
    }

    Path logPath(String id) {
        return logsDir.resolve(id).resolve("ctr.log");
    }

    @Override
    public Path attachSocketPath(Container ctr) {
        return runDir(ctr.id()).resolve("attach");
    }

    @Override
    public void resizeTerminal(Container ctr, int height, int width) {
        ControlFifo.resize(runDir(ctr.id()), "container " + ctr.id(), height, width);
    }

    @Override
    public void execResizeTerminal(Container ctr, String sessionId, int height, int width) {
        ControlFifo.resize(execDir(ctr.id(), sessionId), "exec session " + sessionId, height, width);
    }

    // ---------------------------------------------------------------------------------------- create

    @Override
    public ContainerState createContainer(Container ctr) {
        ContainerConfig cfg = ctr.config();
        String id = cfg.id();
        checkId(id);
        String root = ctr.state().mountPoint() != null ? ctr.state().mountPoint() : cfg.rootfs();
        if (root == null || root.isEmpty()) {
            throw new JpodException(ErrorCode.INVALID_ARG, "container " + id
                    + " has no root filesystem: mount it or give one");
        }
        Path runDir = runDir(id);
        try {
            if (Files.exists(runtimeRoot.resolve(id))) {
                LOG.info("container {} is still known to {} from an earlier run: deleting it there", id, name);
                runtime("delete", "--force", id);
            }
            deleteTree(runDir);
            Files.deleteIfExists(exitFile(id));
            deleteTree(persistDir.resolve(id));
            Files.createDirectories(runDir);
            Files.createDirectories(persistDir.resolve(id));
            Files.createDirectories(logPath(id).getParent());
            ObjectNode spec = specs.generate(cfg, Path.of(root), ctr.state().netNsPath(), runDir);
            json.writerWithDefaultPrettyPrinter().writeValue(runDir.resolve("config.json").toFile(), spec);
        } catch (IOException e) {
            throw new JpodException(ErrorCode.OCI_RUNTIME, "preparing the bundle of container " + id + " in "
                    + runDir + ": " + e.getMessage(), e);
        }
        int pid;
        try {
            pid = spawnConmon(id, conmonArgs(cfg, runDir), runDir);
        } catch (RuntimeException e) {
            try {
                runtimeQuiet("delete", "--force", id);
                killConmon(readPid(runDir.resolve("conmon.pid")));
            } catch (RuntimeException e2) {
                LOG.debug("cleaning up after a failed create of {}: {}", id, e2.getMessage());
            }
            throw e;
        }
        int conmonPid = readPid(runDir.resolve("conmon.pid"));
        ContainerState s = ctr.state();
        return new ContainerState(ContainerStatus.CREATED, pid, conmonPid, s.exitCode(), s.exited(), false,
                s.startedAt(), s.finishedAt(), s.mountPoint(), s.netNsPath(), runDir.toString(), s.restartCount(),
                null);
    }

    private List<String> conmonArgs(ContainerConfig cfg, Path runDir) {
        String id = cfg.id();
        List<String> a = new ArrayList<>(List.of("--api-version", "1", "-c", id, "-u", id, "-r",
                runtimePath.toString(), "-b", runDir.toString(), "-p", runDir.resolve("pidfile").toString(),
                "-n", cfg.name() == null ? id : cfg.name(), "--exit-dir", exitsDir.toString(), "--persist-dir",
                persistDir.resolve(id).toString(), "--full-attach"));
        a.add("--runtime-arg=--root");
        a.add("--runtime-arg=" + runtimeRoot);
        if ("systemd".equals(conf.engine().cgroupManager())) {
            a.add("-s");
        }
        String driver = conf.containers().logDriver();
        if ("none".equals(driver) || "journald".equals(driver)) {
            a.addAll(List.of("-l", driver));
        } else {
            a.addAll(List.of("-l", "k8s-file:" + logPath(id)));
        }
        a.addAll(List.of("--log-level", LOG.isDebugEnabled() ? "debug" : "warning"));
        if (conf.containers().logSizeMax() > 0) {
            a.addAll(List.of("--log-size-max", Long.toString(conf.containers().logSizeMax())));
        }
        a.add("--runtime-arg=--log-format=json");
        a.add("--runtime-arg=--log");
        a.add("--runtime-arg=" + runDir.resolve("oci-log"));
        if (cfg.terminal()) {
            a.add("-t");
        } else if (cfg.stdin()) {
            a.add("-i");
        }
        a.addAll(List.of("--conmon-pidfile", runDir.resolve("conmon.pid").toString()));
        if (conf.engine().noPivotRoot()) {
            a.add("--no-pivot");
        }
        if (exitCommand != null) {
            a.addAll(List.of("--exit-command", exitCommand.toString()));
            for (String arg : exitCommandArgs(id)) {
                a.addAll(List.of("--exit-command-arg", arg));
            }
        }
        return a;
    }

    /**
     * Sets the program conmon runs when the container exits, as podman's {@code container cleanup}: the
     * distribution's {@code bin/jpod-container-exited}. Without one (e.g. in Karaf) exits are acted on
     * when the service sees them.
     */
    void exitCommand(Path program) {
        this.exitCommand = program;
    }

    /** The service's PID (the program does nothing while it lives), then a {@code jpod container cleanup}. */
    List<String> exitCommandArgs(String id) {
        List<String> args = new ArrayList<>(List.of(Long.toString(ProcessHandle.current().pid()), "--url",
                "unix://" + socketPath(), "container", "cleanup", "--tmpdir", tmpDir.toString()));
        String configDir = conf.network().networkConfigDir();
        if (configDir != null && !configDir.isBlank()) {
            args.addAll(List.of("--network-config-dir", configDir));
        }
        for (String d : conf.network().cniPluginDirs()) {
            args.addAll(List.of("--cni-plugin-dir", d));
        }
        args.add(id);
        return args;
    }

    /** Where the REST service listens, by the same precedence as it has ($JPOD_SOCKET, then jpod.socket). */
    private static String socketPath() {
        String env = System.getenv("JPOD_SOCKET");
        if (env != null && !env.isBlank()) {
            return env;
        }
        return System.getProperty("jpod.socket", "/run/jpod/jpod.sock");
    }

    /** Starts conmon, lets it go, and reads the container's PID (or the runtime's error) from the sync pipe. */
    private int spawnConmon(String id, List<String> conmonArgs, Path runDir) {
        Path sync = runDir.resolve("sync.fifo"), start = runDir.resolve("start.fifo");
        Exec.Result mk = Exec.run(List.of("mkfifo", "-m", "0600", sync.toString(), start.toString()), 30);
        if (!mk.ok()) {
            throw new JpodException(ErrorCode.OCI_RUNTIME, "cannot make conmon's pipes in " + runDir + ": "
                    + mk.err().trim());
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
                    + runtimeError(runDir, tail(runDir.resolve("conmon.out"))));
        }
        JsonNode si;
        try {
            si = json.readTree(line);
        } catch (IOException e) {
            throw new JpodException(ErrorCode.OCI_RUNTIME, "conmon bytes \"" + line.trim() + "\": " + e.getMessage());
        }
        int data = si.path("data").asInt(-1);
        if (data <= 0) {
            throw ociError(runtimeError(runDir, si.path("message").asText("")));
        }
        return data;
    }

    /** A line from the sync FIFO; gives up (by writing a line of its own) after the create timeout. */
    private String readLine(FileInputStream in, Path sync) throws IOException, InterruptedException {
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

    /** The runtime's own error from its JSON log (oci-log), else {@code fallback}. */
    private String runtimeError(Path runDir, String fallback) {
        Path log = runDir.resolve("oci-log");
        String msg = null;
        try {
            if (Files.exists(log)) {
                for (String l : Files.readAllLines(log, StandardCharsets.UTF_8)) {
                    try {
                        JsonNode n = json.readTree(l);
                        if (n != null && "error".equals(n.path("level").asText()) && n.hasNonNull("msg")) {
                            msg = n.get("msg").asText();
                        }
                    } catch (IOException e) {
                        LOG.trace("not JSON in {}: {}", log, l);
                    }
                }
            }
        } catch (IOException e) {
            LOG.debug("reading {}: {}", log, e.getMessage());
        }
        return msg != null ? msg : fallback;
    }

    /** libpod's getOCIRuntimeError: permission denied (126), not found (127), anything else. */
    JpodException ociError(String runtimeMsg) {
        String msg = runtimeMsg == null ? "" : runtimeMsg.strip();
        Matcher m = PERMISSION.matcher(msg);
        if (m.find()) {
            return new JpodException(ErrorCode.OCI_RUNTIME_PERMISSION_DENIED, name + ": " + m.group().strip()
                    + ": OCI permission denied");
        }
        m = NOT_FOUND.matcher(msg);
        if (m.find()) {
            return new JpodException(ErrorCode.OCI_RUNTIME_NOT_FOUND, name + ": " + m.group().strip()
                    + ": OCI runtime attempted to invoke a command that was not found");
        }
        return new JpodException(ErrorCode.OCI_RUNTIME, name + ": " + msg + ": OCI runtime error");
    }

    // ---------------------------------------------------------------------------------------- lifecycle

    @Override
    public ContainerState startContainer(Container ctr) {
        runtime("start", ctr.id());
        seenRunning.put(ctr.id(), System.nanoTime());
        return ctr.state().withStatus(ContainerStatus.RUNNING).withStarted(Instant.now()).withError(null);
    }

    @Override
    public void killContainer(Container ctr, int signal, boolean all) {
        List<String> args = new ArrayList<>(List.of("kill"));
        if (all) {
            args.add("--all");
        }
        args.add(ctr.id());
        args.add(Integer.toString(signal));
        runtime(args.toArray(String[]::new));
    }

    @Override
    public ContainerState stopContainer(Container ctr, long timeoutSeconds, boolean all) {
        String id = ctr.id();
        int stopSignal = ctr.config().stopSignal() > 0 ? ctr.config().stopSignal() : SIGTERM;
        if (timeoutSeconds > 0 && !exited(id)) {
            try {
                killContainer(ctr, stopSignal, all);
            } catch (JpodException e) {
                LOG.debug("stop signal to {}: {}", id, e.getMessage());
            }
            if (waitExit(ctr, timeoutSeconds * 1000)) {
                return exitedState(ctr);
            }
            LOG.info("container {} did not stop within {} seconds after signal {}: sending SIGKILL", id,
                    timeoutSeconds, stopSignal);
        }
        if (!exited(id)) {
            try {
                killContainer(ctr, SIGKILL, all);
            } catch (JpodException e) {
                LOG.debug("SIGKILL to {}: {}", id, e.getMessage());
            }
            if (!waitExit(ctr, 5000)) {
                throw new JpodException(ErrorCode.OCI_RUNTIME, "container " + id
                        + " did not exit within 5 seconds after SIGKILL");
            }
        }
        return exitedState(ctr);
    }

    @Override
    public void deleteContainer(Container ctr) {
        String id = ctr.id();
        seenRunning.remove(id);
        Exec.Result r = runtimeQuiet("delete", "--force", id);
        if (!r.ok() && !notExist(r)) {
            throw runtimeFailure("delete", r);
        }
        int conmon = ctr.state().conmonPid() > 0 ? ctr.state().conmonPid() : readPid(runDir(id).resolve("conmon.pid"));
        LOG.debug("deleted {} from {}", id, name);
        killConmon(conmon);
        LOG.debug("conmon {} of {} is gone", conmon, id);
        try {
            deleteTree(containersDir.resolve(id));
            Files.deleteIfExists(exitFile(id));
            deleteTree(persistDir.resolve(id));
        } catch (IOException e) {
            throw new JpodException(ErrorCode.OCI_RUNTIME, "removing the run files of container " + id + ": "
                    + e.getMessage(), e);
        }
    }

    @Override
    public ContainerState pauseContainer(Container ctr) {
        runtime("pause", ctr.id());
        return ctr.state().withStatus(ContainerStatus.PAUSED);
    }

    @Override
    public ContainerState unpauseContainer(Container ctr) {
        runtime("resume", ctr.id());
        return ctr.state().withStatus(ContainerStatus.RUNNING);
    }

    @Override
    public ContainerState updateContainerStatus(Container ctr) {
        ContainerState s = ctr.state();
        switch (s.status()) {
            case CREATED, RUNNING, PAUSED, STOPPING, UNKNOWN -> {
            }
            default -> {
                return s;
            }
        }
        String id = ctr.id();
        if (exited(id)) {
            seenRunning.remove(id);
            return exitedState(ctr);
        }
        if (s.status() == ContainerStatus.RUNNING) {
            Long seen = seenRunning.get(id);
            if (seen != null && System.nanoTime() - seen < RUNNING_TRUST_NANOS) {
                return s;
            }
        }
        Exec.Result r = runtimeQuiet("state", id);
        if (!r.ok()) {
            if (notExist(r)) {
                return exitedState(ctr);
            }
            throw runtimeFailure("state", r);
        }
        JsonNode st;
        try {
            st = json.readTree(r.out());
        } catch (IOException e) {
            throw new JpodException(ErrorCode.OCI_RUNTIME, name + " state " + id + " gave no JSON: " + r.out());
        }
        return switch (st.path("status").asText()) {
            case "created" -> s.withStatus(ContainerStatus.CREATED).withProcess(st.path("pid").asInt(s.pid()),
                    s.conmonPid());
            case "running" -> {
                seenRunning.put(id, System.nanoTime());
                yield s.withStatus(ContainerStatus.RUNNING);
            }
            case "paused" -> s.withStatus(ContainerStatus.PAUSED);
            case "stopped" -> exitedState(ctr);
            default -> throw new JpodException(ErrorCode.OCI_RUNTIME, "container " + id + " is in unknown state \""
                    + st.path("status").asText() + "\" in " + name);
        };
    }

    /**
     * As libpod's exec through conmon: a process spec made from the container's (its user, caps, cwd,
     * rlimits) with the command, the environment added, the user, working directory, privileges and terminal
     * flag of {@code config}, run by a conmon of its own with {@code -e --exec-process-spec}, in
     * {@code <run dir>/exec/<session>} (pidfile, k8s-file log exec.log, exit file exit/<container id>, the
     * attach socket). Returns the PID of the exec'd process.
     */
    @Override
    public int execContainer(Container ctr, String sessionId, ExecConfig config) {
        String id = ctr.id();
        checkId(sessionId);
        List<String> command = config.command();
        if (command.isEmpty()) {
            throw new JpodException(ErrorCode.INVALID_ARG, "must provide a non-empty command to start an exec session: invalid argument");
        }
        boolean tty = config.tty();
        Path runDir = runDir(id);
        Path dir = execDir(id, sessionId);
        try {
            JsonNode spec = json.readTree(runDir.resolve("config.json").toFile());
            ObjectNode process = ((ObjectNode) spec.get("process")).deepCopy();
            process.put("terminal", tty);
            var args = process.putArray("args");
            command.forEach(args::add);
            Map<String, String> merged = new java.util.LinkedHashMap<>();
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
                String rootfs = spec.path("root").path("path").asText(ctr.state().mountPoint());
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
            if (config.privileged()) {
                // as podman exec --privileged: every capability the host kernel knows
                List<String> all = Capabilities.all();
                for (String set : List.of("bounding", "effective", "permitted", "inheritable")) {
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
            deleteTree(dir);
            Files.createDirectories(dir.resolve("exit"));
            Files.createDirectories(dir.resolve("persist"));
            json.writeValue(dir.resolve("process.json").toFile(), process);
        } catch (NoSuchFileException e) {
            throw new JpodException(ErrorCode.CTR_STATE_INVALID, "container " + id
                    + " has no bundle in its run dir: it must be created or running to exec in it");
        } catch (IOException e) {
            throw new JpodException(ErrorCode.OCI_RUNTIME, "preparing exec session " + sessionId + " of " + id + ": "
                    + e.getMessage(), e);
        }
        List<String> a = new ArrayList<>(List.of("--api-version", "1", "-c", id, "-u", sessionId, "-r",
                runtimePath.toString(), "-b", dir.toString(), "-p", dir.resolve("pidfile").toString(), "-n",
                ctr.name() == null ? id : ctr.name(), "--exit-dir", dir.resolve("exit").toString(), "--persist-dir",
                dir.resolve("persist").toString(), "--full-attach", "--runtime-arg=--root",
                "--runtime-arg=" + runtimeRoot, "-l", "k8s-file:" + dir.resolve("exec.log"), "--log-level",
                LOG.isDebugEnabled() ? "debug" : "warning", "--runtime-arg=--log-format=json",
                "--runtime-arg=--log", "--runtime-arg=" + dir.resolve("oci-log")));
        if ("systemd".equals(conf.engine().cgroupManager())) {
            a.add("-s");
        }
        if (tty) {
            a.add("-t");
        }
        if (config.attachStdin()) {
            a.add("-i"); // as podman's exec: with a terminal too, so that the end of input closes it
        }
        a.addAll(List.of("-e", "--exec-process-spec", dir.resolve("process.json").toString(), "--conmon-pidfile",
                dir.resolve("conmon.pid").toString()));
        return spawnConmon(id, a, dir);
    }

    Path execDir(String id, String sessionId) {
        return runDir(id).resolve("exec").resolve(sessionId);
    }

    @Override
    public java.util.OptionalInt execExitCode(Container ctr, String sessionId) {
        return execExitCode(ctr.id(), sessionId);
    }

    /** The exit code of a finished exec session, empty while it runs. */
    java.util.OptionalInt execExitCode(String id, String sessionId) {
        Path f = execDir(id, sessionId).resolve("exit").resolve(id);
        try {
            return java.util.OptionalInt.of(Integer.parseInt(Files.readString(f).trim()));
        } catch (IOException | NumberFormatException e) {
            return java.util.OptionalInt.empty();
        }
    }

    /** The k8s-file log of an exec session. */
    @Override
    public Path execLogPath(Container ctr, String sessionId) {
        return execLogPath(ctr.id(), sessionId);
    }

    Path execLogPath(String id, String sessionId) {
        return execDir(id, sessionId).resolve("exec.log");
    }

    @Override
    public AutoCloseable execStdin(Container ctr, String sessionId, java.io.InputStream stdin) {
        Path sock = execDir(ctr.id(), sessionId).resolve("attach");
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

    @Override
    public void execRemove(Container ctr, String sessionId) {
        checkId(sessionId);
        Path dir = execDir(ctr.id(), sessionId);
        killConmon(readPid(dir.resolve("conmon.pid")));
        try {
            deleteTree(dir);
        } catch (IOException e) {
            LOG.warn("removing exec session {} of {}: {}", sessionId, ctr.id(), e.getMessage());
        }
    }

    @Override
    public void attach(Container ctr, AttachStreams streams) throws InterruptedException {
        Path sock = attachSocketPath(ctr);
        SeqPacketSocket s;
        try {
            s = SeqPacketSocket.connect(sock);
        } catch (IOException e) {
            throw new JpodException(ErrorCode.CTR_STATE_INVALID, "cannot attach to container " + ctr.id()
                    + ": its conmon does not answer on " + sock + " (" + e.getMessage() + "): container state improper");
        }
        Attach.copy(s, streams, ctr.config().stdin(), ctr.config().terminal());
    }

    private static void put(Map<String, String> env, String kv) {
        int eq = kv.indexOf('=');
        if (eq > 0) {
            env.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
    }

    @Override
    public void close() {
        // conmon keeps every container running; nothing of ours to release
    }

    // ---------------------------------------------------------------------------------------- helpers

    /**
     * When runc last said a container runs (System.nanoTime). For that long its exit file, which conmon
     * writes whenever the container exits, is all a status check reads: a wait polls it cheaply, and only a
     * conmon that died without writing it is seen that much later.
     */
    private final Map<String, Long> seenRunning = new java.util.concurrent.ConcurrentHashMap<>();
    private static final long RUNNING_TRUST_NANOS = 2_000_000_000L;

    private boolean exited(String id) {
        return Files.exists(exitFile(id));
    }

    /** Waits for conmon's exit file; true once it exists. */
    private boolean waitExit(Container ctr, long millis) {
        long end = System.nanoTime() + millis * 1_000_000;
        long sleep = 5;
        while (true) {
            if (exited(ctr.id())) {
                return true;
            }
            int conmon = ctr.state().conmonPid();
            if (conmon > 0 && !isConmon(conmon) && !exited(ctr.id())) {
                return Files.exists(exitFile(ctr.id())); // conmon died without an exit file
            }
            if (System.nanoTime() > end) {
                return false;
            }
            try {
                Thread.sleep(sleep);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return exited(ctr.id());
            }
            sleep = Math.min(100, sleep * 2);
        }
    }

    /** The state after the container exited, with conmon's exit code (waiting a little for it). */
    private ContainerState exitedState(Container ctr) {
        String id = ctr.id();
        Path f = exitFile(id);
        if (!Files.exists(f)) {
            waitExit(ctr, 2000);
        }
        ContainerState s = ctr.state().withStatus(ContainerStatus.EXITED);
        boolean oom = Files.exists(persistDir.resolve(id).resolve("oom"));
        try {
            String code = Files.readString(f, StandardCharsets.UTF_8).trim();
            Instant at = Files.getLastModifiedTime(f).toInstant();
            return s.withExit(Integer.parseInt(code), oom, at).withError(null);
        } catch (NoSuchFileException e) {
            LOG.warn("container {} exited but conmon wrote no exit file {}: exit code unknown", id, f);
            return s.withExit(-1, oom, Instant.now()).withError("container exited, but conmon wrote no exit file");
        } catch (IOException | NumberFormatException e) {
            return s.withExit(-1, oom, Instant.now()).withError("reading exit file " + f + ": " + e.getMessage());
        }
    }

    /** Makes sure a conmon whose container is gone does not linger: a moment to finish, then SIGKILL. */
    private static void killConmon(int pid) {
        if (pid <= 0 || !isConmon(pid)) {
            return;
        }
        long end = System.nanoTime() + 2_000_000_000L;
        long sleep = 1;
        while (isConmon(pid)) {
            if (System.nanoTime() > end) {
                LOG.debug("conmon {} still runs after its container was deleted: killing it", pid);
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
                return;
            }
            try {
                Thread.sleep(sleep);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            sleep = Math.min(50, sleep * 2);
        }
    }

    /** True if {@code pid} is a conmon that has not exited (a zombie waiting for its reaper counts as exited). */
    static boolean isConmon(int pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            int open = stat.indexOf('('), close = stat.lastIndexOf(')');
            return open >= 0 && close > open && stat.substring(open + 1, close).equals("conmon")
                    && stat.length() > close + 2 && stat.charAt(close + 2) != 'Z' && stat.charAt(close + 2) != 'X';
        } catch (IOException e) {
            return false;
        }
    }

    static int readPid(Path file) {
        try {
            return Integer.parseInt(Files.readString(file).trim());
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }

    private void runtime(String... args) {
        Exec.Result r = runtimeQuiet(args);
        if (!r.ok()) {
            throw runtimeFailure(args[0], r);
        }
    }

    private Exec.Result runtimeQuiet(String... args) {
        List<String> cmd = new ArrayList<>(List.of(runtimePath.toString(), "--root", runtimeRoot.toString()));
        cmd.addAll(List.of(args));
        return Exec.run(cmd, RUNTIME_TIMEOUT_SECONDS);
    }

    private JpodException runtimeFailure(String what, Exec.Result r) {
        String err = r.err().isBlank() ? r.out() : r.err();
        Matcher m = MSG.matcher(err);
        String msg = null;
        while (m.find()) {
            msg = m.group(1).replace("\\\"", "\"");
        }
        String text = (msg != null ? msg : err).strip();
        JpodException e = ociError(what + ": " + text);
        return e.code() == ErrorCode.OCI_RUNTIME ? new JpodException(ErrorCode.OCI_RUNTIME, name + " " + what
                + " failed (exit " + r.exit() + "): " + text + ": OCI runtime error") : e;
    }

    private static boolean notExist(Exec.Result r) {
        String s = (r.err() + r.out()).toLowerCase(java.util.Locale.ROOT);
        return s.contains("does not exist") || s.contains("not found") && s.contains("container");
    }

    private static String tail(Path f) {
        try {
            String s = Files.readString(f, StandardCharsets.UTF_8).strip();
            return s.length() > 2000 ? s.substring(s.length() - 2000) : s;
        } catch (IOException e) {
            return "";
        }
    }

    private static void checkId(String id) {
        if (id == null || !id.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}")) {
            throw new JpodException(ErrorCode.INVALID_ARG, "invalid container ID \"" + id + "\"");
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                Files.deleteIfExists(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
