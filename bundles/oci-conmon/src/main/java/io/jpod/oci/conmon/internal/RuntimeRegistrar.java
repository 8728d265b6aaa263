package io.jpod.oci.conmon.internal;

import io.jpod.api.config.EngineConfig;
import io.jpod.api.config.JpodConfig;
import io.jpod.api.config.RuntimeOptions;
import io.jpod.config.ConfigLoader;
import io.jpod.spi.JpodName;
import io.jpod.spi.oci.OciRuntimeProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers one {@link OciRuntimeProvider} service per runtime name, with {@code jpod.name} set to the
 * name: every {@code [engine.runtimes]} entry whose binary exists ({@code crun} only where it works:
 * it answers {@code --version} and the host has the unified cgroup v2 hierarchy, since crun fails on
 * cgroup v1 hybrid hosts), {@code runc} at its usual paths even when the configuration forgot it, and
 * {@code engine.runtime} when it is an absolute path. The names come from the configuration, read as
 * the assembler reads it: /usr/share/jpod/jpod.conf, /etc/jpod/jpod.conf, the framework property
 * {@code jpod.conf}, then {@code $JPOD_CONF}. The list is made when the component activates.
 */
@Component(immediate = true, service = {})
public class RuntimeRegistrar {
    private static final Logger LOG = LoggerFactory.getLogger(RuntimeRegistrar.class);
    static final List<Path> RUNC_PATHS = List.of(Path.of("/usr/bin/runc"), Path.of("/usr/sbin/runc"),
            Path.of("/usr/local/bin/runc"), Path.of("/usr/local/sbin/runc"), Path.of("/sbin/runc"),
            Path.of("/bin/runc"));

    private final List<ServiceRegistration<OciRuntimeProvider>> registrations = new ArrayList<>();

    @Activate
    void activate(BundleContext context) {
        JpodConfig conf = load(context.getProperty("jpod.conf"));
        Path exitCommand = exitCommand(context.getProperty(EXIT_COMMAND));
        for (ConmonRuntimeProvider p : providers(conf.engine())) {
            p.exitCommand(exitCommand);
            Hashtable<String, Object> props = new Hashtable<>();
            props.put(JpodName.PROPERTY, p.name());
            registrations.add(context.registerService(OciRuntimeProvider.class, p, props));
            LOG.debug("registered {}", p);
        }
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
        for (ServiceRegistration<OciRuntimeProvider> r : registrations) {
            try {
                r.unregister();
            } catch (IllegalStateException e) {
                LOG.trace("already unregistered: {}", e.getMessage());
            }
        }
        registrations.clear();
    }

    static JpodConfig load(String extra) {
        List<Path> files = new ArrayList<>(List.of(Path.of("/usr/share/jpod/jpod.conf"), Path.of("/etc/jpod/jpod.conf")));
        if (extra != null && !extra.isBlank()) {
            files.add(Path.of(extra));
        }
        String env = System.getenv(ConfigLoader.ENV_VAR);
        if (env != null && !env.isBlank()) {
            files.add(Path.of(env));
        }
        try {
            return ConfigLoader.of(files).load(RuntimeOptions.NONE).config();
        } catch (RuntimeException e) {
            LOG.warn("OCI runtimes: reading the configuration failed, using the built-in runtime list: {}",
                    e.getMessage());
            return ConfigLoader.defaults();
        }
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
            Process p = new ProcessBuilder(bin.toString(), "--version").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (java.io.IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
