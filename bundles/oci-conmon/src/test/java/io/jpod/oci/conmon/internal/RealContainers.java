package io.jpod.oci.conmon.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.junit.Assume.assumeTrue;

import io.jpod.api.Container;
import io.jpod.api.ContainerConfig;
import io.jpod.api.ContainerState;
import io.jpod.api.ContainerStatus;
import io.jpod.api.DBConfig;
import io.jpod.api.ExecConfig;
import io.jpod.api.config.ContainersConfig;
import io.jpod.api.config.EngineConfig;
import io.jpod.api.config.JpodConfig;
import io.jpod.config.ConfigLoader;
import io.jpod.spi.ProviderContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.OptionalInt;
import org.junit.After;
import org.junit.AfterClass;
import org.junit.Before;
import org.junit.BeforeClass;

/**
 * Real containers for a test class: runc under conmon on busybox-static root filesystems under one temp
 * directory, with the engine's default configuration (a subclass may change its {@code [containers]} section).
 * Skipped where runc, conmon or busybox is missing, or not as root. Everything made is removed again.
 */
abstract class RealContainers {
    private static final SecureRandom RANDOM = new SecureRandom();
    static final Path BUSYBOX = Path.of("/bin/busybox");
    static Path base;
    private static final List<Integer> CONMONS = new ArrayList<>();

    ConmonRuntimeProvider provider;
    ProviderContext context;
    ConmonRuntime rt;
    private final List<Container> created = new ArrayList<>();

    @BeforeClass
    public static void makeBase() throws IOException {
        assumeTrue("runc, conmon and busybox-static are needed",
                ConmonRuntimeProvider.firstExecutable(RuntimeRegistrar.RUNC_PATHS).isPresent()
                        && Files.isExecutable(Path.of("/usr/bin/conmon")) && Files.isExecutable(BUSYBOX)
                        && "root".equals(System.getProperty("user.name")));
        base = Files.createTempDirectory(Path.of("/tmp"), "jo");
    }

    @AfterClass
    public static void nothingLeft() throws IOException {
        if (base == null) {
            return;
        }
        try {
            for (int pid : CONMONS) {
                assertFalse("conmon " + pid + " still runs", ConmonRuntime.isConmon(pid));
            }
            String mounts = Files.readString(Path.of("/proc/self/mounts"));
            assertFalse("mounts left under " + base + ":\n" + mounts, mounts.contains(base.toString()));
        } finally {
            ConmonRuntime.deleteTree(base);
            base = null;
            CONMONS.clear();
        }
    }

    /** The {@code [containers]} section the runtime is opened with; the defaults unless a subclass says. */
    ContainersConfig containers(ContainersConfig defaults) {
        return defaults;
    }

    @Before
    public void open() throws IOException {
        Path dir = Files.createTempDirectory(base, "t");
        JpodConfig d = ConfigLoader.defaults();
        EngineConfig e = d.engine();
        EngineConfig engine = new EngineConfig(e.cgroupManager(), e.conmonPath(), e.databaseBackend(),
                e.eventsLogger(), e.eventsLogfilePath(), e.eventsLogfileMaxSize(), e.lockType(), e.numLocks(),
                e.namespace(), "runc", e.runtimes(), dir + "/s", dir + "/r", dir + "/v", e.stopTimeout(),
                e.exitCommandDelay(), e.noPivotRoot(), e.detachKeys(), e.infraImage(), e.serviceTimeout());
        JpodConfig conf = new JpodConfig(containers(d.containers()), engine, d.network(), d.storage());
        context = new ProviderContext("runc", conf, new DBConfig(dir + "/s", dir + "/r", dir + "/g",
                dir + "/rr", "vfs", dir + "/v"), false, null);
        provider = RuntimeRegistrar.providers(engine).stream()
                .filter(p -> p.name().equals("runc")).findFirst().orElseThrow();
        rt = (ConmonRuntime) provider.open(context);
    }

