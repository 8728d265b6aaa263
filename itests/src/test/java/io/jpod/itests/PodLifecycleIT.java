package io.jpod.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import io.jpod.api.Container;
import io.jpod.api.ContainerConfig;
import io.jpod.api.ContainerStatus;
import io.jpod.api.ErrorCode;
import io.jpod.api.Images;
import io.jpod.api.JpodException;
import io.jpod.api.Mount;
import io.jpod.api.Pod;
import io.jpod.api.PodSpec;
import io.jpod.api.PodStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * A pod's life through the engine's services in the framework: its infra container (catatonit) holds the namespaces
 * its members share, the pod starts and stops as one, refuses removal while it has members unless forced, and leaves
 * nothing behind. Real runc under conmon on a vfs root filesystem; no network (the stand-in provider).
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class PodLifecycleIT extends ItestSupport {

    private EngineServices engine;
    private Images images;

    private void startEngine() throws Exception {
        configure("mapdb", "shm", "file", "runc", "vfs", "", Map.of());
        engine = awaitEngine();
        images = images();
        Path root = busyboxRootfs(List.of("sh", "sleep", "hostname", "cat", "echo"));
        Files.createDirectories(root.resolve("tmp"));
        importBusybox(root, "CMD [\"sh\"]");
    }

    private Container member(Pod pod, String name, Path out) {
        return engine.containers().createContainer(images.withImageDefaults(ContainerConfig.builder().image("busybox")
                .name(name).pod(pod.id())
                .command(List.of("sh", "-c", "hostname > /out/" + name + "; cat /proc/1/comm >> /out/" + name
                        + "; sleep 300"))
                .mounts(List.of(new Mount("bind", out.toString(), "/out", List.of("rbind", "rw")))).build()));
    }

    /** What the call threw (JUnit's assertThrows is not in the probe's class space). */
    private static JpodException refused(Runnable call) {
        try {
            call.run();
        } catch (JpodException e) {
            return e;
        }
        throw new AssertionError("the call was not refused");
    }

    private List<Container> members(Pod pod) {
        return engine.pods().podContainers(pod.id());
    }

    @Test
    public void aPodStartsStopsAndIsRemovedAsOne() throws Exception {
        startEngine();
        Path out = Files.createDirectories(dir.resolve("out"));
        Pod pod = engine.pods().createPod(new PodSpec("itpod", Map.of("app", "shop"), "shop-host",
                List.of("ipc", "uts", "pid"), true, List.of(), List.of(), "none", List.of()));
        try {
            lifecycle(pod, out);
        } finally {
            // a failed check must not leave the pod's processes behind
            if (!engine.pods().pods().isEmpty()) {
                engine.pods().removePod("itpod", true);
            }
        }
        assertFalse("no conmon of this test is left", conmonsRunning(dir));
    }

    private void lifecycle(Pod pod, Path out) throws Exception {
        assertTrue("the pod has its infra container", pod.infraContainerId() != null);
        Container a = member(pod, "web", out);
        Container b = member(pod, "db", out);
        assertEquals(3, members(pod).size());
        assertEquals("Created", PodStatus.of(members(pod)));

        assertEquals(Map.of(), engine.pods().podAction("itpod", "start", -1, 0));
        assertEquals("Running", PodStatus.of(members(pod)));
        for (String name : List.of("web", "db")) {
            Path said = out.resolve(name);
            long end = System.currentTimeMillis() + TIMEOUT_MS;
            while (System.currentTimeMillis() < end && (!Files.exists(said) || Files.readString(said).lines().count() < 2)) {
                Thread.sleep(100);
            }
            // the pod's UTS namespace (its hostname) and PID namespace (catatonit as PID 1), shared
            assertEquals(name, List.of("shop-host", "catatonit"), Files.readString(said).lines().toList());
        }

        JpodException busy = refused(() -> engine.pods().removePod("itpod", false));
        assertTrue(busy.getMessage(), busy.getMessage().contains("itpod") || busy.getMessage().contains(pod.id()));
        assertEquals(3, members(pod).size());

        engine.pods().podAction("itpod", "stop", 1, 0);
        assertTrue(members(pod).stream().allMatch(c -> c.state().status() == ContainerStatus.EXITED
                || c.state().status() == ContainerStatus.STOPPED));
        assertEquals("Exited", PodStatus.of(members(pod)));

        // started again, then removed with its members while they run
        engine.pods().podAction("itpod", "start", -1, 0);
        assertEquals(ContainerStatus.RUNNING, engine.containers().container(a.id()).state().status());
        engine.pods().removePod("itpod", true);
        assertTrue(engine.pods().pods().isEmpty());
        assertTrue(engine.containers().containers(c -> c.id().equals(a.id()) || c.id().equals(b.id())
                || c.id().equals(pod.infraContainerId())).isEmpty());
    }

    @Test
    public void namesAreSharedWithContainersAndAMemberNeedsItsPod() throws Exception {
        startEngine();
        engine.containers().createContainer(images.withImageDefaults(ContainerConfig.builder().image("busybox")
                .name("taken").networkMode("none").command(List.of("true")).build()));
        JpodException taken = refused(() -> engine.pods().createPod(new PodSpec("taken", Map.of(), null, null, true,
                List.of(), List.of(), "none", List.of())));
        assertTrue(taken.code().toString(), taken.code() == ErrorCode.CTR_EXISTS || taken.code() == ErrorCode.POD_EXISTS);
        assertTrue("nothing half-made: no pod", engine.pods().pods().isEmpty());
        assertEquals(1, engine.containers().containers(c -> true).size());

        JpodException orphan = refused(() -> engine.containers().createContainer(
                images.withImageDefaults(ContainerConfig.builder().image("busybox").name("orphan")
                        .pod("no-such-pod").command(List.of("true")).build())));
        assertEquals(ErrorCode.NO_SUCH_POD, orphan.code());
        assertTrue(engine.containers().containers(c -> c.name().equals("orphan")).isEmpty());
        engine.containers().removeContainer("taken", true);
    }
}
