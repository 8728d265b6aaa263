package io.jpod.runtime.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import io.jpod.api.Container;
import io.jpod.api.ContainerConfig;
import io.jpod.api.ContainerStatus;
import io.jpod.api.DBConfig;
import io.jpod.api.Containers;
import io.jpod.api.EngineSystem;
import io.jpod.api.Events;
import io.jpod.api.Networks;
import io.jpod.api.Pods;
import io.jpod.api.Volumes;
import io.jpod.api.ErrorCode;
import io.jpod.api.Event;
import io.jpod.api.JpodException;
import io.jpod.api.Pod;
import io.jpod.api.ProviderKind;
import io.jpod.api.Volume;
import io.jpod.api.config.RuntimeOptions;
import io.jpod.config.ConfigLoader;
import io.jpod.config.LoadedConfig;
import io.jpod.events.file.internal.FileEventerProvider;
import io.jpod.lock.file.internal.FileLockProvider;
import io.jpod.spi.Provider;
import io.jpod.spi.ProviderContext;
import io.jpod.spi.lock.LockProvider;
import io.jpod.spi.state.State;
import io.jpod.spi.state.StateProvider;
import io.jpod.api.EventReadOptions;
import io.jpod.spi.network.NetworkBackend;
import io.jpod.spi.network.NetworkProvider;
import io.jpod.spi.oci.OciRuntime;
import io.jpod.spi.oci.OciRuntimeProvider;
import io.jpod.spi.storage.Storage;
import io.jpod.spi.storage.StorageProvider;
import io.jpod.state.memory.internal.MemoryStateProvider;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/** Assembles real state, lock and event providers with stand-ins for the kinds that come later. */
public class AssemblyTest {
    private Path dir;
    private final Map<ProviderKind, Map<String, Provider<?>>> installed = new EnumMap<>(ProviderKind.class);
    private final List<JpodEngine> engines = new ArrayList<>();

