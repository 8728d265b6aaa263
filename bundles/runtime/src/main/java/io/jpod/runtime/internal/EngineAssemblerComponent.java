package io.jpod.runtime.internal;

import io.jpod.api.EngineAssembler;
import io.jpod.api.EngineStatus;
import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;
import io.jpod.api.ProviderKind;
import io.jpod.api.StateMigration;
import io.jpod.api.config.RuntimeOptions;
import io.jpod.config.ConfigLoader;
import io.jpod.config.LoadedConfig;
import io.jpod.config.RuntimeOptionsParser;
import io.jpod.spi.JpodName;
import io.jpod.spi.Provider;
import io.jpod.spi.ProviderContext;
import io.jpod.spi.events.EventerProvider;
import io.jpod.spi.lock.LockProvider;
import io.jpod.spi.network.NetworkProvider;
import io.jpod.spi.oci.OciRuntimeProvider;
import io.jpod.spi.state.State;
import io.jpod.spi.state.StateProvider;
import io.jpod.spi.storage.StorageProvider;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tracks every provider of every kind and registers the engine's services built from exactly the ones the
 * configuration names. When a provider the engine uses goes away, the engine is taken down at once
 * (before the provider's bundle stops); it is assembled again as soon as every selected name has a
 * provider. Containers are not touched by any of this: conmon keeps them running.
 */
@Component(immediate = true, service = EngineAssembler.class, configurationPid = EngineAssemblerComponent.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = EngineAssemblerComponent.Config.class)
public class EngineAssemblerComponent implements EngineAssembler {
    static final String PID = "io.jpod.runtime";
    static final long EXIT_SWEEP_MS = ExitWatcher.SWEEP_MS;
    /** The service property, a number, that the services of one assembled engine share. */
    static final String ASSEMBLY_PROPERTY = "jpod.assembly";
    private final java.util.concurrent.atomic.AtomicLong assemblies = new java.util.concurrent.atomic.AtomicLong();
    /** How long a reload waits for the providers its configuration names, and for the engine they make. */
    static final long PROVIDERS_GRACE_MS = 4000;
    private static final Logger LOG = LoggerFactory.getLogger(EngineAssemblerComponent.class);

    /** Overrides of jpod.conf, as libpod's RuntimeOptions; blank means not set. */
    @ObjectClassDefinition(name = "jpod engine", description = "Overrides of jpod.conf for the assembled engine")
    public @interface Config {
        @AttributeDefinition(name = "Configuration file", description = "A jpod.conf read after /usr/share/jpod/jpod.conf and /etc/jpod/jpod.conf, before $JPOD_CONF")
        String jpod_conf() default "";

        @AttributeDefinition(name = "State backend", description = "engine.database_backend")
        String engine_database_backend() default "";

        @AttributeDefinition(name = "Lock type", description = "engine.lock_type")
        String engine_lock_type() default "";

        @AttributeDefinition(name = "OCI runtime", description = "engine.runtime")
        String engine_runtime() default "";

        @AttributeDefinition(name = "Events logger", description = "engine.events_logger")
        String engine_events_logger() default "";

        @AttributeDefinition(name = "Storage driver", description = "storage.driver")
        String storage_driver() default "";

        @AttributeDefinition(name = "Static dir", description = "engine.static_dir")
        String engine_static_dir() default "";

        @AttributeDefinition(name = "Tmp dir", description = "engine.tmp_dir")
        String engine_tmp_dir() default "";

        @AttributeDefinition(name = "Volume path", description = "engine.volume_path")
        String engine_volume_path() default "";

        @AttributeDefinition(name = "Namespace", description = "engine.namespace")
        String engine_namespace() default "";
    }

    private final Map<ProviderKind, Map<Provider<?>, Registration>> providers = new EnumMap<>(ProviderKind.class);
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "jpod-assembler");
        t.setDaemon(true);
        return t;
    });

    private final Object lock = new Object();
    private BundleContext context;
    private Map<String, Object> properties = Map.of();
    private LoadedConfig loaded;
    private RuntimeOptions options = RuntimeOptions.NONE;
    private String configProblem;
    private String assemblyProblem;
    private boolean active;
    private JpodEngine engine;
    private final List<ServiceRegistration<?>> registrations = new ArrayList<>();
    private final Set<Provider<?>> inUse = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
    private String lastMessage;
    private boolean shutDownByClient;

    public EngineAssemblerComponent() {
        for (ProviderKind k : ProviderKind.values()) {
            // in registration order (always used under lock): of two providers of one name, the first stays in use
            providers.put(k, new java.util.LinkedHashMap<>());
        }
    }

    @Activate
    void activate(BundleContext ctx, Map<String, Object> props) {
        synchronized (lock) {
            context = ctx;
            properties = new HashMap<>(props);
            active = true;
            loadConfig();
        }
        schedule();
    }

    @Modified
    void modified(Map<String, Object> props) {
        synchronized (lock) {
            properties = new HashMap<>(props);
            shutDownByClient = false;
            takeDown("its configuration changed");
            loadConfig();
        }
        schedule();
    }

    @Deactivate
    void deactivate() {
        synchronized (lock) {
            active = false;
            takeDown("the runtime bundle is stopping");
        }
        worker.shutdownNow();
        try {
            worker.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // provider tracking: every kind, dynamic and multiple

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindState(StateProvider p, Map<String, Object> props) {
        added(ProviderKind.STATE, p, props);
    }

    void unbindState(StateProvider p) {
        removed(ProviderKind.STATE, p);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindLocks(LockProvider p, Map<String, Object> props) {
        added(ProviderKind.LOCKS, p, props);
    }

    void unbindLocks(LockProvider p) {
        removed(ProviderKind.LOCKS, p);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindRuntime(OciRuntimeProvider p, Map<String, Object> props) {
        added(ProviderKind.OCI_RUNTIME, p, props);
    }

    void unbindRuntime(OciRuntimeProvider p) {
        removed(ProviderKind.OCI_RUNTIME, p);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindNetwork(NetworkProvider p, Map<String, Object> props) {
        added(ProviderKind.NETWORK, p, props);
    }

    void unbindNetwork(NetworkProvider p) {
        removed(ProviderKind.NETWORK, p);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindEvents(EventerProvider p, Map<String, Object> props) {
        added(ProviderKind.EVENTS, p, props);
    }

    void unbindEvents(EventerProvider p) {
        removed(ProviderKind.EVENTS, p);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindStorage(StorageProvider p, Map<String, Object> props) {
        added(ProviderKind.STORAGE, p, props);
    }

    void unbindStorage(StorageProvider p) {
        removed(ProviderKind.STORAGE, p);
    }

    private void added(ProviderKind kind, Provider<?> p, Map<String, Object> props) {
        added(kind, p, props.get(JpodName.PROPERTY), bundleLabel(props.get(Constants.SERVICE_BUNDLEID)));
    }

    /** {@code bundle} names the registering bundle for messages, e.g. {@code jpod-oci-conmon [12]}. */
    void added(ProviderKind kind, Provider<?> p, Object name, String bundle) {
        if (!(name instanceof String s) || s.isBlank()) {
            LOG.warn("ignoring a {} provider without a {} service property: {}", kind.word(), JpodName.PROPERTY,
                    p.getClass().getName());
            return;
        }
        synchronized (lock) {
            Registration first = providers.get(kind).values().stream().filter(r -> r.name().equals(s)).findFirst()
                    .orElse(null);
            if (first != null) {
                LOG.warn("{} \"{}\" is registered a second time, by {}; the one of {} stays in use", kind.word(), s,
                        bundle, first.bundle());
            }
            providers.get(kind).put(p, new Registration(s, bundle));
            // A new OCI runtime becomes selectable per container: assemble again to include it (a second
            // provider of a name adds nothing).
            if (kind == ProviderKind.OCI_RUNTIME && engine != null && first == null) {
                takeDown("OCI runtime \"" + s + "\" was added");
            }
        }
        schedule();
    }

    void removed(ProviderKind kind, Provider<?> p) {
        synchronized (lock) {
            Registration r = providers.get(kind).remove(p);
            if (inUse.contains(p)) {
                takeDown(kind.word() + " provider \"" + (r == null ? "?" : r.name()) + "\" went away");
            }
        }
        schedule();
    }

    private String bundleLabel(Object bundleId) {
        if (!(bundleId instanceof Long id)) {
            return "an unknown bundle";
        }
        org.osgi.framework.Bundle own = FrameworkUtil.getBundle(EngineAssemblerComponent.class);
        BundleContext ctx = own == null ? null : own.getBundleContext();
        org.osgi.framework.Bundle b = ctx == null ? null : ctx.getBundle(id);
        return (b == null || b.getSymbolicName() == null ? "bundle" : b.getSymbolicName()) + " [" + id + "]";
    }

    /** A provider's name and the bundle that registered it. */
    private record Registration(String name, String bundle) {
    }

    // assembling

    private void schedule() {
        if (!worker.isShutdown()) {
            try {
                worker.execute(this::reconcile);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                LOG.debug("assembler stopped; not reconciling");
            }
        }
    }

    private void reconcile() {
        synchronized (lock) {
            if (!active || engine != null || loaded == null || shutDownByClient) {
                logStatus();
                return;
            }
            Map<ProviderKind, Map<String, Provider<?>>> byName = installedByName();
            EngineStatus st = statusLocked();
            if (!st.missing().isEmpty()) {
                logStatus();
                return;
            }
            try {
                JpodEngine e = new Assembly(loaded, options, byName).assemble();
                engine = e;
                inUse.clear();
                for (ProviderKind k : ProviderKind.values()) {
                    if (k == ProviderKind.OCI_RUNTIME) {
                        byName.get(k).forEach((n, p) -> {
                            if (e.parts().runtimes().containsKey(n)) {
                                inUse.add(p);
                            }
                        });
                    } else {
                        String n = e.providerNames().get(Assembly.key(k));
                        Provider<?> p = byName.get(k).get(n);
                        if (p != null) {
                            inUse.add(p);
                        }
                    }
                }
                assemblyProblem = null;
                // Renumber and migrate are one-shot options, as libpod's.
                if (options.renumber() || options.migrate()) {
                    options = new RuntimeOptions(options.storageDriver(), options.graphRoot(), options.runRoot(),
                            options.databaseBackend(), options.runtime(), options.eventsLogger(), options.lockType(),
                            options.tmpDir(), options.staticDir(), options.volumePath(), options.namespace(), false,
                            false, null);
                }
                e.onShutdown(() -> engineShutDown(e));
                Hashtable<String, Object> props = new Hashtable<>();
                e.providerNames().forEach((k, v) -> props.put("jpod." + k, v));
                // which assembly the services belong to: a client can take all of its services from one
                props.put(ASSEMBLY_PROPERTY, assemblies.incrementAndGet());
                // the services come and go together; the store goes with them, for the image service
                // (the system service last, withdrawn first: a client that sees it sees the others)
                Map<Class<?>, Object> all = new LinkedHashMap<>();
                all.put(io.jpod.spi.storage.Storage.class, e.parts().storage());
                all.putAll(e.services());
                // exits while no engine ran are recorded before any client sees the containers
                e.watchExits(EXIT_SWEEP_MS);
                all.forEach((type, service) -> registrations.add(context.registerService(type.getName(), service,
                        props)));
            } catch (JpodException ex) {
                assemblyProblem = ex.getMessage();
            } catch (RuntimeException ex) {
                LOG.error("assembling the engine failed", ex);
                assemblyProblem = "assembling the engine failed: " + ex;
            }
            logStatus();
        }
    }

    /**
     * A client shut the engine down: withdraw the service. It stays down until a reload or a new
     * configuration, so that a shutdown is not undone behind the caller's back.
     */
    private void engineShutDown(JpodEngine e) {
        synchronized (lock) {
            if (engine == e) {
                takeDown("it was shut down");
                shutDownByClient = true;
                assemblyProblem = "the engine was shut down; reload (jpod:reload) to assemble it again";
                logStatus();
            }
        }
    }

    /** Unregisters the engine first, so no client reaches it, then closes its parts. Containers keep running. */
    private void takeDown(String why) {
        if (engine == null) {
            return;
        }
        LOG.info("taking the engine down: {}", why);
        for (ServiceRegistration<?> r : reversed(registrations)) {
            try {
                r.unregister();
            } catch (IllegalStateException ignored) {
                // already gone with the bundle
            }
        }
        registrations.clear();
        JpodEngine going = engine;
        engine = null;
        inUse.clear();
        try {
            if (!going.isStopped()) {
                going.shutdown(false);
            }
        } catch (RuntimeException e) {
            LOG.warn("shutting the engine down: {}", e.getMessage());
        }
    }

    private void loadConfig() {
        try {
            options = RuntimeOptionsParser.fromProperties(properties);
            loaded = configLoader().load(options);
            configProblem = null;
        } catch (JpodException e) {
            configProblem = e.getMessage();
            loaded = null;
        }
    }

    private ConfigLoader configLoader() {
        Object prop = properties.get("jpod.conf");
        return ConfigLoader.standard(prop instanceof String s && !s.isBlank() ? s : context.getProperty("jpod.conf"));
    }

    private Map<ProviderKind, Map<String, Provider<?>>> installedByName() {
        Map<ProviderKind, Map<String, Provider<?>>> m = new EnumMap<>(ProviderKind.class);
        for (ProviderKind k : ProviderKind.values()) {
            Map<String, Provider<?>> names = new HashMap<>();
            providers.get(k).forEach((p, r) -> names.putIfAbsent(r.name(), p));
            m.put(k, names);
        }
        return m;
    }

    // status and reload

    @Override
    public EngineStatus status() {
        synchronized (lock) {
            return statusLocked();
        }
    }

    private EngineStatus statusLocked() {
        Map<ProviderKind, List<String>> installed = new EnumMap<>(ProviderKind.class);
        for (ProviderKind k : ProviderKind.values()) {
            installed.put(k, List.copyOf(new TreeMap<>(installedByName().get(k)).keySet()));
        }
        List<String> problems = new ArrayList<>();
        if (configProblem != null) {
            problems.add(configProblem);
        }
        if (assemblyProblem != null && engine == null) {
            problems.add(assemblyProblem);
        }
        Map<ProviderKind, String> selected = loaded == null ? Map.of() : Selection.of(loaded.config());
        if (engine != null) {
            selected = new EnumMap<>(selected);
            for (ProviderKind k : ProviderKind.values()) {
                selected.put(k, engine.providerNames().get(Assembly.key(k)));
            }
        }
        List<String> missing = new ArrayList<>();
        selected.forEach((k, n) -> {
            if (!installed.get(k).contains(n)) {
                missing.add(k.word() + ":" + n);
            }
        });
        return new EngineStatus(engine != null, selected, missing, installed, problems, duplicates());
    }

    /** One sentence per name that more than one provider of a kind registered; the first registered is used. */
    private List<String> duplicates() {
        List<String> out = new ArrayList<>();
        for (ProviderKind k : ProviderKind.values()) {
            Map<String, List<Map.Entry<Provider<?>, Registration>>> byName = new java.util.LinkedHashMap<>();
            for (Map.Entry<Provider<?>, Registration> e : providers.get(k).entrySet()) {
                byName.computeIfAbsent(e.getValue().name(), n -> new ArrayList<>()).add(e);
            }
            byName.forEach((name, regs) -> {
                if (regs.size() < 2) {
                    return;
                }
                StringBuilder sb = new StringBuilder(k.word()).append(" \"").append(name).append("\" is registered ")
                        .append(regs.size() == 2 ? "twice" : regs.size() + " times").append(": ");
                for (int i = 0; i < regs.size(); i++) {
                    if (i > 0) {
                        sb.append(i == regs.size() - 1 ? " and " : ", ");
                    }
                    Map.Entry<Provider<?>, Registration> e = regs.get(i);
                    sb.append("by ").append(e.getValue().bundle()).append(i > 0 ? " (ignored)"
                            : inUse.contains(e.getKey()) ? " (in use)" : " (kept)");
                }
                out.add(sb.toString());
            });
        }
        return out;
    }

    private void logStatus() {
        String m = statusLocked().message();
        if (!m.equals(lastMessage)) {
            lastMessage = m;
            LOG.info(m);
        }
    }

    @Override
    public EngineStatus reload() {
        synchronized (lock) {
            RuntimeOptions previousOptions = options;
            LoadedConfig before = loaded;
            try {
                RuntimeOptions newOptions = RuntimeOptionsParser.fromProperties(properties);
                LoadedConfig fresh = configLoader().load(newOptions);
                options = newOptions;
                loaded = fresh;
                configProblem = null;
                shutDownByClient = false;
                if (before == null || !fresh.config().equals(before.config())) {
                    takeDown("the configuration was reloaded with changes");
                }
            } catch (JpodException e) {
                options = previousOptions;
                throw new JpodException(ErrorCode.CONFIG_INVALID, e.getMessage()
                        + " (the configuration in force is unchanged)");
            }
        }
        schedule();
        awaitReconcile();
        // A reload often comes with providers that change (the conmon bundle registers and withdraws the
        // runtimes of an edited [engine.runtimes] when it sees the file change): while one it names is
        // missing, or the engine is being assembled again with nothing wrong, give it a moment.
        long end = System.currentTimeMillis() + PROVIDERS_GRACE_MS;
        EngineStatus st = status();
        while (!st.assembled() && (!st.missing().isEmpty() || st.problems().isEmpty())
                && System.currentTimeMillis() < end) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            awaitReconcile();
            st = status();
        }
        return st;
    }

    @Override
    public StateMigration migrateState(String target) {
        try {
            synchronized (lock) {
                return migrateStateLocked(target);
            }
        } finally {
            // on the target when the copy and the new jpod.conf are in place, else on the state as it was
            schedule();
            awaitReconcile();
        }
    }

    private StateMigration migrateStateLocked(String target) {
        if (engine == null) {
            throw new JpodException(ErrorCode.RUNTIME_STOPPED, "no engine is assembled, so there is no state to move: "
                    + statusLocked().message());
        }
        String from = engine.providerNames().get(Assembly.key(ProviderKind.STATE));
        Map<String, Provider<?>> states = installedByName().get(ProviderKind.STATE);
        String installed = String.join(", ", new TreeMap<>(states).keySet());
        if (target == null || target.isBlank()) {
            throw new JpodException(ErrorCode.INVALID_ARG, "name the state provider to move the state to: one of "
                    + installed);
        }
        if (target.equals(from)) {
            throw new JpodException(ErrorCode.INVALID_ARG, "the state is already kept by \"" + from + "\"");
        }
        if (!(states.get(target) instanceof StateProvider to)) {
            throw new JpodException(ErrorCode.INVALID_ARG, "state provider \"" + target + "\" is not installed;"
                    + " installed: " + installed);
        }
        StateProvider source = (StateProvider) states.get(from);
        if (options.databaseBackend() != null && !options.databaseBackend().isBlank()) {
            throw new JpodException(ErrorCode.INVALID_ARG, "the state provider is chosen by the property"
                    + " engine.database_backend of the configuration " + PID + " (\"" + options.databaseBackend()
                    + "\"), which overrides jpod.conf: remove that property first, so that jpod.conf names the"
                    + " state provider");
        }
        List<java.nio.file.Path> files = configLoader().files();
        java.nio.file.Path conf = files.get(files.size() - 1);
        ProviderContext fromCtx = new ProviderContext(from, engine.config(), engine.dbConfig(), false, null);
        ProviderContext toCtx = new ProviderContext(target, engine.config(), engine.dbConfig(), false, null);
        // refused before the engine is taken down when the target already holds records
        try (State dst = to.open(toCtx)) {
            StateCopy.refuseUnlessEmpty(dst, target);
        }
        // what the engine sees (its namespace's share) must be in the store opened afresh: not so for "memory"
        int live = engine.parts().state().allContainers().size() + engine.parts().state().allPods().size()
                + engine.parts().state().allVolumes().size();
        takeDown("its state moves from \"" + from + "\" to \"" + target + "\"");
        StateCopy.Counts n;
        try (State src = source.open(fromCtx); State dst = to.open(toCtx)) {
            src.setNamespace("");
            if (src.allContainers().size() + src.allPods().size() + src.allVolumes().size() < live) {
                throw new JpodException(ErrorCode.INVALID_ARG, "state provider \"" + from + "\" keeps nothing once"
                        + " closed, so there is no store to move its state from");
            }
            n = StateCopy.copy(src, from, dst, target);
        }
        try (State dst = to.open(toCtx)) {
            dst.setNamespace("");
            if (dst.allContainers().size() != n.containers() || dst.allPods().size() != n.pods()
                    || dst.allVolumes().size() != n.volumes()) {
                throw new JpodException(ErrorCode.INVALID_ARG, "state provider \"" + target + "\" does not keep what"
                        + " it is given once closed (opened again it holds " + dst.allContainers().size()
                        + " of " + n.containers() + " containers): the state stays on \"" + from + "\"");
            }
        }
        ConfFileEdit edit;
        try {
            edit = ConfFileEdit.set(conf, "engine", "database_backend", target);
        } catch (java.io.IOException e) {
            throw new JpodException(ErrorCode.INTERNAL, "the state was copied to \"" + target + "\" but " + conf
                    + " cannot be written (" + e.getMessage() + "), so the engine stays on \"" + from + "\": set"
                    + " database_backend = \"" + target + "\" in its [engine] table and reload");
        }
        loadConfig();
        if (loaded == null || !target.equals(loaded.config().engine().databaseBackend())) {
            String why = loaded == null ? configProblem : "database_backend is \""
                    + loaded.config().engine().databaseBackend() + "\" after the edit";
            try {
                edit.undo();
            } catch (java.io.IOException e) {
                LOG.warn("putting {} back failed: {}", edit.file(), e.getMessage());
            }
            loadConfig();
            throw new JpodException(ErrorCode.INTERNAL, "the state was copied to \"" + target + "\" but setting it in "
                    + edit.file() + " did not take (" + why + "); the file was put back and the engine stays on \""
                    + from + "\"");
        }
        LOG.info("the state moved from {} to {} ({} containers, {} pods, {} volumes); {} names {} now", from, target,
                n.containers(), n.pods(), n.volumes(), edit.file(), target);
        return new StateMigration(from, target, n.containers(), n.pods(), n.volumes(), n.exitCodes(),
                edit.file().toString());
    }

    /** Waits for the reconcile scheduled before, so a caller sees its outcome. */
    void awaitReconcile() {
        try {
            worker.submit(() -> { }).get(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException
                | java.util.concurrent.RejectedExecutionException e) {
            LOG.debug("waiting for the assembler: {}", e.toString());
        }
    }

    private static <T> List<T> reversed(List<T> list) {
        List<T> out = new ArrayList<>(list);
        java.util.Collections.reverse(out);
        return out;
    }
}
