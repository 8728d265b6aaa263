package io.jpod.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.osgi.framework.startlevel.BundleStartLevel;

/**
 * The jpod service: a Felix framework with the engine's bundles, laid out as a distribution.
 *
 * <pre>
 * &lt;jpod.home&gt;/etc/config.properties          framework properties (${jpod.home} and ${name} of system properties substituted)
 * &lt;jpod.home&gt;/etc/features.xml               the engine's features (jpod-features)
 * &lt;jpod.home&gt;/etc/distribution-features.xml  the distribution's own (Gogo, FileInstall)
 * &lt;jpod.home&gt;/etc/boot.features              the names of the features to start
 * &lt;jpod.home&gt;/system/                        the bundles, in Maven repository layout
 * &lt;jpod.home&gt;/deploy/                        jars and .cfg files, watched by FileInstall
 * &lt;jpod.home&gt;/data/cache                     the framework's storage, cleaned at each start
 * </pre>
 *
 * <p>Without arguments it runs in the foreground until the framework stops (Gogo's {@code stop 0},
 * SIGTERM or Ctrl-C). With {@code --status} it starts everything, prints the engine assembler's
 * status to stdout, stops, and exits 0 when the engine is assembled, 3 when it is not, 4 when there is
 * no assembler at all. Exit 2 is a launch error (a missing file, a bad configuration).
 */
