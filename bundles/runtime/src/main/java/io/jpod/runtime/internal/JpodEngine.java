package io.jpod.runtime.internal;

import io.jpod.api.Container;
import io.jpod.api.ContainerConfig;
import io.jpod.api.ContainerState;
import io.jpod.api.ContainerStatus;
import io.jpod.api.DBConfig;
import io.jpod.api.Engine;
import io.jpod.api.ErrorCode;
import io.jpod.api.Event;
import io.jpod.api.Info;
import io.jpod.api.JpodException;
import io.jpod.api.Pod;
import io.jpod.api.Volume;
import io.jpod.api.config.JpodConfig;
import io.jpod.spi.events.EventReadOptions;
import io.jpod.spi.lock.Locker;
import io.jpod.spi.oci.OciRuntime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine: libpod's Runtime over the opened providers. Calls hold the read side of a lock that
 * {@link #shutdown} takes for writing, so a shutdown waits for calls in flight and later calls fail.
 */
final class JpodEngine implements Engine {
    private static final Logger LOG = LoggerFactory.getLogger(JpodEngine.class);

    private final JpodConfig config;
    private final DBConfig dbConfig;
    private final Parts parts;
    private final Map<String, String> providerNames;
    private final NameGenerator names = new NameGenerator();
    private final ExecSessions execs;
    private final ReentrantReadWriteLock valid = new ReentrantReadWriteLock();
    private volatile boolean stopped;
    private volatile Runnable onShutdown = () -> { };
    private final Lifecycle lifecycle;

    JpodEngine(JpodConfig config, DBConfig dbConfig, Parts parts, Map<String, String> providerNames) {
        this.config = config;
        this.dbConfig = dbConfig;
        this.parts = parts;
        this.providerNames = Map.copyOf(providerNames);
        this.lifecycle = new Lifecycle(parts, this::event, this::runtimeFor, java.nio.file.Path.of(dbConfig.tmpDir()));
        this.execs = new ExecSessions(lifecycle, this::runtimeFor, id -> parts.state().hasContainer(id));
        lifecycle.onRemoved(this::removeAnonymousVolumes);
    }

    private java.util.concurrent.ScheduledExecutorService monitor;

    /**
     * Looks at running containers every {@code periodMillis}, so that an exit is acted on (cleanup,
     * restart policy, {@code --rm}) without a client asking. Stands in for conmon's exit command.
     */
    synchronized void startMonitor(long periodMillis) {
        if (monitor != null) {
            return;
        }
        monitor = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "jpod-exit-monitor");
            t.setDaemon(true);
            return t;
        });
        monitor.scheduleWithFixedDelay(this::syncRunning, periodMillis, periodMillis,
                java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    private void syncRunning() {
        if (stopped) {
            return;
        }
        try {
            for (Container c : parts.state().allContainers()) {
                ContainerStatus st = c.state().status();
                if (st == ContainerStatus.RUNNING || st == ContainerStatus.STOPPING) {
                    try {
                        call(() -> lifecycle.locked(c.id(), x -> x));
                    } catch (JpodException e) {
                        LOG.debug("monitor: container {}: {}", c.name(), e.getMessage());
                    }
                }
            }
        } catch (RuntimeException e) {
            LOG.debug("monitor: {}", e.toString());
        }
    }

    /** Told once the engine has shut down, by whoever called {@link #shutdown}. */
    void onShutdown(Runnable listener) {
        onShutdown = listener;
    }

    Parts parts() {
        return parts;
    }

    private <T> T call(Supplier<T> body) {
        valid.readLock().lock();
        try {
            if (stopped) {
                throw new JpodException(ErrorCode.RUNTIME_STOPPED,
                        "the engine has been shut down: runtime has already been stopped");
            }
            return body.get();
        } finally {
            valid.readLock().unlock();
        }
    }

    private void run(Runnable body) {
        call(() -> {
            body.run();
            return null;
        });
    }

    @Override
    public JpodConfig config() {
        return call(() -> config);
    }

    @Override
    public DBConfig dbConfig() {
        return call(() -> dbConfig);
    }

    @Override
    public String namespace() {
        return call(() -> parts.state().namespace());
    }

    @Override
    public Info info() {
        return call(() -> HostInfo.collect(this));
    }

    Map<String, String> providerNames() {
        return providerNames;
    }

    // containers

    @Override
    public Container createContainer(ContainerConfig spec) {
        return call(() -> {
            String name = spec.name();
            if (name == null || name.isEmpty()) {
                name = generateNameUnchecked();
            } else {
                checkName(name, "container");
            }
            String runtime = spec.ociRuntime() == null || spec.ociRuntime().isEmpty() ? parts.defaultRuntime()
                    : spec.ociRuntime();
            runtimeFor(runtime);
            String id = spec.id() == null || spec.id().isEmpty() ? names.randomId() : spec.id();
            Map<String, io.jpod.api.PerNetworkOptions> netOpts = staticNetworkOptions(spec);
            Locker lock = parts.locks().allocateLock();
            List<String> createdVolumes = new ArrayList<>();
            try {
                ContainerConfig cfg = spec.toBuilder().id(id).name(name).namespace(parts.state().namespace())
                        .lockId(lock.id()).ociRuntime(runtime).created(Instant.now())
                        .stopTimeout(spec.stopTimeout() > 0 ? spec.stopTimeout() : config.engine().stopTimeout())
                        .mounts(volumeMounts(spec.mounts(), createdVolumes))
                        .networkOptions(netOpts)
                        .build();
                boolean ownStorage = cfg.rootfs() == null || cfg.rootfs().isEmpty();
                if (ownStorage) {
                    String imageId = cfg.imageId();
                    if ((imageId == null || imageId.isEmpty()) && cfg.image() != null && !cfg.image().isEmpty()) {
                        imageId = parts.storage().image(cfg.image()).id();
                        cfg = cfg.toBuilder().imageId(imageId).build();
                    }
                    parts.storage().createContainer(id, imageId);
                }
                Container ctr = new Container(cfg, ContainerState.configured());
                try {
                    parts.state().addContainer(ctr);
                } catch (RuntimeException e) {
                    if (ownStorage) {
                        parts.storage().deleteContainer(id);
                    }
                    throw e;
                }
                event(Event.container("create", ctr));
                return ctr;
            } catch (RuntimeException e) {
                lock.free();
                for (String v : createdVolumes) {
                    removeVolumeUnchecked(parts.state().volume(v));
                }
                throw e;
            }
        });
    }

    /** The static addresses and MAC addresses checked against the networks the container joins. */
    private Map<String, io.jpod.api.PerNetworkOptions> staticNetworkOptions(ContainerConfig spec) {
        if (spec.networkOptions().values().stream().allMatch(io.jpod.api.PerNetworkOptions::isEmpty)) {
            return Map.of();
        }
        List<String> nets = spec.networks().isEmpty() ? List.of(parts.network().defaultNetwork()) : spec.networks();
        return StaticAddresses.check(spec.networkMode(), nets, spec.networkOptions(), parts.network()::inspect);
    }

    /** Labels the volumes a container's creation made for it; they go with the container. */
    static final String ANONYMOUS = "io.jpod.anonymous";

    /**
     * Volume mounts as stored: a named volume that does not exist yet is created (as {@code -v name:/path}
     * does), one without a name is an anonymous volume made for this container.
     */
    private List<io.jpod.api.Mount> volumeMounts(List<io.jpod.api.Mount> mounts, List<String> created) {
        List<io.jpod.api.Mount> out = new ArrayList<>();
        for (io.jpod.api.Mount m : mounts) {
            if (!"volume".equals(m.type())) {
                out.add(m);
                continue;
            }
            String vol = m.source();
            if (vol == null || vol.isEmpty()) {
                vol = createVolumeUnchecked(new Volume(null, null, null, Map.of(ANONYMOUS, "true"), null, null, 0, null,
                        0)).name();
                created.add(vol);
            } else if (!parts.state().hasVolume(vol)) {
                createVolumeUnchecked(new Volume(vol, null, null, null, null, null, 0, null, 0));
                created.add(vol);
            }
            out.add(new io.jpod.api.Mount("volume", vol, m.destination(), m.options()));
        }
        return out;
    }

    @Override
    public Container container(String idOrName) {
        // as libpod's inspect: synced with the runtime, so an exit while no service ran shows at once
        return call(() -> lifecycle.locked(lookupId(idOrName), c -> c));
    }

    @Override
    public List<Container> containers(Predicate<Container> filter) {
        return call(() -> parts.state().allContainers().stream().filter(filter == null ? c -> true : filter).toList());
    }

    @Override
    public void removeContainer(String idOrName, boolean force) {
        run(() -> {
            String id = parts.state().lookupContainer(requireId(idOrName)).id();
            lifecycle.locked(id, ctr -> {
                ContainerStatus status = ctr.state().status();
                boolean active = status == ContainerStatus.RUNNING || status == ContainerStatus.PAUSED
                        || status == ContainerStatus.STOPPING;
                if (active && !force) {
                    throw new JpodException(ErrorCode.CTR_STATE_INVALID, "cannot remove container " + ctr.id()
                            + " as it is " + status.word()
                            + " - running or paused containers cannot be removed without force: container state improper");
                }
                Container c = ctr;
                if (active) {
                    c = lifecycle.stop(c, c.config().stopTimeout());
                    if (c.config().autoRemove()) {
                        return null;
                    }
                }
                lifecycle.remove(c);
                execs.containerRemoved(c.id());
                return null;
            });
        });
    }

    @Override
    public Container init(String idOrName) {
        return call(() -> lifecycle.locked(lookupId(idOrName), lifecycle::init));
    }

    @Override
    public Container start(String idOrName) {
        return call(() -> lifecycle.locked(lookupId(idOrName), lifecycle::start));
    }

    @Override
    public Container stop(String idOrName, long timeoutSeconds) {
        return call(() -> lifecycle.locked(lookupId(idOrName), c -> lifecycle.stop(c, timeoutSeconds)));
    }

    @Override
    public void kill(String idOrName, int signal) {
        run(() -> lifecycle.locked(lookupId(idOrName), c -> {
            lifecycle.kill(c, signal);
            return null;
        }));
    }

    @Override
    public Container pause(String idOrName) {
        return call(() -> lifecycle.locked(lookupId(idOrName), lifecycle::pause));
    }

    @Override
    public Container unpause(String idOrName) {
        return call(() -> lifecycle.locked(lookupId(idOrName), lifecycle::unpause));
    }

    @Override
    public Container restart(String idOrName, long timeoutSeconds) {
        return call(() -> lifecycle.locked(lookupId(idOrName), c -> {
            ContainerStatus st = c.state().status();
            if (st == ContainerStatus.RUNNING || st == ContainerStatus.PAUSED) {
                c = lifecycle.stop(c, timeoutSeconds);
            }
            return lifecycle.start(c);
        }));
    }

    @Override
    public int waitFor(String idOrName, java.util.Set<ContainerStatus> conditions, long intervalMillis)
            throws InterruptedException {
        java.util.Set<ContainerStatus> until = conditions == null || conditions.isEmpty()
                ? java.util.EnumSet.of(ContainerStatus.EXITED, ContainerStatus.STOPPED)
                : java.util.EnumSet.copyOf(conditions);
        // as libpod: "stopped" and "exited" both mean the container's exit, whichever state it is seen in
        // (stopped lasts only until the exit is cleaned up, which a poll can miss)
        if (until.contains(ContainerStatus.STOPPED) || until.contains(ContainerStatus.EXITED)) {
            until.add(ContainerStatus.STOPPED);
            until.add(ContainerStatus.EXITED);
        }
        String id;
        try {
            id = call(() -> lookupId(idOrName));
        } catch (JpodException e) {
            java.util.OptionalInt code = JpodException.is(e, ErrorCode.NO_SUCH_CTR)
                    ? lifecycle.recordedExit(idOrName) : java.util.OptionalInt.empty();
            if (code.isPresent()) {
                return code.getAsInt();
            }
            throw e;
        }
        while (true) {
            Container c;
            try {
                c = call(() -> lifecycle.locked(id, x -> x));
            } catch (JpodException e) {
                if (JpodException.is(e, ErrorCode.NO_SUCH_CTR)) {
                    java.util.OptionalInt code = lifecycle.recordedExit(id);
                    if (code.isPresent()) {
                        return code.getAsInt();
                    }
                }
                throw e;
            }
            if (until.contains(c.state().status())) {
                return c.state().exitCode();
            }
            Thread.sleep(Math.max(10, intervalMillis));
        }
    }

    @Override
    public List<io.jpod.api.LogLine> logs(String idOrName, int tail, Instant since) {
        return call(() -> {
            Container c = parts.state().lookupContainer(requireId(idOrName));
            try {
                return K8sFileLog.read(runtimeFor(c.config().ociRuntime()).logPath(c), tail, since);
            } catch (IOException e) {
                throw new JpodException(ErrorCode.INTERNAL, "cannot read the log of container " + c.name() + ": "
                        + e.getMessage());
            }
        });
    }

    @Override
    public void logs(String idOrName, io.jpod.api.LogOptions options, Predicate<io.jpod.api.LogLine> sink)
            throws InterruptedException {
        Container c = call(() -> parts.state().lookupContainer(requireId(idOrName)));
        java.nio.file.Path log = call(() -> runtimeFor(c.config().ociRuntime()).logPath(c));
        try {
            new LogFollower(log).read(options == null ? io.jpod.api.LogOptions.all() : options,
                    () -> isRunning(c.id()), sink, 100);
        } catch (IOException e) {
            throw new JpodException(ErrorCode.INTERNAL, "cannot read the log of container " + c.name() + ": "
                    + e.getMessage());
        }
    }

    /** Whether a container's process runs (or is paused, or stopping): its log may still grow. */
    private boolean isRunning(String id) {
        try {
            ContainerStatus st = call(() -> lifecycle.locked(id, x -> x)).state().status();
            return st == ContainerStatus.RUNNING || st == ContainerStatus.PAUSED || st == ContainerStatus.STOPPING;
        } catch (JpodException gone) {
            return false;
        }
    }

    @Override
    public void attach(String idOrName, io.jpod.api.AttachStreams streams) throws InterruptedException {
        // a container that is not created in its runtime is initialised first: its conmon holds the output
        // from the start on, so that a client that attaches and then starts it misses nothing
        Container c = call(() -> lifecycle.locked(lookupId(idOrName), x -> {
            ContainerStatus st = x.state().status();
            return st == ContainerStatus.CONFIGURED || st == ContainerStatus.EXITED || st == ContainerStatus.STOPPED
                    ? lifecycle.init(x) : x;
        }));
        // not under the container's lock nor the engine's: attach lasts as long as the container runs
        call(() -> runtimeFor(c.config().ociRuntime())).attach(c,
                streams == null ? new io.jpod.api.AttachStreams(null, null, null) : streams);
    }

    @Override
    public String execCreate(String idOrName, io.jpod.api.ExecConfig config) {
        return call(() -> execs.create(lookupId(idOrName), config));
    }

    @Override
    public int execStart(String sessionId, io.jpod.api.AttachStreams streams) throws InterruptedException {
        call(() -> null);
        return execs.start(sessionId, streams);
    }

    @Override
    public io.jpod.api.ExecSession execSession(String sessionId) {
        return call(() -> execs.get(sessionId));
    }

    @Override
    public void resizeTerminal(String idOrName, int height, int width) {
        checkTerminalSize(height, width);
        call(() -> lifecycle.locked(lookupId(idOrName), c -> {
            // as libpod's AttachResize
            if (c.state().status() != ContainerStatus.CREATED && c.state().status() != ContainerStatus.RUNNING) {
                throw Lifecycle.invalid(c, "can only be resized when created or running");
            }
            if (c.config().terminal()) {
                runtimeFor(c.config().ociRuntime()).resizeTerminal(c, height, width);
            }
            return null;
        }));
    }

    @Override
    public void execResizeTerminal(String sessionId, int height, int width) {
        checkTerminalSize(height, width);
        call(() -> {
            io.jpod.api.ExecSession s = execs.get(sessionId);
            Container c = parts.state().container(s.containerId());
            if (!s.running()) {
                throw new JpodException(ErrorCode.CTR_STATE_INVALID, "exec session " + sessionId
                        + " is not running: can only resize running exec sessions");
            }
            if (s.config().tty()) {
                runtimeFor(c.config().ociRuntime()).execResizeTerminal(c, sessionId, height, width);
            }
            return null;
        });
    }

    private static void checkTerminalSize(int height, int width) {
        if (height < 1 || width < 1 || height > 0xFFFF || width > 0xFFFF) {
            throw new JpodException(ErrorCode.INVALID_ARG, "a terminal size of " + height + " rows and " + width
                    + " columns is invalid: both must be between 1 and 65535");
        }
    }

    private String lookupId(String idOrName) {
        return parts.state().lookupContainer(requireId(idOrName)).id();
    }

    // pods

    @Override
    public Pod createPod(Pod spec) {
        return call(() -> {
            String name = spec.name();
            if (name == null || name.isEmpty()) {
                name = generateNameUnchecked();
            } else {
                checkName(name, "pod");
            }
            String id = spec.id() == null || spec.id().isEmpty() ? names.randomId() : spec.id();
            Locker lock = parts.locks().allocateLock();
            List<String> createdVolumes = new ArrayList<>();
            try {
                Pod pod = new Pod(id, name, parts.state().namespace(), lock.id(), spec.labels(), Instant.now(),
                        spec.infraContainerId());
                parts.state().addPod(pod);
                event(new Event(Event.Type.POD, "create", Instant.now(), pod.id(), pod.name(), null, null,
                        pod.labels()));
                return pod;
            } catch (RuntimeException e) {
                lock.free();
                throw e;
            }
        });
    }

    @Override
    public Pod pod(String idOrName) {
        return call(() -> parts.state().lookupPod(requireId(idOrName)));
    }

    @Override
    public List<Pod> pods() {
        return call(() -> parts.state().allPods());
    }

    @Override
    public void removePod(String idOrName, boolean force) {
        run(() -> {
            Pod pod = parts.state().lookupPod(requireId(idOrName));
            if (force) {
                for (String ctrId : parts.state().podContainers(pod.id())) {
                    removeContainer(ctrId, true);
                }
            }
            parts.state().removePod(pod.id());
            parts.locks().retrieveLock(pod.lockId()).free();
            event(new Event(Event.Type.POD, "remove", Instant.now(), pod.id(), pod.name(), null, null, pod.labels()));
        });
    }

    // volumes

    @Override
    public Volume createVolume(Volume spec) {
        return call(() -> createVolumeUnchecked(spec));
    }

    private Volume createVolumeUnchecked(Volume spec) {
        {
            String name = spec.name();
            if (name == null || name.isEmpty()) {
                name = names.randomId();
            } else if (!NameGenerator.NAME.matcher(name).matches()) {
                throw new JpodException(ErrorCode.INVALID_ARG, "volume name \"" + name
                        + "\" is invalid: names must match [a-zA-Z0-9][a-zA-Z0-9_.-]*");
            }
            if (parts.state().hasVolume(name)) {
                throw new JpodException(ErrorCode.VOLUME_EXISTS, "volume with name " + name
                        + " already exists: volume already exists");
            }
            Path data = Path.of(dbConfig.volumePath(), name, "_data");
            Locker lock = parts.locks().allocateLock();
            try {
                Files.createDirectories(data);
                Volume vol = new Volume(name, spec.driver(), data.toString(), spec.labels(), spec.options(),
                        parts.state().namespace(), lock.id(), Instant.now(), 0);
                parts.state().addVolume(vol);
                event(new Event(Event.Type.VOLUME, "create", Instant.now(), null, vol.name(), null, null,
                        vol.labels()));
                return vol;
            } catch (IOException e) {
                lock.free();
                throw new JpodException(ErrorCode.INTERNAL, "cannot create the directory of volume " + name + " at "
                        + data + ": " + e.getMessage() + "; check that volume_path is writable");
            } catch (RuntimeException e) {
                lock.free();
                throw e;
            }
        }
    }

    @Override
    public Volume volume(String nameOrPrefix) {
        return call(() -> parts.state().lookupVolume(requireId(nameOrPrefix)));
    }

    @Override
    public List<Volume> volumes() {
        return call(() -> parts.state().allVolumes());
    }

    @Override
    public void removeVolume(String name, boolean force) {
        run(() -> {
            Volume vol = parts.state().lookupVolume(requireId(name));
            List<String> users = parts.state().volumeInUse(vol.name());
            if (!users.isEmpty()) {
                if (!force) {
                    throw new JpodException(ErrorCode.VOLUME_BEING_USED, "volume " + vol.name()
                            + " is being used by the following container(s): " + String.join(", ", users)
                            + ": volume is being used");
                }
                for (String ctrId : users) {
                    removeContainer(ctrId, true);
                }
            }
            removeVolumeUnchecked(vol);
        });
    }

    private void removeVolumeUnchecked(Volume vol) {
        parts.state().removeVolume(vol.name());
        parts.locks().retrieveLock(vol.lockId()).free();
        deleteTree(Path.of(vol.mountPoint()).getParent());
        event(new Event(Event.Type.VOLUME, "remove", Instant.now(), null, vol.name(), null, null, vol.labels()));
    }

    /** After a container went: the anonymous volumes made for it, which nothing else mounts. */
    private void removeAnonymousVolumes(Container ctr) {
        for (io.jpod.api.Mount m : ctr.config().mounts()) {
            if (!"volume".equals(m.type()) || m.source() == null) {
                continue;
            }
            try {
                Volume v = parts.state().volume(m.source());
                if ("true".equals(v.labels().get(ANONYMOUS)) && parts.state().volumeInUse(v.name()).isEmpty()) {
                    removeVolumeUnchecked(v);
                }
            } catch (JpodException gone) {
                // removed already
            }
        }
    }

    private static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            LOG.warn("could not delete {}: {}", dir, e.toString());
        }
    }

    // networks

    @Override
    public List<io.jpod.api.Network> networks() {
        return call(() -> parts.network().list());
    }

    @Override
    public io.jpod.api.Network network(String nameOrId) {
        return call(() -> parts.network().inspect(requireId(nameOrId)));
    }

    @Override
    public io.jpod.api.Network createNetwork(io.jpod.api.Network spec) {
        return call(() -> {
            io.jpod.api.Network n = parts.network().create(spec);
            writeEvent(new Event(Event.Type.NETWORK, "create", Instant.now(), n.id(), n.name(), null, null, Map.of()));
            return n;
        });
    }

    @Override
    public List<String> removeNetwork(String nameOrId, boolean force) {
        io.jpod.api.Network n = network(nameOrId);
        if (n.name().equals(defaultNetwork())) {
            throw new JpodException(ErrorCode.INVALID_ARG, "the default network " + n.name()
                    + " cannot be removed: containers that name no network join it");
        }
        List<Container> users = containers(c -> joins(c, n.name()));
        if (!users.isEmpty() && !force) {
            throw new JpodException(ErrorCode.NETWORK_IN_USE, "network " + n.name() + " is used by container(s) "
                    + String.join(", ", users.stream().map(Container::name).toList())
                    + ": remove them first or force the removal: network is being used");
        }
        List<String> removed = new ArrayList<>();
        for (Container c : users) {
            removeContainer(c.id(), true);
            removed.add(c.id());
        }
        run(() -> {
            parts.network().remove(n.name());
            writeEvent(new Event(Event.Type.NETWORK, "remove", Instant.now(), n.id(), n.name(), null, null, Map.of()));
        });
        return removed;
    }

    private boolean joins(Container c, String network) {
        if (!Lifecycle.ownsNetwork(c)) {
            return false;
        }
        List<String> nets = c.config().networks();
        return nets.isEmpty() ? network.equals(parts.network().defaultNetwork()) : nets.contains(network);
    }

    @Override
    public Container connectNetwork(String idOrName, String network) {
        return connectNetwork(idOrName, network, io.jpod.api.PerNetworkOptions.NONE);
    }

    @Override
    public Container connectNetwork(String idOrName, String network, io.jpod.api.PerNetworkOptions options) {
        return call(() -> {
            io.jpod.api.Network n = parts.network().inspect(requireId(network));
            io.jpod.api.PerNetworkOptions checked = options == null || options.isEmpty()
                    ? io.jpod.api.PerNetworkOptions.NONE : StaticAddresses.checkOne(n, options);
            return lifecycle.locked(lookupId(idOrName), c -> lifecycle.connect(c, n.name(), checked));
        });
    }

    @Override
    public Container disconnectNetwork(String idOrName, String network) {
        return call(() -> lifecycle.locked(lookupId(idOrName), c -> lifecycle.disconnect(c, parts.network()
                .inspect(requireId(network)).name())));
    }

    @Override
    public Map<String, List<String>> networkAddresses(String idOrName) {
        return call(() -> {
            Container c = parts.state().lookupContainer(requireId(idOrName));
            return Lifecycle.ownsNetwork(c) ? parts.network().addresses(c) : Map.of();
        });
    }

    @Override
    public Map<String, io.jpod.api.NetworkAttachment> networkAttachments(String idOrName) {
        return call(() -> {
            Container c = parts.state().lookupContainer(requireId(idOrName));
            return Lifecycle.ownsNetwork(c) ? parts.network().attachments(c) : Map.of();
        });
    }

    @Override
    public String defaultNetwork() {
        return call(() -> parts.network().defaultNetwork());
    }

    @Override
    public io.jpod.spi.storage.Storage storage() {
        return call(parts::storage);
    }

    // names

    @Override
    public String generateName() {
        return call(this::generateNameUnchecked);
    }

    private String generateNameUnchecked() {
        return names.uniqueName(this::nameTaken);
    }

    private boolean nameTaken(String name) {
        try {
            parts.state().lookupContainer(name);
            return true;
        } catch (JpodException e) {
            if (!JpodException.is(e, ErrorCode.NO_SUCH_CTR)) {
                return true;
            }
        }
        try {
            parts.state().lookupPod(name);
            return true;
        } catch (JpodException e) {
            return !JpodException.is(e, ErrorCode.NO_SUCH_POD);
        }
    }

    private static void checkName(String name, String what) {
        if (!NameGenerator.NAME.matcher(name).matches()) {
            throw new JpodException(ErrorCode.INVALID_ARG, what + " name \"" + name
                    + "\" is invalid: names must match [a-zA-Z0-9][a-zA-Z0-9_.-]*: invalid argument");
        }
    }

    private static String requireId(String idOrName) {
        if (idOrName == null || idOrName.isBlank()) {
            throw new JpodException(ErrorCode.EMPTY_ID, "name or ID cannot be empty");
        }
        return idOrName;
    }

    OciRuntime runtimeFor(String name) {
        OciRuntime rt = parts.runtimes().get(name);
        if (rt == null) {
            throw new JpodException(ErrorCode.OCI_RUNTIME_UNAVAILABLE, "OCI runtime \"" + name
                    + "\" is not available; available runtimes: " + String.join(", ", new TreeMap<>(parts.runtimes())
                            .keySet()) + ": install its provider or choose one of those");
        }
        return rt;
    }

    // events

    @Override
    public void writeEvent(Event event) {
        run(() -> parts.eventer().write(event));
    }

    /** Events are a record of what happened: failing to write one does not undo the change. */
    void event(Event e) {
        try {
            parts.eventer().write(e);
        } catch (RuntimeException ex) {
            LOG.warn("could not write {} event: {}", e.status(), ex.getMessage());
        }
    }

    @Override
    public void readEvents(EventReadOptions options, Predicate<Event> sink) throws InterruptedException {
        call(() -> null);
        // Not under the read lock: a follow would hold off shutdown for ever.
        parts.eventer().read(options, sink);
    }

    // system renumber and migrate

    @Override
    public int renumberLocks() {
        return call(() -> {
            int n = Renumber.renumber(parts);
            event(Event.system("renumber"));
            return n;
        });
    }

    @Override
    public int migrate(String newRuntime) {
        return call(() -> {
            if (newRuntime != null && !newRuntime.isEmpty()) {
                runtimeFor(newRuntime);
            }
            int changed = 0;
            for (Container ctr : parts.state().allContainers()) {
                boolean moved = lifecycle.locked(ctr.id(), c -> {
                    ContainerStatus st = c.state().status();
                    if (st == ContainerStatus.RUNNING || st == ContainerStatus.PAUSED) {
                        c = lifecycle.stop(c, c.config().stopTimeout());
                    }
                    if (newRuntime == null || newRuntime.isEmpty() || newRuntime.equals(c.config().ociRuntime())
                            || !parts.state().hasContainer(c.id())) {
                        return false;
                    }
                    LOG.info("migrating container {} from runtime {} to {}", c.id(), c.config().ociRuntime(),
                            newRuntime);
                    parts.state().saveContainer(c.withConfig(c.config().withOciRuntime(newRuntime)));
                    return true;
                });
                if (moved) {
                    changed++;
                }
            }
            event(Event.system("migrate"));
            return changed;
        });
    }

    // shutdown

    @Override
    public void shutdown(boolean force) {
        valid.writeLock().lock();
        try {
            if (stopped) {
                throw new JpodException(ErrorCode.RUNTIME_STOPPED,
                        "the engine has been shut down: runtime has already been stopped");
            }
            stopped = true;
        } finally {
            valid.writeLock().unlock();
        }
        synchronized (this) {
            if (monitor != null) {
                monitor.shutdown();
                try {
                    monitor.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        if (force) {
            stopRunningContainers();
        }
        close();
        onShutdown.run();
    }

    private void stopRunningContainers() {
        for (Container ctr : parts.state().allContainers()) {
            try {
                lifecycle.locked(ctr.id(), c -> {
                    ContainerStatus st = c.state().status();
                    return st == ContainerStatus.RUNNING || st == ContainerStatus.PAUSED
                            ? lifecycle.stop(c, c.config().stopTimeout()) : c;
                });
            } catch (RuntimeException e) {
                LOG.error("could not stop container {} at shutdown: {}", ctr.name(), e.getMessage());
            }
        }
    }

    /** Closes the providers in the reverse order of their opening. Containers keep running (conmon). */
    private void close() {
        List<AutoCloseable> order = new ArrayList<>();
        order.add(parts.locks());
        order.add(parts.network());
        order.addAll(parts.runtimes().values());
        order.add(parts.eventer());
        order.add(parts.storage());
        order.add(parts.state());
        for (AutoCloseable c : order) {
            if (c == null) {
                continue;
            }
            try {
                c.close();
            } catch (Exception e) {
                LOG.warn("closing {} failed: {}", c.getClass().getName(), e.toString());
            }
        }
    }

    boolean isStopped() {
        return stopped;
    }
}