    @After
    public void cleanUp() {
        for (Container c : created) {
            try {
                rt.deleteContainer(c);
            } catch (RuntimeException e) {
                System.err.println("cleaning up " + c.id() + ": " + e);
            }
            int conmon = ConmonRuntime.readPid(rt.runDir(c.id()).resolve("conmon.pid"));
            if (conmon > 0 && ConmonRuntime.isConmon(conmon)) {
                ProcessHandle.of(conmon).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
        rt.close();
    }

    /** A fresh busybox root filesystem: bin/ with busybox and its applets, etc/passwd and etc/group, tmp/. */
    static Path rootfs() throws IOException {
        return rootfs(List.of("sh", "echo", "true", "cat", "id", "sleep", "grep"));
    }

    /** A fresh busybox root filesystem with these applets in bin/. */
    static Path rootfs(List<String> applets) throws IOException {
        Path root = Files.createTempDirectory(base, "rootfs");
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.createDirectories(root.resolve("bin"));
        Files.copy(BUSYBOX, root.resolve("bin/busybox"));
        for (String applet : applets) {
            Files.createSymbolicLink(root.resolve("bin").resolve(applet), Path.of("busybox"));
        }
        Files.createDirectories(root.resolve("etc"));
        Files.createDirectories(root.resolve("tmp"));
        Files.writeString(root.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\n"
                + "app:x:1000:1000:app:/home/app:/bin/sh\n");
        Files.writeString(root.resolve("etc/group"), "root:x:0:\napp:x:1000:\n");
        return root;
    }

    Container container(ContainerConfig.Builder b, Path root) {
        String id = HexFormat.of().formatHex(RANDOM.generateSeed(32));
        Container c = new Container(b.id(id).name("it-" + id.substring(0, 8)).rootfs(root.toString())
                .ociRuntime("runc").build(), null);
        created.add(c);
        return c;
    }

    Container create(Container c) {
        ContainerState s = rt.createContainer(c);
        assertEquals(ContainerStatus.CREATED, s.status());
        assertTrue(s.pid() > 0);
        assertTrue(s.conmonPid() > 0);
        CONMONS.add(s.conmonPid());
        return c.withState(s);
    }

    Container run(ContainerConfig.Builder b, Path root) {
        Container c = create(container(b, root));
        ContainerState s = rt.startContainer(c);
        assertEquals(ContainerStatus.RUNNING, s.status());
        assertTrue(s.startedAt() != null);
        return c.withState(s);
    }

    Container waitExit(Container c) throws InterruptedException {
        for (int i = 0; i < 400; i++) {
            ContainerState s = rt.updateContainerStatus(c);
            if (s.status() == ContainerStatus.EXITED) {
                assertTrue(s.exited());
                assertTrue(s.finishedAt() != null);
                return c.withState(s);
            }
            Thread.sleep(25);
        }
        fail("container did not exit");
        return c;
    }

    /** What a container wrote to its log, once it has exited. */
    String output(Container c) throws IOException, InterruptedException {
        Container done = waitExit(c);
        String log = Files.readString(rt.logPath(c.id()));
        assertEquals(log, 0, done.state().exitCode());
        return log;
    }

    /** What an exec session wrote, once it has exited with 0. */
    String exec(Container c, String session, ExecConfig config) throws IOException, InterruptedException {
        rt.execContainer(c, session, config);
        OptionalInt code = OptionalInt.empty();
        for (int i = 0; i < 400 && code.isEmpty(); i++) {
            Thread.sleep(25);
            code = rt.execExitCode(c, session);
        }
        String log = Files.readString(rt.execLogPath(c, session));
        assertTrue("exec session " + session + " did not end: " + log, code.isPresent());
        assertEquals(log, 0, code.getAsInt());
        return log;
    }

    /** The value of a {@code /proc/self/status} field in a log of {@code cat /proc/self/status}. */
    static String statusField(String log, String field) {
        for (String line : log.split("\n")) {
            int at = line.indexOf(field + ":");
            if (at >= 0) {
                return line.substring(at + field.length() + 1).trim();
            }
        }
        throw new AssertionError("no " + field + " in " + log);
    }
}
