package io.jpod.oci.conmon.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jpod.api.AttachStreams;
import io.jpod.api.Container;
import io.jpod.api.ContainerConfig;
import io.jpod.api.ContainerResources;
import io.jpod.api.ContainerState;
import io.jpod.api.ContainerStatus;
import io.jpod.api.ErrorCode;
import io.jpod.api.ExecConfig;
import io.jpod.api.JpodException;
import io.jpod.api.config.JpodConfig;
import io.jpod.linux.SeqPacketSocket;
import io.jpod.spi.oci.OciRuntime;
import io.jpod.util.internal.AtomicFiles;
import io.jpod.util.internal.FileTrees;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An OCI runtime (runc or any runtime with runc's command line) run through conmon, as libpod's
 * ConmonOCIRuntime: a container's lifecycle (create through conmon, then start, kill, stop, pause, delete
 * and its status by the runtime's own command line) and attach. The other jobs have classes of their own:
 * where the files are ({@link RunFiles}), conmon's command line ({@link ConmonCommand}), starting it
 * ({@link ConmonSpawner}), its exit command ({@link ExitCommand}), exit files ({@link ExitFiles}), exec
 * sessions ({@link ExecSessions}), the runtime's command line and errors ({@link RuntimeCli},
 * {@link OciErrors}), conmon processes ({@link ConmonProcesses}).
 */
final class ConmonRuntime implements OciRuntime {
    private static final Logger LOG = LoggerFactory.getLogger(ConmonRuntime.class);
    static final int SIGKILL = 9, SIGTERM = 15;

    private final String name;
    private final Path runtimePath;
    private final JpodConfig conf;
    private final Path tmpDir;
    private final RunFiles files;
    private final ObjectMapper json = new ObjectMapper();
    private final SpecGenerator specs;
    private final RuntimeCli cli;
    private final ConmonSpawner spawner;
    private final ExitFiles exits;
    private final ExecSessions execs;
    private volatile Path exitProgram;
    private volatile Supplier<String> apiSocket = ApiSocket.standalone();

    ConmonRuntime(String name, Path runtimePath, Path conmonPath, JpodConfig conf, Path tmpDir, Path staticDir) {
        this.name = name;
        this.runtimePath = runtimePath;
        this.conf = conf;
        this.tmpDir = tmpDir;
        this.files = new RunFiles(name, tmpDir, staticDir);
        this.specs = new SpecGenerator(json, conf, HostLimits.read(), Path.of("/etc/resolv.conf"));
        OciErrors errors = new OciErrors(name, json);
        this.cli = new RuntimeCli(name, runtimePath, files.runtimeRoot, errors);
        this.spawner = new ConmonSpawner(conmonPath, json, errors);
        this.exits = new ExitFiles(files);
        this.execs = new ExecSessions(files, runtimePath, conf, json, spawner);
        try {
            files.createDirectories();
        } catch (IOException e) {
            throw new JpodException(ErrorCode.OCI_RUNTIME_UNAVAILABLE, "OCI runtime " + name
                    + ": cannot create its directories under " + tmpDir + ": " + e.getMessage(), e);
        }
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
        return files.runDir(id);
    }

    Path exitFile(String id) {
        return files.exitFile(id);
    }

    /** The container's k8s-file log. */
    @Override
    public Path logPath(Container ctr) {
        return logPath(ctr.id());
    }

    Path logPath(String id) {
        return files.logPath(id);
    }

    @Override
    public Path attachSocketPath(Container ctr) {
        return runDir(ctr.id()).resolve("attach");
    }