    @Before
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("jpod-assembly-");
        for (ProviderKind k : ProviderKind.values()) {
            installed.put(k, new HashMap<>());
        }
        installed.get(ProviderKind.STATE).put("memory", new MemoryStateProvider());
        installed.get(ProviderKind.LOCKS).put("file", new FileLockProvider());
        installed.get(ProviderKind.EVENTS).put("file", new FileEventerProvider());
        OciRuntimeProvider rt = c -> StandIns.standIn(OciRuntime.class, c);
        installed.get(ProviderKind.OCI_RUNTIME).put("itest", rt);
        NetworkProvider net = c -> StandIns.standIn(NetworkBackend.class, c);
        installed.get(ProviderKind.NETWORK).put("itest", net);
        StorageProvider st = c -> StandIns.standIn(Storage.class, c);
        installed.get(ProviderKind.STORAGE).put("itest", st);
    }

    @After
    public void tearDown() throws IOException {
        for (JpodEngine e : engines) {
            try {
                e.service(EngineSystem.class).shutdown(false);
            } catch (JpodException ignored) {
                // already stopped by the test
            }
        }
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private LoadedConfig config(String extra, RuntimeOptions opts) throws IOException {
        Path conf = dir.resolve("jpod.conf");
        Files.writeString(conf, StandIns.jpodConf(dir, extra));
        return ConfigLoader.of(List.of(conf)).load(opts);
    }

    private JpodEngine assemble(String extra) throws IOException {
        return assemble(extra, RuntimeOptions.NONE);
    }

    private JpodEngine assemble(String extra, RuntimeOptions opts) throws IOException {
        JpodEngine e = new Assembly(config(extra, opts), opts, installed).assemble();
        engines.add(e);
        return e;
    }

    /** A container on a root filesystem directory of its own, so the stand-in storage is not asked. */
    private ContainerConfig spec(String name) {
        return ContainerConfig.builder().name(name).rootfs(dir.resolve("rootfs").toString()).command(List.of("true"))
                .build();
    }

    private static int events(JpodEngine e, String... filters) throws InterruptedException {
        List<Event> seen = new ArrayList<>();
        e.service(Events.class).readEvents(new EventReadOptions(List.of(filters), null, null, false), seen::add);
        return seen.size();
    }

    @Test
    public void assemblesAndCreatesObjectsWithLocksAndNames() throws Exception {
        JpodEngine e = assemble("");
        Container c = e.service(Containers.class).createContainer(spec(null));
        assertTrue(c.name(), NameGenerator.NAME.matcher(c.name()).matches());
        assertEquals(64, c.id().length());
        assertEquals("itest", c.config().ociRuntime());
        assertEquals(ContainerStatus.CONFIGURED, c.state().status());
        assertEquals(10, c.config().stopTimeout());
        Pod p = e.service(Pods.class).createPod(new Pod(null, "mypod", null, 0, Map.of(), null, null));
        Volume v = e.service(Volumes.class).createVolume(new Volume("data", null, null, Map.of(), Map.of(), null, 0, null, 0));
        assertTrue(Files.isDirectory(Path.of(v.mountPoint())));
        assertEquals(3, Set.of(c.config().lockId(), p.lockId(), v.lockId()).size());
        assertEquals(1, events(e, "type=container", "event=create"));
        assertEquals("memory", e.service(EngineSystem.class).info().engine().databaseBackend());
        assertEquals(1, (int) e.service(EngineSystem.class).info().store().containerStore().get("number"));
    }

    @Test
    public void theAliveLockIsRootsOnly() throws Exception {
        Files.createDirectories(dir.resolve("run"));
        Files.createFile(dir.resolve("run/" + Assembly.ALIVE_LOCK),
                java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                        java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--")));
        assemble("");
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(dir.resolve("run/" + Assembly.ALIVE_LOCK))));
    }

    @Test
    public void namesAreUniqueAcrossContainersAndPods() throws Exception {
        JpodEngine e = assemble("");
        e.service(Containers.class).createContainer(spec("taken"));
        for (String bad : List.of("taken")) {
            try {
                e.service(Pods.class).createPod(new Pod(null, bad, null, 0, Map.of(), null, null));
                fail("a pod may not take a container's name");
            } catch (JpodException ex) {
                assertTrue(ex.getMessage(), ex.getMessage().contains("taken"));
            }
        }
        try {
            e.service(Containers.class).createContainer(spec("taken"));
            fail("duplicate name");
        } catch (JpodException ex) {
            assertEquals(ErrorCode.CTR_EXISTS, ex.code());
        }
        try {
            e.service(Containers.class).createContainer(spec("bad/name"));
            fail("invalid name");
        } catch (JpodException ex) {
            assertEquals(ErrorCode.INVALID_ARG, ex.code());
            assertTrue(ex.getMessage(), ex.getMessage().contains("bad/name"));
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < 12; i++) {
            assertTrue(names.add(e.service(Containers.class).createContainer(spec(null)).name()));
        }
    }

    @Test
    public void failedCreationGivesItsLockBack() throws Exception {
        JpodEngine e = assemble("");
        e.service(Containers.class).createContainer(spec("one"));
        int free = e.parts().locks().availableLocks().getAsInt();
        try {
            e.service(Containers.class).createContainer(spec("one"));
            fail();
        } catch (JpodException expected) {
            assertEquals(free, e.parts().locks().availableLocks().getAsInt());
        }
    }

    @Test
    public void lockExhaustionIsAClearError() throws Exception {
        JpodEngine e = assemble("");
        for (int i = 0; i < 16; i++) {
            e.service(Containers.class).createContainer(spec("c" + i));
        }
        try {
            e.service(Containers.class).createContainer(spec("one-too-many"));
            fail();
        } catch (JpodException ex) {
            assertEquals(ErrorCode.LOCKS_EXHAUSTED, ex.code());
            assertTrue(ex.getMessage(), ex.getMessage().contains("num_locks"));
        }
        assertEquals(16, e.service(Containers.class).containers(null).size());
    }

    @Test
    public void runningContainersNeedForceToBeRemoved() throws Exception {
        JpodEngine e = assemble("");
        Container c = e.service(Containers.class).createContainer(spec("busy"));
        e.parts().state().saveContainer(c.withState(c.state().withStatus(ContainerStatus.RUNNING)));
        try {
            e.service(Containers.class).removeContainer("busy", false);
            fail();
        } catch (JpodException ex) {
            assertEquals(ErrorCode.CTR_STATE_INVALID, ex.code());
            assertTrue(ex.getMessage(), ex.getMessage().contains("running"));
        }
        assertEquals(1, e.service(Containers.class).containers(null).size());
        e.parts().state().saveContainer(c.withState(c.state().withStatus(ContainerStatus.EXITED)));
        e.service(Containers.class).removeContainer("busy", false);
        assertTrue(e.service(Containers.class).containers(null).isEmpty());
        try {
            e.service(Containers.class).container("busy");
            fail();
        } catch (JpodException ex) {
            assertEquals(ErrorCode.NO_SUCH_CTR, ex.code());
        }
    }

    @Test
    public void refreshRunsOncePerBootAndResetsState() throws Exception {
        JpodEngine e = assemble("");
        Container c = e.service(Containers.class).createContainer(spec("was-running"));
        e.parts().state().saveContainer(c.withState(c.state().withStatus(ContainerStatus.RUNNING).withProcess(4242, 4241)));
        assertEquals(1, events(e, "event=refresh"));
        assertTrue(Files.exists(dir.resolve("run/alive")));
        // the state outlives the engine only in mapdb; here the same State object is refreshed directly
        Assembly.refresh(e);
        Container after = e.service(Containers.class).container("was-running");
        assertEquals(ContainerStatus.EXITED, after.state().status());
        assertEquals(0, after.state().pid());
        assertEquals(2, events(e, "event=refresh"));
        // a second assembly with the alive file present does not refresh
        JpodEngine e2 = assemble("");
        assertEquals(2, events(e2, "event=refresh"));
    }

    @Test
    public void dbConfigMergeFollowsLibpod() throws Exception {
        LoadedConfig loaded = config("", RuntimeOptions.NONE);
        Assembly a = new Assembly(loaded, RuntimeOptions.NONE, installed);
        DBConfig ours = new DBConfig(dir + "/engine", dir + "/run", dir + "/storage", dir + "/run/storage", "itest",
                dir + "/volumes");
        assertEquals(ours, a.mergeDBConfig(null, ours));
        assertEquals(ours, a.mergeDBConfig(ours, ours));
        // explicitly set in the file and different from the database: an error naming both
        DBConfig stored = new DBConfig(dir + "/engine", "/other/run", dir + "/storage", dir + "/run/storage",
                "itest", dir + "/volumes");
        try {
            a.mergeDBConfig(stored, ours);
            fail();
        } catch (JpodException ex) {
            assertEquals(ErrorCode.DB_BAD_CONFIG, ex.code());
            assertTrue(ex.getMessage(), ex.getMessage().contains("/other/run"));
            assertTrue(ex.getMessage(), ex.getMessage().contains(dir + "/run"));
        }
        // not set by the user: the database wins
        LoadedConfig implicit = new LoadedConfig(loaded.config(), loaded.filesRead(), Set.of());
        assertEquals("/other/run", new Assembly(implicit, RuntimeOptions.NONE, installed).mergeDBConfig(stored, ours)
                .tmpDir());
    }

    @Test
    public void missingProviderNamesTheInstalledOnes() throws Exception {
        installed.get(ProviderKind.LOCKS).clear();
        try {
            assemble("");
            fail();
        } catch (JpodException ex) {
            assertEquals(ErrorCode.PROVIDER_MISSING, ex.code());
            assertTrue(ex.getMessage(), ex.getMessage().contains("locks provider \"file\""));
            assertTrue(ex.getMessage(), ex.getMessage().contains("engine.lock_type"));
        }
    }

    @Test
    public void aBrokenNonDefaultRuntimeIsSkippedButABrokenDefaultIsAnError() throws Exception {
        OciRuntimeProvider broken = c -> {
            throw new JpodException(ErrorCode.OCI_RUNTIME_UNAVAILABLE, "binary /nonexistent/kata not found");
        };
        installed.get(ProviderKind.OCI_RUNTIME).put("kata", broken);
        JpodEngine e = assemble("");
        assertEquals(Set.of("itest"), e.parts().runtimes().keySet());
        e.service(EngineSystem.class).shutdown(false);
        installed.get(ProviderKind.OCI_RUNTIME).put("itest", broken);
        try {
            assemble("");
            fail();
        } catch (JpodException ex) {
            assertEquals(ErrorCode.OCI_RUNTIME_UNAVAILABLE, ex.code());
            assertTrue(ex.getMessage(), ex.getMessage().contains("itest"));
        }
    }

    @Test
    public void anUnwritableStaticDirIsAClearError() throws Exception {
        Path file = dir.resolve("a-file");
        Files.writeString(file, "x");
        RuntimeOptions opts = new RuntimeOptions(null, null, null, null, null, null, null, null,
                file + "/engine", null, null, false, false, null);
        try {
            assemble("", opts);
            fail();
        } catch (JpodException ex) {
            assertEquals(ErrorCode.CONFIG_INVALID, ex.code());
            assertTrue(ex.getMessage(), ex.getMessage().contains("static_dir " + file + "/engine"));
        }
    }

    @Test
    public void renumberAndMigrate() throws Exception {
        OciRuntimeProvider other = c -> StandIns.standIn(OciRuntime.class, c);
        installed.get(ProviderKind.OCI_RUNTIME).put("other", other);
        JpodEngine e = assemble("");
        List<Integer> before = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            before.add(e.service(Containers.class).createContainer(spec("c" + i)).config().lockId());
        }
        assertEquals(4, e.service(EngineSystem.class).renumberLocks());
        Set<Integer> after = new HashSet<>();
        e.service(Containers.class).containers(null).forEach(c -> after.add(c.config().lockId()));
        assertEquals(4, after.size());
        assertEquals(4, e.service(EngineSystem.class).migrate("other"));
        e.service(Containers.class).containers(null).forEach(c -> assertEquals("other", c.config().ociRuntime()));
        try {
            e.service(EngineSystem.class).migrate("nosuch");
            fail();
        } catch (JpodException ex) {
            assertEquals(ErrorCode.OCI_RUNTIME_UNAVAILABLE, ex.code());
            assertTrue(ex.getMessage(), ex.getMessage().contains("itest, other"));
        }
        assertEquals(4, before.size());
    }

    /** The same in-memory state for every assembly, as a persistent backend would give. */
    private static StateProvider keptState() {
        MemoryStateProvider memory = new MemoryStateProvider();
        State[] kept = new State[1];
        return c -> {
            if (kept[0] == null) {
                kept[0] = memory.open(c);
            }
            return (State) Proxy.newProxyInstance(State.class.getClassLoader(), new Class<?>[] {State.class},
                    (proxy, m, args) -> {
                        if (m.getName().equals("close")) {
                            return null;
                        }
                        try {
                            return m.invoke(kept[0], args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
        };
    }

    @Test
    public void aChangedLockTypeTakesTheLocksOfExistingContainersAgain() throws Exception {
        installed.get(ProviderKind.STATE).put("kept", keptState());
        // file locks in a directory of their own: a manager that has seen none of the existing locks
        LockProvider other = c -> new FileLockProvider().open(new ProviderContext(c.name(), c.config(),
                new DBConfig(c.dirs().staticDir(), c.dirs().tmpDir() + "/other", c.dirs().graphRoot(),
                        c.dirs().runRoot(), c.dirs().graphDriver(), c.dirs().volumePath()), c.renumber(), c.eventer()));
        installed.get(ProviderKind.LOCKS).put("other", other);
        RuntimeOptions kept = new RuntimeOptions(null, null, null, "kept", null, null, null, null, null, null, null,
                false, false, null);
        JpodEngine e = assemble("", kept);
        Set<Integer> held = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            held.add(e.service(Containers.class).createContainer(spec("old" + i)).config().lockId());
        }
        e.service(EngineSystem.class).shutdown(false);
        RuntimeOptions switched = new RuntimeOptions(null, null, null, "kept", null, null, "other", null, null, null,
                null, false, false, null);
        e = assemble("", switched);
        assertEquals(3, e.service(Containers.class).containers(null).size());
        int fresh = e.service(Containers.class).createContainer(spec("new")).config().lockId();
        assertFalse("lock " + fresh + " is already held by an existing container: " + held, held.contains(fresh));
        assertEquals(16 - 4, e.parts().locks().availableLocks().getAsInt());
    }

    @Test
    public void afterShutdownEveryCallSaysRuntimeStopped() throws Exception {
        JpodEngine e = assemble("");
        e.service(EngineSystem.class).shutdown(true);
        assertTrue(e.isStopped());
        for (Runnable call : List.<Runnable>of(() -> e.service(Containers.class).containers(null), () -> e.service(EngineSystem.class).info(), () -> e.service(Containers.class).generateName(),
                () -> e.service(EngineSystem.class).shutdown(false))) {
            try {
                call.run();
                fail();
            } catch (JpodException ex) {
                assertEquals(ErrorCode.RUNTIME_STOPPED, ex.code());
            }
        }
        assertFalse(e.parts().runtimes().isEmpty());
    }
}
