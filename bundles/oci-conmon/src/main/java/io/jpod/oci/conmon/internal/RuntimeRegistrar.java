package io.jpod.oci.conmon.internal;

import io.jpod.api.JpodException;
import io.jpod.api.config.EngineConfig;
import io.jpod.api.config.JpodConfig;
import io.jpod.api.config.RuntimeOptions;
import io.jpod.config.ConfigLoader;
import io.jpod.spi.JpodName;
import io.jpod.spi.oci.OciRuntimeProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers one {@link OciRuntimeProvider} service per runtime name, with {@code jpod.name} set to the
 * name: every {@code [engine.runtimes]} entry whose binary exists ({@code crun} only where it works:
 * it answers {@code --version} and the host has the unified cgroup v2 hierarchy, since crun fails on
 * cgroup v1 hybrid hosts), {@code runc} at its usual paths even when the configuration forgot it, and
 * {@code engine.runtime} when it is an absolute path. The names come from the configuration, read as
 * the assembler reads it: /usr/share/jpod/jpod.conf, /etc/jpod/jpod.conf, the framework property
 * {@code jpod.conf}, then {@code $JPOD_CONF}. The list is made when the component activates, and again
 * when one of those files changes (checked every {@link #CHECK_PERIOD_MS} ms): a new name is registered,
 * a name no longer there withdrawn, the others left alone so the engine need not be assembled again.
 *
 * <p>conmon's exit command calls the service on its API socket: the runtimes ask, at each container's create,
 * for the socket the REST service listens on, worked out as it works it out ({@link ApiSocket}: the
 * {@code socket.path} of its ConfigAdmin configuration {@code io.jpod.rest}, then {@code $JPOD_SOCKET}, then
 * the framework property {@code jpod.socket}), so the two never disagree.
 */
@Component(immediate = true, service = {})
public class RuntimeRegistrar {
    private static final Logger LOG = LoggerFactory.getLogger(RuntimeRegistrar.class);
    static final List<Path> RUNC_PATHS = List.of(Path.of("/usr/bin/runc"), Path.of("/usr/sbin/runc"),
            Path.of("/usr/local/bin/runc"), Path.of("/usr/local/sbin/runc"), Path.of("/sbin/runc"),
            Path.of("/bin/runc"));

    /** Checks of the configuration files for changes, so an edited [engine.runtimes] needs no restart. */
    static final long CHECK_PERIOD_MS = 2000;

    private record Registered(List<Path> paths, ServiceRegistration<OciRuntimeProvider> registration) {
    }

    private final Map<String, Registered> registered = new LinkedHashMap<>();
    private BundleContext context;
    private String extraConf;
    private Path exitCommand;
    private String filesStamp;
    private ScheduledExecutorService watcher;

    /** For the REST service's configuration (its socket.path); optional, the other sources stand without it. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile ConfigurationAdmin configAdmin;
    private Supplier<String> apiSocket;

    @Activate
    void activate(BundleContext ctx) {
        synchronized (this) {
            context = ctx;
            extraConf = ctx.getProperty("jpod.conf");
            exitCommand = exitCommand(ctx.getProperty(EXIT_COMMAND));
            apiSocket = ApiSocket.inFramework(() -> configAdmin, ctx::getProperty);
            filesStamp = stamp(files(extraConf));
            JpodConfig conf;
            try {
                conf = load(extraConf);
            } catch (RuntimeException e) {
                LOG.warn("OCI runtimes: reading the configuration failed, using the built-in runtime list: {}",
                        e.getMessage());
                conf = ConfigLoader.defaults();
            }
            sync(conf);
        }
        watcher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "jpod-runtime-registrar");
            t.setDaemon(true);
            return t;
        });
        watcher.scheduleWithFixedDelay(this::checkFiles, CHECK_PERIOD_MS, CHECK_PERIOD_MS, TimeUnit.MILLISECONDS);
    }

    /** When a configuration file changed: the runtimes it names now are registered, those it dropped withdrawn. */
    synchronized void checkFiles() {
        if (context == null) {
            return;
        }
        String now = stamp(files(extraConf));
        if (now.equals(filesStamp)) {
            return;
        }
        filesStamp = now;
        try {
            sync(load(extraConf));
        } catch (RuntimeException e) {
            // a file in the middle of an edit: what is registered stays until it loads again
            LOG.warn("OCI runtimes: the changed configuration does not load, the runtimes stay as they are: {}",
                    e.getMessage());
        }
    }

    private void sync(JpodConfig conf) {
        Map<String, ConmonRuntimeProvider> wanted = new LinkedHashMap<>();
        for (ConmonRuntimeProvider p : providers(conf.engine())) {
            wanted.put(p.name(), p);
        }
        registered.entrySet().removeIf(e -> {
            ConmonRuntimeProvider w = wanted.get(e.getKey());
            if (w != null && w.paths().equals(e.getValue().paths())) {
                return false;
            }
            unregister(e.getValue().registration());
            LOG.info("OCI runtime {} withdrawn: {}", e.getKey(), w == null ? "no longer configured" : "its paths changed");
            return true;
        });
        wanted.forEach((name, p) -> {
            if (registered.containsKey(name)) {
                return;
            }
            p.exitCommand(exitCommand).apiSocket(apiSocket);
            Hashtable<String, Object> props = new Hashtable<>();
            props.put(JpodName.PROPERTY, name);
            registered.put(name, new Registered(p.paths(), context.registerService(OciRuntimeProvider.class, p, props)));
            LOG.debug("registered {}", p);
        });
    }

    private static String stamp(List<Path> files) {
        StringBuilder b = new StringBuilder();
        for (Path f : files) {
            b.append(f).append('=');
            try {
                b.append(Files.getLastModifiedTime(f).toMillis()).append('/').append(Files.size(f));
            } catch (IOException e) {
                b.append('-');
            }
            b.append(';');
        }
        return b.toString();
    }

    /** The framework property naming conmon's exit command (the distribution sets it). */
    static final String EXIT_COMMAND = "jpod.exit.command";

    static Path exitCommand(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        Path p = Path.of(value);
        if (!Files.isExecutable(p)) {
            LOG.warn("{} {} is not an executable file: containers that exit while the service is down keep"
                    + " their network until it returns", EXIT_COMMAND, p);
            return null;
        }
        return p;
    }

    @Deactivate
    void deactivate() {
        if (watcher != null) {
            watcher.shutdownNow();
        }
        synchronized (this) {
            registered.values().forEach(r -> unregister(r.registration()));
            registered.clear();
            context = null;
        }
    }

    private static void unregister(ServiceRegistration<OciRuntimeProvider> r) {
        try {
            r.unregister();
        } catch (IllegalStateException e) {
            LOG.trace("already unregistered: {}", e.getMessage());
        }
    }

    /** The files the configuration is read from, as the assembler reads them. */
    static List<Path> files(String extra) {
        return ConfigLoader.standard(extra).files();
    }

    /** The configuration, with a missing $JPOD_CONF skipped; a file that does not load is an exception. */
    static JpodConfig load(String extra) {
        return ConfigLoader.of(files(extra)).load(RuntimeOptions.NONE).config();
    }

    /** The providers for this configuration, by name; only those whose binary exists (and works, for crun). */
    static List<ConmonRuntimeProvider> providers(EngineConfig engine) {
        Map<String, List<Path>> names = new LinkedHashMap<>();
        engine.runtimes().forEach((n, paths) -> names.put(n, paths.stream().map(Path::of).toList()));
        names.putIfAbsent("runc", RUNC_PATHS);
        String def = engine.runtime();
        if (def != null && def.startsWith("/")) {
            names.put(def, List.of(Path.of(def)));
        }
        List<ConmonRuntimeProvider> out = new ArrayList<>();
        names.forEach((n, paths) -> ConmonRuntimeProvider.firstExecutable(paths).ifPresentOrElse(bin -> {
            if (n.equals("crun") && !crunWorks(bin)) {
                LOG.info("OCI runtime crun at {} is not registered: it needs the unified cgroup v2 hierarchy", bin);
                return;
            }
            out.add(new ConmonRuntimeProvider(n, paths));
        }, () -> LOG.debug("OCI runtime {}: no binary at {}", n, paths)));
        return out;
    }

    private static boolean crunWorks(Path bin) {
        if (!Files.exists(Path.of("/sys/fs/cgroup/cgroup.controllers"))) {
            return false;
        }
        try {
            return Exec.run(List.of(bin.toString(), "--version"), 10).ok();
        } catch (JpodException e) {
            return false;
        }
    }
}