    @Override
    public void resizeTerminal(Container ctr, int height, int width) {
        // conmon keeps its ctl FIFO open for a moment after it wrote the exit file
        if (exits.exited(ctr.id())) {
            throw new JpodException(ErrorCode.CTR_STATE_INVALID, "cannot resize the terminal of container "
                    + ctr.id() + ": it has exited");
        }
        ControlFifo.resize(runDir(ctr.id()), "container " + ctr.id(), height, width);
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
            if (Files.exists(files.runtimeRoot.resolve(id))) {
                LOG.info("container {} is still known to {} from an earlier run: deleting it there", id, name);
                cli.run("delete", "--force", id);
            }
            deleteTree(runDir);
            Files.deleteIfExists(exitFile(id));
            deleteTree(files.persistDir(id));
            RunFiles.createPrivate(files.containersDir, runDir);
            Files.createDirectories(files.persistDir(id));
            Files.createDirectories(files.logsDir);
            RunFiles.createPrivate(files.logsDir, logPath(id).getParent());
            ObjectNode spec = specs.generate(cfg, Path.of(root), ctr.state().netNsPath(), runDir);
            // the environment in it may hold passwords; no fsync: the run dir does not outlive a reboot
            AtomicFiles.writeVolatile(runDir.resolve("config.json"), json.writerWithDefaultPrettyPrinter()
                    .writeValueAsBytes(spec), AtomicFiles.OWNER_ONLY);
        } catch (IOException e) {
            throw new JpodException(ErrorCode.OCI_RUNTIME, "preparing the bundle of container " + id + " in "
                    + runDir + ": " + e.getMessage(), e);
        }
        int pid;
        try {
            pid = spawner.spawn(id, conmonArgs(cfg, runDir, ctr.state().netNsPath()), runDir);
        } catch (RuntimeException e) {
            try {
                cli.quiet("delete", "--force", id);
                ConmonProcesses.kill(readPid(runDir.resolve("conmon.pid")));
            } catch (RuntimeException e2) {
                LOG.debug("cleaning up after a failed create of {}: {}", id, e2.getMessage());
            }
            throw e;
        }
        int conmonPid = readPid(runDir.resolve("conmon.pid"));
        seen.put(id, new Seen(ContainerStatus.CREATED, System.nanoTime()));
        ContainerState s = ctr.state();
        return new ContainerState(ContainerStatus.CREATED, pid, conmonPid, s.exitCode(), s.exited(), false,
                s.startedAt(), s.finishedAt(), s.mountPoint(), s.netNsPath(), runDir.toString(), s.restartCount(),
                null);
    }

    private List<String> conmonArgs(ContainerConfig cfg, Path runDir, String netNsPath) {
        String id = cfg.id();
        return new ConmonCommand(runtimePath, files.runtimeRoot, conf, id, id, cfg.name(), runDir)
                .exits(files.exitsDir, files.persistDir(id))
                .log(conf.containers().logDriver(), logPath(id), conf.containers().logSizeMax())
                .stdio(cfg.terminal(), cfg.stdin() && !cfg.terminal())
                .noPivot(conf.engine().noPivotRoot())
                .exitCommand(exitCommand(), netNsPath)
                .args();
    }

    /**
     * Sets the program conmon runs when the container exits, as podman's {@code container cleanup}: the
     * distribution's {@code bin/jpod-container-exited}. Without one (e.g. in Karaf) exits are acted on
     * when the service sees them.
     */
    void exitCommand(Path program) {
        this.exitProgram = program;
    }

    /** Where the exit command finds the API: the REST service's socket, as the registrar works it out. */
    void apiSocket(Supplier<String> socket) {
        this.apiSocket = socket == null ? ApiSocket.standalone() : socket;
    }

    private ExitCommand exitCommand() {
        Path program = exitProgram;
        return program == null ? null : new ExitCommand(program, apiSocket, tmpDir, conf);
    }

    // ---------------------------------------------------------------------------------------- lifecycle

    @Override
    public ContainerState startContainer(Container ctr) {
        cli.run("start", ctr.id());
        seen.put(ctr.id(), new Seen(ContainerStatus.RUNNING, System.nanoTime()));
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
        cli.run(args.toArray(String[]::new));
    }

    @Override
    public ContainerState stopContainer(Container ctr, long timeoutSeconds, boolean all) {
        String id = ctr.id();
        int stopSignal = ctr.config().stopSignal() > 0 ? ctr.config().stopSignal() : SIGTERM;
        if (timeoutSeconds > 0 && !exits.exited(id)) {
            try {
                killContainer(ctr, stopSignal, all);
            } catch (JpodException e) {
                LOG.debug("stop signal to {}: {}", id, e.getMessage());
            }
            if (exits.await(ctr, timeoutSeconds * 1000)) {
                return exits.exitedState(ctr);
            }
            LOG.info("container {} did not stop within {} seconds after signal {}: sending SIGKILL", id,
                    timeoutSeconds, stopSignal);
        }
        if (!exits.exited(id)) {
            try {
                killContainer(ctr, SIGKILL, all);
            } catch (JpodException e) {
                LOG.debug("SIGKILL to {}: {}", id, e.getMessage());
            }
            if (!exits.await(ctr, 5000)) {
                throw new JpodException(ErrorCode.OCI_RUNTIME, "container " + id
                        + " did not exit within 5 seconds after SIGKILL");
            }
        }
        return exits.exitedState(ctr);
    }

    @Override
    public void deleteContainer(Container ctr) {
        String id = ctr.id();
        seen.remove(id);
        Exec.Result r = cli.quiet("delete", "--force", id);
        if (!r.ok() && !RuntimeCli.notExist(r)) {
            throw cli.failure("delete", r);
        }
        int conmon = ctr.state().conmonPid() > 0 ? ctr.state().conmonPid() : readPid(runDir(id).resolve("conmon.pid"));
        LOG.debug("deleted {} from {}", id, name);
        ConmonProcesses.kill(conmon);
        LOG.debug("conmon {} of {} is gone", conmon, id);
        try {
            deleteTree(files.containersDir.resolve(id));
            Files.deleteIfExists(exitFile(id));
            deleteTree(files.persistDir(id));
        } catch (IOException e) {
            throw new JpodException(ErrorCode.OCI_RUNTIME, "removing the run files of container " + id + ": "
                    + e.getMessage(), e);
        }
    }

    @Override
    public ContainerState pauseContainer(Container ctr) {
        cli.run("pause", ctr.id());
        return ctr.state().withStatus(ContainerStatus.PAUSED);
    }

    /** {@code runc update --resources <file>}: the file holds the LinuxResources JSON, as config.json has it. */
    @Override
    public void updateResources(Container ctr, ContainerResources resources) {
        ObjectNode res = json.createObjectNode();
        CgroupResources.write(res, resources, 0);
        Path file = null;
        try {
            file = Files.createTempFile("jpod-update-", ".json",
                    java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                            java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
            json.writeValue(file.toFile(), res);
            cli.run("update", "--resources", file.toString(), ctr.id());
        } catch (IOException e) {
            throw new JpodException(ErrorCode.OCI_RUNTIME, "cannot hand container " + ctr.id() + "'s resources to "
                    + name + ": " + e.getMessage(), e);
        } finally {
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    LOG.debug("cannot remove {}: {}", file, e.getMessage());
                }
            }
        }
    }

    @Override
    public ContainerState unpauseContainer(Container ctr) {
        cli.run("resume", ctr.id());
        return ctr.state().withStatus(ContainerStatus.RUNNING);
    }

    /**
     * When runc last said, or jpod's own create or start made, a container created or running. For
     * {@link #TRUST_NANOS} after that its exit file, which conmon writes whenever the container exits, is all
     * a status check reads: a wait polls it cheaply, a start right after an attach's create asks runc nothing
     * (a {@code runc state} is some 30 ms), and only a conmon that died without writing it is seen that much
     * later.
     */
    private final Map<String, Seen> seen = new ConcurrentHashMap<>();
    private static final long TRUST_NANOS = 2_000_000_000L;

    private record Seen(ContainerStatus status, long nanos) {
    }

    /** conmon's {@code --exit-dir} for containers: a file named by the container's ID when it exits. */
    @Override
    public Optional<Path> exitDirectory() {
        return Optional.of(files.exitsDir);
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
        if (exits.exited(id)) {
            seen.remove(id);
            return exits.exitedState(ctr);
        }
        Seen last = seen.get(id);
        if (last != null && last.status() == s.status() && System.nanoTime() - last.nanos() < TRUST_NANOS) {
            return s;
        }
        Exec.Result r = cli.quiet("state", id);
        if (!r.ok()) {
            if (RuntimeCli.notExist(r)) {
                return exits.exitedState(ctr);
            }
            throw cli.failure("state", r);
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
                seen.put(id, new Seen(ContainerStatus.RUNNING, System.nanoTime()));
                yield s.withStatus(ContainerStatus.RUNNING);
            }
            case "paused" -> s.withStatus(ContainerStatus.PAUSED);
            case "stopped" -> exits.exitedState(ctr);
            default -> throw new JpodException(ErrorCode.OCI_RUNTIME, "container " + id + " is in unknown state \""
                    + st.path("status").asText() + "\" in " + name);
        };
    }

    // ---------------------------------------------------------------------------------------- attach

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

    // ---------------------------------------------------------------------------------------- exec

    /** An exec session through a conmon of its own ({@link ExecSessions}); the PID of the exec'd process. */
    @Override
    public int execContainer(Container ctr, String sessionId, ExecConfig config) {
        return execs.start(ctr.id(), ctr.name(), ctr.state().mountPoint(), sessionId, config);
    }

    Path execDir(String id, String sessionId) {
        return files.execDir(id, sessionId);
    }

    @Override
    public void execResizeTerminal(Container ctr, String sessionId, int height, int width) {
        execs.resize(ctr.id(), sessionId, height, width);
    }

    @Override
    public OptionalInt execExitCode(Container ctr, String sessionId) {
        return execExitCode(ctr.id(), sessionId);
    }

    /** The exit code of a finished exec session, empty while it runs. */
    OptionalInt execExitCode(String id, String sessionId) {
        return execs.exitCode(id, sessionId);
    }

    /** The k8s-file log of an exec session. */
    @Override
    public Path execLogPath(Container ctr, String sessionId) {
        return execLogPath(ctr.id(), sessionId);
    }

    Path execLogPath(String id, String sessionId) {
        return execs.logPath(id, sessionId);
    }

    @Override
    public AutoCloseable execStdin(Container ctr, String sessionId, InputStream stdin) {
        return execs.stdin(ctr.id(), sessionId, stdin);
    }

    @Override
    public void execRemove(Container ctr, String sessionId) {
        execs.remove(ctr.id(), sessionId);
    }

    @Override
    public void close() {
        // conmon keeps every container running; nothing of ours to release
    }

    // ---------------------------------------------------------------------------------------- helpers

    /** True if {@code pid} is a conmon that has not exited (a zombie waiting for its reaper counts as exited). */
    static boolean isConmon(int pid) {
        return ConmonProcesses.isConmon(pid);
    }

    static int readPid(Path file) {
        return ConmonProcesses.readPid(file);
    }

    static void checkId(String id) {
        if (id == null || !id.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}")) {
            throw new JpodException(ErrorCode.INVALID_ARG, "invalid container ID \"" + id + "\"");
        }
    }

    static void deleteTree(Path dir) throws IOException {
        FileTrees.delete(dir);
    }
}
