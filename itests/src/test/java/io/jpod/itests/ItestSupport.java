package io.jpod.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import io.jpod.api.EngineSystem;
import io.jpod.api.EngineAssembler;
import io.jpod.api.EngineStatus;
import io.jpod.api.ImageInfo;
import io.jpod.api.Images;
import io.jpod.launcher.Features;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;
import javax.inject.Inject;
import org.junit.After;
import org.junit.Before;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.util.tracker.ServiceTracker;

/**
 * Runs the engine's bundles, as the features file lists them, in a real Felix. The OCI runtime,
 * network and storage kinds get the stand-ins of {@link StandInProviders}, named {@code itest}, until
 * their real providers exist.
 */
public abstract class ItestSupport {
    static final String PID = "io.jpod.runtime";
    static final long TIMEOUT_MS = 30_000;
    static final String PARKED = "parked-between-tests";

    @Inject
    protected BundleContext context;

    @Inject
    protected ConfigurationAdmin configAdmin;

    protected Path dir;
    private final List<ServiceRegistration<?>> standIns = new ArrayList<>();

    @Configuration
    public Option[] config() throws IOException {
        String version = System.getProperty("jpod.version");
        Path repo = Path.of(System.getProperty("maven.repo.local"));
        Path featuresXml = Features.toRepositoryPath(repo,
                "mvn:io.jpod/jpod-features/" + version + "/xml/features");
        Features features = Features.read(featuresXml);
        List<Option> opts = new ArrayList<>();
        opts.add(junitBundles());
        opts.add(systemProperty("org.ops4j.pax.url.mvn.localRepository").value(repo.toString()));
        opts.add(frameworkProperty("org.osgi.framework.storage.clean").value("onFirstInit"));
        // Between tests (and before the first) the engine is parked: it selects a state provider that
        // does not exist, so it never assembles on the host's real default paths.
        Path parked = Files.createTempFile("jpod-itest-parked-", ".conf");
        Files.writeString(parked, "[engine]\ndatabase_backend = \"" + PARKED + "\"\n");
        parked.toFile().deleteOnExit();
        opts.add(frameworkProperty("jpod.conf").value(parked.toString()));
        // the REST service listens on a socket of the tests', never on the host's /run/jpod/jpod.sock
        Path sockets = Files.createTempDirectory("jpod-itest-api-");
        sockets.toFile().deleteOnExit();
        opts.add(frameworkProperty("jpod.socket").value(sockets.resolve("jpod.sock").toString()));
        for (Features.FeatureBundle b : features.bundles("jpod-logging", "jpod")) {
            Path jar = Features.toRepositoryPath(repo, b.location());
            opts.add(org.ops4j.pax.exam.CoreOptions.bundle(jar.toUri().toString()).startLevel(b.startLevel() > 0 ? b.startLevel() : 5));
        }
        return options(opts.toArray(Option[]::new));
    }

    @Before
    public void prepare() throws IOException {
        dir = Files.createTempDirectory("jpod-itest-");
        standIns.addAll(StandInProviders.register(context, "itest"));
    }

    @After
    public void cleanUp() throws Exception {
        org.osgi.service.cm.Configuration c = configAdmin.getConfiguration(PID, "?");
        c.delete();
        awaitStatus(s -> !s.assembled() && PARKED.equals(s.selected().get(io.jpod.api.ProviderKind.STATE)));
        for (ServiceRegistration<?> r : standIns) {
            r.unregister();
        }
        standIns.clear();
        deleteTree(dir);
        Files.deleteIfExists(shmSegment(dir.resolve("run")));
    }