public final class Main {
    static final String ASSEMBLER = "io.jpod.api.EngineAssembler";
    static final int EXIT_OK = 0;
    static final int EXIT_LAUNCH_ERROR = 2;
    static final int EXIT_NOT_ASSEMBLED = 3;
    static final int EXIT_NO_ASSEMBLER = 4;
    static final long STATUS_TIMEOUT_MS = 30_000;
    static final long STATUS_POLL_MS = 200;
    static final long STATUS_SETTLE_MS = 1_000;
    static final long STOP_TIMEOUT_MS = 30_000;

    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([^}]+)}");

    private static volatile boolean shuttingDown;

    private Main() {
    }

    /** Thrown for a problem of the installation or the command line; the message says what to fix. */
    static final class LaunchException extends Exception {
        private static final long serialVersionUID = 1L;

        LaunchException(String message) {
            super(message);
        }

        LaunchException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    public static void main(String[] args) {
        int code;
        try {
            code = run(args);
        } catch (LaunchException e) {
            System.err.println("jpod-service: " + e.getMessage());
            code = EXIT_LAUNCH_ERROR;
        }
        if (!shuttingDown) {
            System.exit(code);
        }
    }

    static int run(String[] args) throws LaunchException {
        boolean status = false;
        String exec = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--status" -> status = true;
                case "--exec" -> {
                    if (i + 1 >= args.length) {
                        throw new LaunchException("--exec needs a Gogo command, e.g. --exec 'jpod:run busybox echo hello'");
                    }
                    exec = args[++i];
                }
                case "-h", "--help" -> {
                    System.out.println(usage());
                    return EXIT_OK;
                }
                default -> throw new LaunchException("unknown argument " + a + "\n" + usage());
            }
        }
        String homeProp = System.getProperty("jpod.home");
        if (homeProp == null || homeProp.isBlank()) {
            throw new LaunchException("the system property jpod.home is not set (bin/jpod-service sets it to the install directory)");
        }
        Path home = Path.of(homeProp).toAbsolutePath().normalize();
        if (!Files.isDirectory(home)) {
            throw new LaunchException("jpod.home " + home + " is not a directory");
        }

        // In --status mode stdout carries the status line only: everything else (Felix's own log,
        // FileInstall, Gogo) goes to stderr.
        PrintStream out = System.out;
        boolean oneShot = status || exec != null;
        if (oneShot) {
            System.setOut(System.err);
        }
        setLoggingDefaults();
        setJettyDefaults();

        Map<String, String> props = frameworkProperties(home, oneShot);
        List<Features.FeatureBundle> bundles = bootBundles(home);
        List<String> missing = new ArrayList<>();
        Map<Features.FeatureBundle, Path> files = bundleFiles(home, bundles, missing);
        for (String m : missing) {
            System.err.println("jpod-service: ERROR " + m);
        }
        try {
            Files.createDirectories(home.resolve("data"));
            Files.createDirectories(Path.of(props.getOrDefault("felix.fileinstall.dir", home.resolve("deploy").toString())));
            String storage = props.get("org.osgi.framework.storage");
            if (storage != null && !storage.isEmpty()) {
                props.put("org.osgi.framework.storage", FrameworkStorage.choose(Path.of(storage)).toString());
            }
        } catch (IOException e) {
            throw new LaunchException("cannot create the directories of " + home + ": " + e.getMessage(), e);
        }

        Framework framework = newFramework(props);
        List<String> errors = new CopyOnWriteArrayList<>(missing);
        Thread hook = new Thread(() -> {
            shuttingDown = true;
            stop(framework);
        }, "jpod-shutdown");
        try {
            framework.init();
            framework.getBundleContext().addFrameworkListener(e -> {
                if (e.getType() == FrameworkEvent.ERROR) {
                    errors.add((e.getBundle() == null ? "" : e.getBundle().getSymbolicName() + ": ")
                            + (e.getThrowable() == null ? "error" : e.getThrowable().getMessage()));
                }
            });
            install(framework.getBundleContext(), files, errors);
            Runtime.getRuntime().addShutdownHook(hook);
            // before the bundles start: the API may answer (and a client send SIGHUP) before the last bundle
            // is active, and the JVM's own SIGHUP action is to exit
            onHangup(() -> reload(framework));
            framework.start();
        } catch (BundleException | RuntimeException e) {
            stop(framework);
            throw new LaunchException("the framework did not start: " + e.getMessage(), e);
        }

        if (status) {
            int code = printStatus(framework, out, errors);
            stop(framework);
            removeHook(hook);
            return code;
        }
        if (exec != null) {
            int code = execute(framework, exec, out);
            stop(framework);
            removeHook(hook);
            return code;
        }
        System.err.println("jpod-service: started " + files.size() + " of " + bundles.size() + " bundles (home " + home + ")");
        while (true) {
            try {
                FrameworkEvent e = framework.waitForStop(0);
                if (e.getType() == FrameworkEvent.STOPPED_UPDATE) {
                    // "update 0" from the shell: start again with the same bundles
                    framework.start();
                    continue;
                }
                removeHook(hook);
                return e.getType() == FrameworkEvent.ERROR ? 1 : EXIT_OK;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stop(framework);
                return 1;
            } catch (BundleException e) {
                throw new LaunchException("the framework did not start again: " + e.getMessage(), e);
            }
        }
    }

    static String usage() {
        return """
                usage: jpod-service [--status | --exec COMMAND]
                  (no argument)  run the jpod service in the foreground until stopped (SIGTERM, Ctrl-C, or Gogo's stop 0)
                  --status       start, print whether the engine is assembled, stop; exit 0 assembled, 3 not assembled, 4 no assembler
                  --exec COMMAND start, run one Gogo command (e.g. 'jpod:run busybox echo hello'), print its result, stop;
                                 exit 0, or 1 when the command failed""";
    }

    static final String COMMAND_PROCESSOR = "org.apache.felix.service.command.CommandProcessor";

    /**
     * Runs one Gogo command once its function is registered (bounded wait) and prints its result.
     * Gogo's API is the shell bundle's, so it is called by reflection, like the assembler's status.
     */
    static int execute(Framework framework, String command, PrintStream out) {
        BundleContext ctx = framework.getBundleContext();
        long end = System.currentTimeMillis() + STATUS_TIMEOUT_MS;
        String last = "no " + COMMAND_PROCESSOR + " service (is the jpod-shell feature installed?)";
        while (System.currentTimeMillis() < end) {
            ServiceReference<?> ref = ctx.getServiceReference(COMMAND_PROCESSOR);
            Object processor = ref == null ? null : ctx.getService(ref);
            if (processor != null) {
                try {
                    Class<?> api = ref.getBundle().loadClass(COMMAND_PROCESSOR);
                    Object session = api.getMethod("createSession", java.io.InputStream.class, java.io.OutputStream.class,
                            java.io.OutputStream.class).invoke(processor, java.io.InputStream.nullInputStream(), out, System.err);
                    Class<?> sessionApi = ref.getBundle().loadClass("org.apache.felix.service.command.CommandSession");
                    try {
                        Object result = sessionApi.getMethod("execute", CharSequence.class).invoke(session, command);
                        if (result != null) {
                            out.println(result);
                        }
                        out.flush();
                        return EXIT_OK;
                    } finally {
                        sessionApi.getMethod("close").invoke(session);
                    }
                } catch (java.lang.reflect.InvocationTargetException e) {
                    Throwable cause = e.getCause();
                    last = cause == null ? e.toString() : cause.getMessage();
                    if (last == null || !last.startsWith("Command not found")) {
                        System.err.println("jpod-service: " + command + ": " + last);
                        return 1;
                    }
                } catch (ReflectiveOperationException | RuntimeException e) {
                    last = e.toString();
                }
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        System.err.println("jpod-service: " + command + ": " + last);
        return 1;
    }

    /** slf4j-simple reads System properties: INFO with a date-time, unless set on the command line. */
    static void setLoggingDefaults() {
        setIfAbsent("org.slf4j.simpleLogger.defaultLogLevel", "info");
        setIfAbsent("org.slf4j.simpleLogger.showDateTime", "true");
        setIfAbsent("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSXXX");
        setIfAbsent("org.slf4j.simpleLogger.logFile", "System.err");
    }

    /**
     * Jetty's MemoryUtils asks the platform MBean server whether references are compressed, and starting
     * that server (every platform MXBean registered) was a tenth of the service's start: below 32 GiB of
     * heap they are, 16 to a 64-byte cache line. The figure only pads queues against false sharing.
     */
    static void setJettyDefaults() {
        setIfAbsent("org.eclipse.jetty.util.referencesPerCacheLine",
                Runtime.getRuntime().maxMemory() < 32L << 30 ? "16" : "8");
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    /**
     * etc/config.properties with variables substituted, then every {@code jpod.*} system property
     * (so {@code -Djpod.conf=...} reaches the engine as the framework property {@code jpod.conf}).
     */
    static Map<String, String> frameworkProperties(Path home, boolean status) throws LaunchException {
        Path file = home.resolve("etc/config.properties");
        Properties raw = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            raw.load(in);
        } catch (IOException e) {
            throw new LaunchException("cannot read " + file + ": " + e.getMessage(), e);
        }
        Map<String, String> lookup = new HashMap<>();
        for (String k : raw.stringPropertyNames()) {
            lookup.put(k, raw.getProperty(k));
        }
        lookup.put("jpod.home", home.toString());
        Map<String, String> props = new TreeMap<>();
        for (String k : raw.stringPropertyNames()) {
            props.put(k, substitute(raw.getProperty(k), lookup, file, k));
        }
        for (String k : System.getProperties().stringPropertyNames()) {
            if (k.startsWith("jpod.")) {
                props.put(k, System.getProperty(k));
            }
        }
        props.put("jpod.home", home.toString());
        if (status || System.console() == null) {
            props.putIfAbsent("gosh.args", "--nointeractive");
        }
        return props;
    }

    /** Replaces ${name} by a system property or another property of the file, recursively. */
    static String substitute(String value, Map<String, String> lookup, Path file, String key) throws LaunchException {
        String v = value;
        for (int depth = 0; depth < 10; depth++) {
            Matcher m = VARIABLE.matcher(v);
            if (!m.find()) {
                return v;
            }
            StringBuilder sb = new StringBuilder();
            m.reset();
            while (m.find()) {
                String name = m.group(1);
                String r = "jpod.home".equals(name) ? lookup.get(name) : System.getProperty(name, lookup.get(name));
                if (r == null) {
                    throw new LaunchException(file + ": " + key + " = " + value + ": ${" + name
                            + "} is neither a system property nor a property of the file");
                }
                m.appendReplacement(sb, Matcher.quoteReplacement(r));
            }
            m.appendTail(sb);
            v = sb.toString();
        }
        throw new LaunchException(file + ": " + key + " = " + value + ": variables nest too deep (a cycle?)");
    }

    /** The bundles of the features named in etc/boot.features, from etc/features.xml and etc/distribution-features.xml. */
    static List<Features.FeatureBundle> bootBundles(Path home) throws LaunchException {
        Path etc = home.resolve("etc");
        Features features = readFeatures(etc.resolve("features.xml"));
        Path own = etc.resolve("distribution-features.xml");
        if (Files.exists(own)) {
            features = features.with(readFeatures(own));
        }
        Path boot = etc.resolve("boot.features");
        List<String> names = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(boot)) {
                int hash = line.indexOf('#');
                String l = hash >= 0 ? line.substring(0, hash) : line;
                for (String n : l.trim().split("[\\s,]+")) {
                    if (!n.isEmpty()) {
                        names.add(n);
                    }
                }
            }
        } catch (IOException e) {
            throw new LaunchException("cannot read " + boot + ": " + e.getMessage(), e);
        }
        if (names.isEmpty()) {
            throw new LaunchException(boot + " names no feature; known features: " + String.join(", ", features.names()));
        }
        try {
            return features.bundles(names.toArray(String[]::new));
        } catch (IllegalArgumentException e) {
            throw new LaunchException(boot + ": " + e.getMessage(), e);
        }
    }

    private static Features readFeatures(Path file) throws LaunchException {
        try {
            return Features.read(file);
        } catch (IOException e) {
            throw new LaunchException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Each bundle's file: mvn: URLs in system/ (Maven repository layout), file: URLs as they are. A file
     * that does not exist is left out and named in {@code missing} (the launch goes on without it: the
     * engine reports the providers it lacks); a location that is not such a URL is a launch error.
     */
    static Map<Features.FeatureBundle, Path> bundleFiles(Path home, List<Features.FeatureBundle> bundles, List<String> missing)
            throws LaunchException {
        Path system = home.resolve("system");
        Map<Features.FeatureBundle, Path> files = new LinkedHashMap<>();
        for (Features.FeatureBundle b : bundles) {
            Path p;
            String loc = b.location();
            try {
                if (loc.startsWith("mvn:")) {
                    p = Features.toRepositoryPath(system, loc);
                } else if (loc.startsWith("file:")) {
                    p = Path.of(java.net.URI.create(loc));
                } else {
                    throw new LaunchException("bundle " + loc + ": only mvn: and file: locations are supported");
                }
            } catch (IllegalArgumentException e) {
                throw new LaunchException("bundle " + loc + ": " + e.getMessage(), e);
            }
            if (Files.isRegularFile(p)) {
                files.put(b, p);
            } else {
                missing.add("bundle " + loc + " is missing from " + system + " (no file " + p + "); going on without it");
            }
        }
        return files;
    }

    private static Framework newFramework(Map<String, String> props) throws LaunchException {
        Iterator<FrameworkFactory> it = ServiceLoader.load(FrameworkFactory.class, Main.class.getClassLoader()).iterator();
        if (!it.hasNext()) {
            throw new LaunchException("no OSGi framework on the class path (lib/ must hold org.apache.felix.framework)");
        }
        return it.next().newFramework(props);
    }

    /**
     * Installs every bundle with its start level, and marks all but fragments to be started. A bundle
     * that cannot be installed (a damaged jar, a duplicate symbolic name) is reported and left out.
     */
    private static void install(BundleContext ctx, Map<Features.FeatureBundle, Path> files, List<String> errors) throws BundleException {
        List<Bundle> installed = new ArrayList<>();
        for (Map.Entry<Features.FeatureBundle, Path> e : files.entrySet()) {
            Bundle b;
            try {
                b = ctx.installBundle(e.getValue().toUri().toString());
            } catch (BundleException ex) {
                String m = "bundle " + e.getKey().location() + " (" + e.getValue() + ") cannot be installed: " + ex.getMessage();
                System.err.println("jpod-service: ERROR " + m + "; going on without it");
                errors.add(m);
                continue;
            }
            int level = e.getKey().startLevel();
            if (level > 0) {
                b.adapt(BundleStartLevel.class).setStartLevel(level);
            }
            installed.add(b);
        }
        for (Bundle b : installed) {
            if (b.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
                b.start();
            }
        }
    }

    /** Stops the framework and waits, bounded, for it. */
    static void stop(Framework framework) {
        int state = framework.getState();
        if ((state & (Bundle.ACTIVE | Bundle.STARTING | Bundle.STOPPING)) == 0) {
            return;
        }
        try {
            framework.stop();
            FrameworkEvent e = framework.waitForStop(STOP_TIMEOUT_MS);
            if (e.getType() == FrameworkEvent.WAIT_TIMEDOUT) {
                System.err.println("jpod-service: the framework did not stop within " + STOP_TIMEOUT_MS / 1000 + " s");
            }
        } catch (BundleException e) {
            System.err.println("jpod-service: stopping the framework: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down already: the hook runs, and stopping twice is harmless
        }
    }

    /**
     * Runs the action on SIGHUP, as podman's service reloads its configuration. sun.misc.Signal is reached
     * by reflection: it is the JDK's only way to handle a signal, and is not part of the compile-time API.
     */
    static void onHangup(Runnable action) {
        try {
            Class<?> signal = Class.forName("sun.misc.Signal");
            Class<?> handler = Class.forName("sun.misc.SignalHandler");
            Object h = Proxy.newProxyInstance(handler.getClassLoader(), new Class<?>[] {handler}, (proxy, m, args) ->
                switch (m.getName()) {
                    case "handle" -> {
                        // off the signal thread: a reload waits for the engine to be assembled
                        Thread t = new Thread(action, "jpod-reload");
                        t.setDaemon(true);
                        t.start();
                        yield null;
                    }
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> "jpod-service reload on SIGHUP";
                });
            Object before = signal.getMethod("handle", signal, handler)
                    .invoke(null, signal.getConstructor(String.class).newInstance("HUP"), h);
            // a process started with SIGHUP ignored (nohup) keeps it ignored: the JVM installs no handler
            if (before == handler.getField("SIG_IGN").get(null)) {
                System.err.println("jpod-service: SIGHUP is ignored in this process (started under nohup?) and will"
                        + " not reload the configuration: use `jpod system reload`, or start bin/jpod-service,"
                        + " which restores SIGHUP");
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            System.err.println("jpod-service: SIGHUP will not reload the configuration: " + e);
        }
    }

    private static final int RELOAD_WAIT_MS = 30_000;

    /** Asks the engine assembler to read the configuration again (by reflection, as the status). */
    static void reload(Framework framework) {
        BundleContext ctx = framework.getBundleContext();
        ServiceReference<?> ref = ctx == null ? null : ctx.getServiceReference(ASSEMBLER);
        // a SIGHUP while the framework starts: the assembler is on its way
        for (int i = 0; ref == null && ctx != null && i < RELOAD_WAIT_MS / 100; i++) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            ref = ctx.getServiceReference(ASSEMBLER);
        }
        if (ref == null || ref.getBundle() == null) {
            System.err.println("jpod-service: SIGHUP: no " + ASSEMBLER + " service to reload the configuration");
            return;
        }
        Object assembler = ctx.getService(ref);
        try {
            Object s = ref.getBundle().loadClass(ASSEMBLER).getMethod("reload").invoke(assembler);
            System.err.println("jpod-service: SIGHUP: configuration read again: "
                    + s.getClass().getMethod("message").invoke(s));
        } catch (InvocationTargetException e) {
            System.err.println("jpod-service: SIGHUP: the configuration was not reloaded: " + e.getCause().getMessage());
        } catch (ReflectiveOperationException | RuntimeException e) {
            System.err.println("jpod-service: SIGHUP: the configuration was not reloaded: " + e);
        } finally {
            ctx.ungetService(ref);
        }
    }

    /**
     * Waits (bounded) for the EngineAssembler service and for its status to stay the same for a
     * second, then prints its message. The launcher shares no classes with the bundles: the
     * assembler and its status are called by reflection.
     */
    static int printStatus(Framework framework, PrintStream out, List<String> errors) {
        BundleContext ctx = framework.getBundleContext();
        long deadline = System.currentTimeMillis() + STATUS_TIMEOUT_MS;
        ServiceReference<?> ref = null;
        Object assembler = null;
        Method statusMethod = null;
        String last = null;
        Object lastStatus = null;
        long since = 0;
        boolean settled = false;
        try {
            while (System.currentTimeMillis() < deadline) {
                if (assembler == null) {
                    ref = ctx.getServiceReference(ASSEMBLER);
                    if (ref != null && ref.getBundle() != null) {
                        assembler = ctx.getService(ref);
                        statusMethod = assembler == null ? null : ref.getBundle().loadClass(ASSEMBLER).getMethod("status");
                    }
                }
                if (assembler != null) {
                    try {
                        Object s = statusMethod.invoke(assembler);
                        String message = (String) s.getClass().getMethod("message").invoke(s);
                        long now = System.currentTimeMillis();
                        if (!message.equals(last)) {
                            last = message;
                            lastStatus = s;
                            since = now;
                        } else if (now - since >= STATUS_SETTLE_MS) {
                            settled = true;
                            break;
                        }
                    } catch (InvocationTargetException e) {
                        // the assembler went away (its bundle stopped): look it up again
                        assembler = null;
                    }
                }
                Thread.sleep(STATUS_POLL_MS);
            }
            if (lastStatus == null) {
                out.println("no " + ASSEMBLER + " service after " + STATUS_TIMEOUT_MS / 1000 + " s; bundles not active:");
                for (String line : notActive(ctx)) {
                    out.println("  " + line);
                }
                for (String e : errors) {
                    out.println("  error: " + e);
                }
                out.flush();
                return EXIT_NO_ASSEMBLER;
            }
            if (!settled) {
                System.err.println("jpod-service: the engine's status was still changing after " + STATUS_TIMEOUT_MS / 1000 + " s");
            }
            out.println(last);
            out.flush();
            boolean assembled = (Boolean) lastStatus.getClass().getMethod("assembled").invoke(lastStatus);
            return assembled ? EXIT_OK : EXIT_NOT_ASSEMBLED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return EXIT_NO_ASSEMBLER;
        } catch (ReflectiveOperationException | ClassCastException e) {
            out.println("the " + ASSEMBLER + " service cannot be asked for its status: " + e);
            out.flush();
            return EXIT_NO_ASSEMBLER;
        } finally {
            if (ref != null && assembler != null) {
                try {
                    ctx.ungetService(ref);
                } catch (IllegalStateException | IllegalArgumentException e) {
                    // the framework or the service is gone already
                }
            }
        }
    }

    /** "id symbolic-name version STATE" of every bundle that is not ACTIVE (fragments are RESOLVED by nature and left out). */
    static List<String> notActive(BundleContext ctx) {
        List<String> lines = new ArrayList<>();
        for (Bundle b : ctx.getBundles()) {
            if (b.getBundleId() == 0 || b.getState() == Bundle.ACTIVE
                    || (b.getHeaders().get(Constants.FRAGMENT_HOST) != null && b.getState() == Bundle.RESOLVED)) {
                continue;
            }
            lines.add(b.getBundleId() + " " + b.getSymbolicName() + " " + b.getVersion() + " " + stateName(b.getState()));
        }
        if (lines.isEmpty()) {
            lines.add("(none: every bundle is active, but none registers " + ASSEMBLER + ")");
        }
        return lines;
    }

    static String stateName(int state) {
        return switch (state) {
            case Bundle.UNINSTALLED -> "UNINSTALLED";
            case Bundle.INSTALLED -> "INSTALLED";
            case Bundle.RESOLVED -> "RESOLVED";
            case Bundle.STARTING -> "STARTING";
            case Bundle.STOPPING -> "STOPPING";
            case Bundle.ACTIVE -> "ACTIVE";
            default -> Integer.toString(state);
        };
    }
}
