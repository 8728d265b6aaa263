package io.jpod.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import io.jpod.api.Container;
import io.jpod.api.ContainerConfig;
import io.jpod.api.EngineSystem;
import io.jpod.api.EngineStatus;
import io.jpod.api.ErrorCode;
import io.jpod.api.Event;
import io.jpod.api.JpodException;
import io.jpod.api.Pod;
import io.jpod.api.ProviderKind;
import io.jpod.api.Volume;
import io.jpod.spi.JpodName;
import io.jpod.api.EventReadOptions;
import io.jpod.spi.events.EventerProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;

@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class AssemblerIT extends ItestSupport {

    /** A container on a root filesystem directory of its own, so the stand-in storage is not asked. */
    private ContainerConfig ctr(String name) {
        return ContainerConfig.builder().name(name).rootfs(dir.resolve("rootfs").toString()).command(List.of("true"))
                .build();
    }

    @Test
    public void bindsMemoryFileNone() throws Exception {
        configure("memory", "file", "none", "", Map.of());
        EngineServices engine = awaitEngine();
        ServiceReference<EngineSystem> ref = context.getServiceReference(EngineSystem.class);
        assertEquals("memory", ref.getProperty("jpod.state"));
        assertEquals("file", ref.getProperty("jpod.locks"));
        assertEquals("none", ref.getProperty("jpod.events"));
        assertEquals("memory", engine.system().info().engine().databaseBackend());

        Container c = engine.containers().createContainer(ctr(null));
        assertTrue("generated name " + c.name(), c.name().matches("[a-z]+_[a-z]+[0-9]?"));
        assertEquals(c.id(), engine.containers().container(c.name()).id());
        assertEquals(c.id(), engine.containers().container(c.id().substring(0, 12)).id());
        assertTrue(Files.exists(dir.resolve("run/locks")));
        EngineStatus st = assembler().status();
        assertTrue(st.message(), st.assembled());
    }

    @Test
    public void bindsMapdbShmFile() throws Exception {
        configure("mapdb", "shm", "file", "", Map.of());
        EngineServices engine = awaitEngine();
        ServiceReference<EngineSystem> ref = context.getServiceReference(EngineSystem.class);
        assertEquals("mapdb", ref.getProperty("jpod.state"));
        assertEquals("shm", ref.getProperty("jpod.locks"));
        assertEquals("file", ref.getProperty("jpod.events"));
        Container a = engine.containers().createContainer(ctr("first"));
        Container b = engine.containers().createContainer(ctr("second"));
        assertNotEquals(a.config().lockId(), b.config().lockId());
        assertTrue(Files.exists(dir.resolve("engine/jpod.db")));
        List<Event> created = new ArrayList<>();
        engine.events().readEvents(new EventReadOptions(List.of("event=create"), null, null, false), created::add);
        assertEquals(2, created.size());
        assertEquals("first", created.get(0).name());
    }

    @Test
    public void unknownNameLeavesNoEngineAndSaysWhy() throws Exception {
        configure("nosuch", "file", "none", "", Map.of());
        EngineStatus st = awaitStatus(s -> "nosuch".equals(s.selected().get(ProviderKind.STATE)));
        assertFalse(st.assembled());
        assertEquals(List.of("state:nosuch"), st.missing());
        assertTrue(st.installed().get(ProviderKind.STATE).containsAll(List.of("mapdb", "memory")));
        assertTrue(st.message(), st.message().contains("missing providers state:nosuch"));
        assertTrue(st.message(), st.message().contains("state=mapdb|memory"));
        assertEquals(null, context.getServiceReference(EngineSystem.class));
    }

    @Test
    public void aProviderThatFailsToOpenIsNamedWithItsReasonAndTheEngineRecoversWhenItIsFixed() throws Exception {
        configure("mapdb", "file", "none", "", Map.of());
        Container keeper = awaitEngine().containers().createContainer(ctr("kept-through-a-failure"));
        ServiceReference<EventerProvider> none = context.getServiceReferences(EventerProvider.class,
                "(" + JpodName.PROPERTY + "=none)").iterator().next();
        EventerProvider working = context.getService(none);
        Hashtable<String, Object> props = new Hashtable<>(Map.of(JpodName.PROPERTY, "flaky"));
        EventerProvider broken = c -> {
            throw new IllegalStateException("the event store is on fire");
        };
        ServiceRegistration<EventerProvider> reg = context.registerService(EventerProvider.class, broken, props);
        try {
            configure("mapdb", "file", "flaky", "", Map.of());
            EngineStatus st = awaitStatus(s -> !s.assembled() && !s.problems().isEmpty());
            assertTrue(st.message(), st.message().contains("events provider \"flaky\" failed to open")
                    && st.message().contains("the event store is on fire"));
            assertEquals(List.of(), st.missing());
            assertEquals(null, context.getServiceReference(EngineSystem.class));
            // the cause goes (the vendor's bundle updated): assembled again, with what was stored
            reg.unregister();
            reg = context.registerService(EventerProvider.class, working::open, props);
            EngineServices back = awaitEngine();
            assertEquals("flaky", assembler().status().selected().get(ProviderKind.EVENTS));
            assertEquals("kept-through-a-failure", back.containers().container(keeper.id()).name());
        } finally {
            reg.unregister();
            context.ungetService(none);
        }
    }

    @Test
    public void malformedConfigurationNamesFileAndLine() throws Exception {
        java.nio.file.Path conf = configure("memory", "file", "none", "", Map.of());
        awaitEngine();
        String good = Files.readString(conf);
        Files.writeString(conf, good.replace("num_locks = 64", "num_locks = 0"));
        assertReloadRefused(conf + ":6: engine.num_locks = 0 is invalid");
        Files.writeString(conf, good + "[engine]\nnum_locks = 8\n");
        assertReloadRefused(conf + ":19: malformed TOML");
        Files.writeString(conf, good.replace("database_backend = \"memory\"", "database_backend = 42"));
        assertReloadRefused(conf + ":2: engine.database_backend");
        // the engine in force is untouched
        assertTrue(assembler().status().assembled());
        awaitEngine().containers().createContainer(ctr("still-works"));
    }

    private void assertReloadRefused(String expected) {
        try {
            assembler().reload();
            fail("the reload must be refused: " + expected);
        } catch (JpodException e) {
            assertEquals(ErrorCode.CONFIG_INVALID, e.code());
            assertTrue(e.getMessage(), e.getMessage().contains(expected));
            assertTrue(e.getMessage(), e.getMessage().contains("the configuration in force is unchanged"));
        }
    }

    @Test
    public void stoppingTheStateBundleTakesTheEngineDownAndBackWithEverythingIntact() throws Exception {
        configure("mapdb", "shm", "file", "", Map.of());
        EngineServices engine = awaitEngine();
        Container c = engine.containers().createContainer(ctr("keeper"));
        Pod p = engine.pods().createPod(new Pod(null, "pod1", null, 0, Map.of("a", "b"), null, null));
        Volume v = engine.volumes().createVolume(new Volume("vol1", null, null, Map.of(), Map.of(), null, 0, null, 0));

        Bundle state = bundle("jpod-state-mapdb");
        state.stop();
        EngineStatus down = awaitStatus(s -> !s.assembled());
        assertEquals(List.of("state:mapdb"), down.missing());
        assertEquals(null, context.getServiceReference(EngineSystem.class));
        try {
            engine.containers().containers(null);
            fail("the old engine must refuse calls");
        } catch (JpodException e) {
            assertEquals(ErrorCode.RUNTIME_STOPPED, e.code());
        }

        state.start();
        EngineServices back = awaitEngine();
        Container c2 = back.containers().container("keeper");
        assertEquals(c.id(), c2.id());
        assertEquals(c.config().lockId(), c2.config().lockId());
        assertEquals(p.id(), back.pods().pod("pod1").id());
        assertEquals(Map.of("a", "b"), back.pods().pod("pod1").labels());
        assertEquals(v.mountPoint(), back.volumes().volume("vol1").mountPoint());
    }

    @Test
    public void deletingTheAliveFileRefreshesExactlyOnce() throws Exception {
        configure("mapdb", "file", "file", "", Map.of());
        EngineServices engine = awaitEngine();
        engine.containers().createContainer(ctr("survivor"));
        assertEquals("first start after boot refreshes", 1, refreshEvents(engine));

        Bundle state = bundle("jpod-state-mapdb");
        state.stop();
        awaitStatus(s -> !s.assembled());
        state.start();
        engine = awaitEngine();
        assertEquals("the alive file is there: no refresh", 1, refreshEvents(engine));

        Files.delete(dir.resolve("run/alive"));
        state.stop();
        awaitStatus(s -> !s.assembled());
        state.start();
        engine = awaitEngine();
        assertEquals(2, refreshEvents(engine));
        assertTrue(Files.exists(dir.resolve("run/alive")));
        assertEquals("survivor", engine.containers().container("survivor").name());
    }

    private static int refreshEvents(EngineServices engine) throws InterruptedException {
        List<Event> seen = new ArrayList<>();
        engine.events().readEvents(new EventReadOptions(List.of("type=system", "event=refresh"), null, null, false), seen::add);
        return seen.size();
    }

    @Test
    public void renumberGivesEveryObjectADistinctLock() throws Exception {
        configure("mapdb", "shm", "none", "", Map.of());
        EngineServices engine = awaitEngine();
        for (int i = 0; i < 5; i++) {
            engine.containers().createContainer(ctr("c" + i));
        }
        engine.pods().createPod(new Pod(null, "p", null, 0, Map.of(), null, null));
        assertEquals(6, engine.system().renumberLocks());
        Set<Integer> ids = new HashSet<>();
        for (Container c : engine.containers().containers(null)) {
            assertTrue(ids.add(c.config().lockId()));
        }
        assertTrue(ids.add(engine.pods().pod("p").lockId()));

        // and as libpod's WithRenumber at start, with a new lock count
        java.nio.file.Path conf = dir.resolve("jpod.conf");
        Files.writeString(conf, Files.readString(conf).replace("num_locks = 64", "num_locks = 128"));
        configAdmin.getConfiguration(PID, "?").update(new java.util.Hashtable<>(Map.of("jpod.conf", conf.toString(),
                "renumber", "true")));
        engine = awaitNewEngine(engine);
        Set<Integer> after = new HashSet<>();
        for (Container c : engine.containers().containers(null)) {
            assertTrue(after.add(c.config().lockId()));
        }
        assertEquals(5, after.size());
    }

    @Test
    public void aDatabaseCreatedWithOtherPathsIsRefusedAndKept() throws Exception {
        Path conf = configure("mapdb", "file", "none", "", Map.of());
        EngineServices engine = awaitEngine();
        Container kept = engine.containers().createContainer(ctr("kept"));
        String good = Files.readString(conf);
        Files.writeString(conf, good.replace("volume_path = \"" + dir + "/volumes\"",
                "volume_path = \"" + dir + "/elsewhere\""));
        EngineStatus st = assembler().reload();
        assertFalse(st.message(), st.assembled());
        assertTrue(st.message(), st.message().contains("database volume_path \"" + dir + "/volumes\" does not match"));
        assertTrue(st.message(), st.message().contains(dir + "/elsewhere"));
        Files.writeString(conf, good);
        assembler().reload();
        assertEquals(kept.id(), awaitEngine().containers().container("kept").id());
    }

    @Test
    public void shutdownStopsEveryCallAndWithdrawsTheServiceUntilReload() throws Exception {
        configure("memory", "file", "none", "", Map.of());
        EngineServices engine = awaitEngine();
        engine.system().shutdown(false);
        try {
            engine.containers().createContainer(ctr("late"));
            fail("calls after shutdown must fail");
        } catch (JpodException e) {
            assertEquals(ErrorCode.RUNTIME_STOPPED, e.code());
        }
        EngineStatus st = awaitStatus(s -> !s.assembled());
        assertTrue(st.message(), st.message().contains("the engine was shut down"));
        assertEquals(null, context.getServiceReference(EngineSystem.class));
        assertTrue(assembler().reload().assembled());
        awaitEngine().containers().createContainer(ctr("after-reload"));
    }
}
