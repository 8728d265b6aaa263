package io.jpod.runtime.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import io.jpod.api.Container;
import io.jpod.api.ContainerConfig;
import io.jpod.api.ContainerState;
import io.jpod.api.ContainerStatus;
import io.jpod.api.DBConfig;
import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;
import io.jpod.api.Mount;
import io.jpod.api.Pod;
import io.jpod.api.Volume;
import io.jpod.spi.ProviderContext;
import io.jpod.spi.state.State;
import io.jpod.state.memory.internal.MemoryStateProvider;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.Test;

/** A migration's copy: everything of one state into another, empty one, or nothing at all. */
public class StateCopyTest {
    private static final DBConfig DIRS = new DBConfig("/s", "/t", "/g", "/r", "vfs", "/v");

    private static State open() {
        return new MemoryStateProvider().open(new ProviderContext("memory", null, DIRS, false, null));
    }

    private static String id(String prefix) {
        return (prefix + "0".repeat(64)).substring(0, 64);
    }

    private static Container ctr(String prefix, String name, String ns, String pod, Mount... mounts) {
        ContainerConfig cfg = ContainerConfig.builder().id(id(prefix)).name(name).namespace(ns).pod(pod).lockId(3)
                .image("busybox").command(List.of("sleep", "300")).mounts(List.of(mounts))
                .created(Instant.parse("2026-01-02T03:04:05Z")).build();
        return new Container(cfg, ContainerState.configured());
    }

    /** A source with a pod and its container, a running container of another namespace, a volume and exit codes. */
    private static State source() {
        State s = open();
        s.validateDBConfig(DIRS);
        s.addPod(new Pod(id("dd"), "pod1", "", 4, Map.of("l", "1"), Instant.parse("2026-01-02T03:04:05Z"), null));
        s.addVolume(new Volume("data", "local", "/v/data/_data", Map.of(), Map.of(), "", 5,
                Instant.parse("2026-01-02T03:04:05Z"), 1));
        s.addContainer(ctr("aa", "in-pod", "", id("dd")));
        Container running = ctr("bb", "runner", "ns1", null, new Mount("volume", "data", "/data", List.of("rw")));
        s.addContainer(running);
        s.saveContainer(running.withState(running.state().withStatus(ContainerStatus.RUNNING).withProcess(4242, 4241)));
        s.addContainerExitCode(id("aa"), 7);
        return s;
    }

    @Test
    public void copiesEveryObjectAsStored() {
        try (State from = source(); State to = open()) {
            from.setNamespace("ns1"); // the copy sees every namespace, whatever the source was set to
            StateCopy.Counts n = StateCopy.copy(from, "a", to, "b");
            assertEquals(new StateCopy.Counts(2, 1, 1, 1), n);
            from.setNamespace("");
            assertEquals(DIRS, to.dbConfig());
            assertEquals(from.allContainers(), to.allContainers());
            assertEquals(from.allPods(), to.allPods());
            assertEquals(from.allVolumes(), to.allVolumes());
            assertEquals(ContainerStatus.RUNNING, to.container(id("bb")).state().status());
            assertEquals(4242, to.container(id("bb")).state().pid());
            assertEquals(Set.of(id("aa")), to.podContainers(id("dd")));
            assertEquals(List.of(id("bb")), to.volumeInUse("data"));
            assertEquals(OptionalInt.of(7), to.containerExitCode(id("aa")));
            assertEquals(OptionalInt.empty(), to.containerExitCode(id("bb")));
        }
    }

    @Test
    public void targetWithRecordsIsRefusedAndLeftAlone() {
        try (State from = source(); State to = open()) {
            to.addVolume(new Volume("mine", "local", "/v/mine/_data", Map.of(), Map.of(), "", 9, Instant.now(), 0));
            try {
                StateCopy.copy(from, "mapdb", to, "sqlite");
                fail("a target with records must be refused");
            } catch (JpodException e) {
                assertEquals(ErrorCode.VOLUME_EXISTS, e.code());
                assertTrue(e.getMessage(), e.getMessage().contains("\"sqlite\" already holds 0 containers, 0 pods and 1 volumes"));
            }
            assertEquals(List.of("mine"), to.allVolumes().stream().map(Volume::name).toList());
            assertTrue(to.allContainers().isEmpty());
        }
    }

    @Test
    public void failedCopyEmptiesTheTargetAgain() {
        try (State from = source(); State real = open()) {
            AtomicInteger adds = new AtomicInteger();
            // a target whose second container add fails, as a full disk would
            State to = (State) Proxy.newProxyInstance(State.class.getClassLoader(), new Class<?>[] {State.class},
                    (proxy, m, args) -> {
                        if (m.getName().equals("addContainer") && adds.incrementAndGet() == 2) {
                            throw new JpodException(ErrorCode.INTERNAL, "No space left on device");
                        }
                        try {
                            return m.invoke(real, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
            try {
                StateCopy.copy(from, "mapdb", to, "sqlite");
                fail("the copy must fail");
            } catch (JpodException e) {
                assertTrue(e.getMessage(), e.getMessage().contains("No space left on device"));
                assertTrue(e.getMessage(), e.getMessage().contains("the state stays on \"mapdb\""));
            }
            assertTrue(real.allContainers().isEmpty());
            assertTrue(real.allPods().isEmpty());
            assertTrue(real.allVolumes().isEmpty());
            // and a second try copies all
            assertEquals(2, StateCopy.copy(from, "mapdb", real, "sqlite").containers());
        }
    }
}
