package io.jpod.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import io.jpod.api.Container;
import io.jpod.api.ContainerConfig;
import io.jpod.api.ContainerStatus;
import io.jpod.api.Engine;
import io.jpod.api.Images;
import io.jpod.api.JpodException;
import io.jpod.api.Mount;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.After;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.util.tracker.ServiceTracker;

/**
 * Provider bundles updated (Bundle.update) one after the other while a real container runs: each time
 * the engine is taken down and assembled again, and the container keeps running with its state. The
 * container exits while the OCI runtime bundle is stopped; its exit code is recorded once the engine
 * is back.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class HotSwapIT extends ItestSupport {

    private Engine engine;

    private Images images() throws InterruptedException {
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

    private void importBusybox(Images images) throws Exception {
        Path root = dir.resolve("busybox-rootfs");
        Files.createDirectories(root.resolve("bin"));
        Files.copy(Path.of("/bin/busybox"), root.resolve("bin/busybox"));
        for (String applet : List.of("sh", "sleep", "test")) {
            Files.createSymbolicLink(root.resolve("bin").resolve(applet), Path.of("busybox"));
        }
        Path tar = dir.resolve("busybox.tar");
        Process p = new ProcessBuilder("tar", "-C", root.toString(), "-cf", tar.toString(), ".").inheritIO().start();
        assertEquals(0, p.waitFor());
        try (InputStream in = Files.newInputStream(tar)) {
            images.importRootfs(in, "busybox", List.of("CMD [\"sh\"]"));
        }
    }

    @Test
    public void providerBundlesAreUpdatedWhileAContainerRuns() throws Exception {
        configure("mapdb", "shm", "file", "runc", "vfs", "", Map.of());
        engine = awaitEngine();
        importBusybox(images());
        Path out = dir.resolve("out");
        Files.createDirectories(out);
        // runs until the test creates /out/stop, then exits 42
        Container c = engine.createContainer(images().withImageDefaults(ContainerConfig.builder().name("survivor")
                .image("busybox").networkMode("none").labels(Map.of("kept", "yes"))
                .mounts(List.of(new Mount("bind", out.toString(), "/out", List.of("rbind", "rw"))))
                .command(List.of("sh", "-c", "while ! test -f /out/stop; do sleep 0.1; done; exit 42")).build()));
        engine.start(c.id());
        Container running = engine.container(c.id());
        assertEquals(ContainerStatus.RUNNING, running.state().status());
        int pid = running.state().pid();

        // the bundles of the providers in use: each update takes the engine down and brings it back
        for (String bsn : List.of("jpod-state-mapdb", "jpod-lock-shm", "jpod-events-file", "jpod-oci-conmon",
                "jpod-storage-vfs")) {
            Engine old = engine;
            bundle(bsn).update();
            engine = awaitNewEngine(old);
            Container now = engine.container(c.id());
            assertEquals(bsn + " updated: still running", ContainerStatus.RUNNING, now.state().status());
            assertEquals(bsn + " updated: same process", pid, now.state().pid());
            assertEquals("survivor", now.name());
            assertEquals("yes", now.config().labels().get("kept"));
            assertTrue("the process is alive", Files.exists(Path.of("/proc/" + pid)));
        }
        // a provider bundle the engine does not use (the network here is the stand-in): no harm either
        bundle("jpod-network-cni").update();
        awaitStatus(s -> s.assembled());
        engine = awaitEngine();
        assertEquals(ContainerStatus.RUNNING, engine.container(c.id()).state().status());

        // the container exits while the OCI runtime bundle is stopped: conmon records it, the engine reads it back
        Bundle oci = bundle("jpod-oci-conmon");
        Engine old = engine;
        oci.stop();
        awaitStatus(s -> !s.assembled() && s.missing().contains("oci-runtime:runc"));
        Files.writeString(out.resolve("stop"), "");
        long end = System.currentTimeMillis() + TIMEOUT_MS;
        while (Files.exists(Path.of("/proc/" + pid)) && System.currentTimeMillis() < end) {
            Thread.sleep(100);
        }
        oci.start();
        engine = awaitNewEngine(old);
        assertEquals(42, engine.waitFor(c.id(), Set.of(), 50));
        Container after = engine.container(c.id());
        assertEquals(ContainerStatus.EXITED, after.state().status());
        assertEquals(42, after.state().exitCode());
        engine.removeContainer(c.id(), false);
    }

    @After
    public void removeContainers() throws Exception {
        for (Bundle b : context.getBundles()) {
            if (b.getSymbolicName() != null && b.getSymbolicName().startsWith("jpod-") && b.getState() == Bundle.RESOLVED
                    && b.getHeaders().get("Fragment-Host") == null) {
                b.start();
            }
        }
        if (engine == null) {
            return;
        }
        try {
            awaitStatus(s -> s.assembled());
            engine = awaitEngine();
            for (Container c : engine.containers(null)) {
                engine.removeContainer(c.id(), true);
            }
        } catch (JpodException | AssertionError e) {
            System.err.println("cleanup: " + e.getMessage());
        }
        engine = null;
    }
}