    /** The shm lock manager's segment for a tmp dir other than the default (see ShmLockProvider). */
    static Path shmSegment(Path tmpDir) throws Exception {
        byte[] h = java.security.MessageDigest.getInstance("SHA-256")
                .digest(tmpDir.toAbsolutePath().normalize().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return Path.of("/dev/shm", "jpod_locks_" + java.util.HexFormat.of().formatHex(h, 0, 6));
    }

    /** Writes jpod.conf with every path under the test's directory, then hands it to the assembler. */
    protected Path configure(String backend, String locks, String events, String extraToml, Map<String, Object> overrides)
            throws IOException, InterruptedException {
        return configure(backend, locks, events, "itest", "itest", extraToml, overrides);
    }

    /** As above, with the OCI runtime and the storage driver named too. */
    protected Path configure(String backend, String locks, String events, String runtime, String driver,
            String extraToml, Map<String, Object> overrides) throws IOException, InterruptedException {
        return configure(backend, locks, events, runtime, driver, "network_backend = \"itest\"\n", extraToml,
                overrides);
    }

    /** As above, with the body of the [network] section given. */
    protected Path configure(String backend, String locks, String events, String runtime, String driver,
            String networkToml, String extraToml, Map<String, Object> overrides)
            throws IOException, InterruptedException {
        Path conf = dir.resolve("jpod.conf");
        String toml = """
                [engine]
                database_backend = "%s"
                lock_type = "%s"
                events_logger = "%s"
                events_logfile_path = "%s/run/events/events.log"
                num_locks = 64
                runtime = "%s"
                static_dir = "%s/engine"
                tmp_dir = "%s/run"
                volume_path = "%s/volumes"

                [network]
                %s
                [storage]
                driver = "%s"
                graphroot = "%s/storage"
                runroot = "%s/run/storage"
                """.formatted(backend, locks, events, dir, runtime, dir, dir, dir, networkToml, driver, dir, dir)
                + extraToml;
        Files.writeString(conf, toml);
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("jpod.conf", conf.toString());
        overrides.forEach(props::put);
        configAdmin.getConfiguration(PID, "?").update(props);
        awaitStatus(s -> backend.equals(s.selected().get(io.jpod.api.ProviderKind.STATE)));
        return conf;
    }

    /** The Images service, waited for. */
    protected Images images() throws InterruptedException {
        ServiceTracker<Images, Images> t = new ServiceTracker<>(context, Images.class, null);
        t.open();
        try {
            Images i = t.waitForService(TIMEOUT_MS);
            assertNotNull("no Images service", i);
            return i;
        } finally {
            t.close();
        }
    }

    /** A root filesystem of Debian's busybox-static under the test's dir: /bin/busybox and these applets. */
    protected Path busyboxRootfs(List<String> applets) throws IOException {
        Path root = dir.resolve("busybox-rootfs");
        Files.createDirectories(root.resolve("bin"));
        Files.copy(Path.of("/bin/busybox"), root.resolve("bin/busybox"));
        for (String applet : applets) {
            Files.createSymbolicLink(root.resolve("bin").resolve(applet), Path.of("busybox"));
        }
        return root;
    }

    /** The root filesystem imported as the image busybox, with these changes. */
    protected ImageInfo importBusybox(Path root, String... changes) throws Exception {
        Path tar = dir.resolve("busybox.tar");
        Process p = new ProcessBuilder("tar", "-C", root.toString(), "-cf", tar.toString(), ".").inheritIO().start();
        assertEquals(0, p.waitFor());
        try (InputStream in = Files.newInputStream(tar)) {
            return images().importRootfs(in, "busybox", List.of(changes));
        }
    }

    protected EngineAssembler assembler() {
        return context.getService(context.getServiceReference(EngineAssembler.class));
    }

    /** Waits until the assembler's status passes {@code p}; fails with the last status otherwise. */
    protected EngineStatus awaitStatus(Predicate<EngineStatus> p) throws InterruptedException {
        long end = System.currentTimeMillis() + TIMEOUT_MS;
        EngineStatus s = null;
        while (System.currentTimeMillis() < end) {
            s = assembler().status();
            if (p.test(s)) {
                return s;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("status never reached the expected condition; last: " + (s == null ? null : s.message()));
    }

    protected EngineServices awaitEngine() throws InterruptedException {
        return awaitNewEngine(null);
    }

    /** Waits for the services of an assembly other than {@code old}'s: the engine assembled again. */
    protected EngineServices awaitNewEngine(EngineServices old) throws InterruptedException {
        long end = System.currentTimeMillis() + TIMEOUT_MS;
        while (System.currentTimeMillis() < end) {
            org.osgi.framework.ServiceReference<EngineSystem> ref = context.getServiceReference(EngineSystem.class);
            if (ref != null) {
                EngineServices e = EngineServices.of(context, ref);
                if (e != null && (old == null || e.assembly() != old.assembly())) {
                    return e;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError((old == null ? "no engine services" : "the engine was not assembled again")
                + "; status: " + assembler().status().message());
    }

    protected Bundle bundle(String symbolicName) {
        for (Bundle b : context.getBundles()) {
            if (symbolicName.equals(b.getSymbolicName())) {
                return b;
            }
        }
        throw new AssertionError("bundle " + symbolicName + " is not installed");
    }

    static void deleteTree(Path p) throws IOException {
        if (p == null || !Files.exists(p)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(p)) {
            for (Path x : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(x);
            }
        }
    }

    /** Whether a live (not zombie) conmon still has this test's directory in its command line. */
    static boolean conmonsRunning(Path testDir) throws Exception {
        try (var procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.filter(x -> x.getFileName().toString().chars().allMatch(Character::isDigit)).toList()) {
                try {
                    String stat = Files.readString(p.resolve("stat"));
                    char state = stat.charAt(stat.lastIndexOf(')') + 2);
                    String cmd = new String(Files.readAllBytes(p.resolve("cmdline")), java.nio.charset.StandardCharsets.UTF_8);
                    if (state != 'Z' && cmd.contains("conmon") && cmd.contains(testDir.toString())) {
                        return true;
                    }
                } catch (java.io.IOException gone) {
                    // the process ended meanwhile
                }
            }
        }
        return false;
    }
}
