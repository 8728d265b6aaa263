package io.jpod.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import io.jpod.api.Container;
import io.jpod.api.ContainerConfig;
import io.jpod.api.ContainerStatus;
import io.jpod.api.EngineSystem;
import io.jpod.api.EngineStatus;
import io.jpod.api.ErrorCode;
import io.jpod.api.Images;
import io.jpod.api.JpodException;
import io.jpod.api.ProviderKind;
import io.jpod.spi.JpodName;
import io.jpod.spi.oci.OciRuntimeProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Hashtable;
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
import org.osgi.framework.ServiceRegistration;

/**
 * The vendor plugin of examples/oci-runtime-plugin, installed as a bundle at run time (as a jar dropped
 * into deploy/ is): its name becomes selectable, a real container runs with it and carries its annotation,
 * and once it is uninstalled the name is reported missing. Plus the bad plugins: a name already taken,
 * a runtime whose binary is missing.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class OciRuntimePluginIT extends ItestSupport {
    private static final String NAME = "runc-annotated";
    private static final String ANNOTATION = "com.example.jpod.runtime";

    private EngineServices engine;
    private Bundle plugin;
    private final List<ServiceRegistration<?>> registered = new ArrayList<>();

    /** The example's jar, as its Maven build installed it into the local repository. */
    private static Path pluginJar() {
        Path repo = Path.of(System.getProperty("maven.repo.local"));
        String v = System.getProperty("jpod.version");
        Path jar = repo.resolve("io/jpod/jpod-example-oci-runtime-plugin/" + v
                + "/jpod-example-oci-runtime-plugin-" + v + ".jar");
        assertTrue("build examples/oci-runtime-plugin first: " + jar, Files.isRegularFile(jar));
        return jar;
    }

    private void installPlugin() throws Exception {
        plugin = context.installBundle(pluginJar().toUri().toString());
        plugin.start();
    }

    @Test
    public void aPluginInstalledAtRunTimeRunsContainersWithItsAnnotationAndIsMissedWhenGone() throws Exception {
        // the vendor's name is the default runtime: without the plugin there is no engine, and status says why
        configure("mapdb", "shm", "file", NAME, "vfs", "", Map.of());
        EngineStatus before = awaitStatus(s -> s.missing().contains("oci-runtime:" + NAME));
        assertFalse(before.message(), before.assembled());
        assertTrue(before.message(), before.message().contains("missing providers oci-runtime:" + NAME));

        installPlugin();
        engine = awaitEngine();
        assertTrue(assembler().status().installed().get(ProviderKind.OCI_RUNTIME).contains(NAME));
        Images images = images();
        importBusybox(busyboxRootfs(List.of("sh", "sleep", "cat")), "CMD [\"sh\"]");

        // a container created with the vendor's runtime, named explicitly as jpod run --runtime does
        Container c = engine.containers().createContainer(images.withImageDefaults(ContainerConfig.builder().name("annotated")
                .image("busybox").networkMode("none").ociRuntime(NAME).command(List.of("sleep", "300")).build()));
        assertEquals(NAME, c.config().ociRuntime());
        engine.containers().start(c.id());
        assertEquals(ContainerStatus.RUNNING, engine.containers().container(c.id()).state().status());
        Path configJson = dir.resolve("run/containers").resolve(c.id()).resolve("userdata/config.json");
        String spec = Files.readString(configJson);
        assertTrue("the plugin's annotation is in the OCI spec runc ran: " + spec,
                spec.contains("\"" + ANNOTATION + "\" : \"" + NAME + "\""));
        // runc itself knows the annotation of the running container
        assertTrue(runcState(c.id()).contains(ANNOTATION));

        // uninstalled: the engine goes down, the name is missing again, the container keeps running
        EngineServices old = engine;
        plugin.uninstall();
        plugin = null;
        EngineStatus gone = awaitStatus(s -> !s.assembled() && s.missing().contains("oci-runtime:" + NAME));
        assertTrue(gone.message(), gone.message().contains("missing providers oci-runtime:" + NAME));
        assertFalse(gone.installed().get(ProviderKind.OCI_RUNTIME).contains(NAME));
        assertTrue("the container outlives its runtime's plugin", runcState(c.id()).contains("\"running\""));

        // back again: the same container, still running, stopped through the plugin with its exit code
        installPlugin();
        engine = awaitNewEngine(old);
        assertEquals(ContainerStatus.RUNNING, engine.containers().container("annotated").state().status());
        Container stopped = engine.containers().stop("annotated", 1);
        assertEquals(ContainerStatus.EXITED, stopped.state().status());
        assertTrue("exit code " + stopped.state().exitCode(), stopped.state().exitCode() == 137
                || stopped.state().exitCode() == 143);
        assertEquals(stopped.state().exitCode(), engine.containers().waitFor("annotated", Set.of(), 50));
        engine.containers().removeContainer("annotated", false);
    }

    @Test
    public void aContainerOfAnUninstalledRuntimeIsRefusedByName() throws Exception {
        configure("mapdb", "shm", "file", "runc", "vfs", "", Map.of());
        installPlugin();
        awaitStatus(s -> s.assembled() && s.installed().get(ProviderKind.OCI_RUNTIME).contains(NAME));
        engine = awaitEngine();
        EngineServices old = engine;
        plugin.uninstall();
        plugin = null;
        engine = awaitNewEngine(old);
        try {
            engine.containers().createContainer(ContainerConfig.builder().name("nope").image("busybox").networkMode("none")
                    .ociRuntime(NAME).command(List.of("true")).build());
            fail("a runtime that is not installed is refused");
        } catch (JpodException e) {
            assertEquals(ErrorCode.OCI_RUNTIME_UNAVAILABLE, e.code());
            assertTrue(e.getMessage(), e.getMessage().contains("\"" + NAME + "\" is not available")
                    && e.getMessage().contains("runc"));
        }
    }

    /**
     * A second provider of a name already taken: the first stays in use, the engine is not assembled again,
     * and the status names both bundles as a problem until the second goes.
     */
    @Test
    public void aSecondProviderOfATakenNameLeavesTheFirstInUse() throws Exception {
        configure("mapdb", "shm", "file", "runc", "vfs", "", Map.of());
        installPlugin();
        awaitStatus(s -> s.assembled() && s.installed().get(ProviderKind.OCI_RUNTIME).contains(NAME));
        engine = awaitEngine();
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(JpodName.PROPERTY, NAME);
        // a stand-in: it refuses to create containers, so using it would show
        OciRuntimeProvider impostor = c -> StandInProviders.standIn(io.jpod.spi.oci.OciRuntime.class, c);
        ServiceRegistration<?> second = context.registerService(OciRuntimeProvider.class, impostor, props);
        registered.add(second);
        String expected = "oci-runtime \"" + NAME + "\" is registered twice: by jpod-example-oci-runtime-plugin ["
                + plugin.getBundleId() + "] (in use) and by " + context.getBundle().getSymbolicName() + " ["
                + context.getBundle().getBundleId() + "] (ignored)";
        EngineStatus st = awaitStatus(s -> s.notices().contains(expected));
        assertTrue(st.message(), st.assembled() && st.message().endsWith("; " + expected));
        assertSame("a second provider of a name adds nothing: the engine stays", engine.system(), awaitEngine().system());
        assertEquals("the name is listed once", 1, st.installed().get(ProviderKind.OCI_RUNTIME).stream()
                .filter(NAME::equals).count());
        String info = curl("/v4.3.1/libpod/info");
        assertTrue(info, info.contains("\"notices\":[\"" + expected.replace("\"", "\\\"") + "\"]"));
        Images images = images();
        importBusybox(busyboxRootfs(List.of("sh", "sleep", "cat")), "CMD [\"sh\"]");
        Container c = engine.containers().createContainer(images.withImageDefaults(ContainerConfig.builder().name("first-wins")
                .image("busybox").networkMode("none").ociRuntime(NAME).command(List.of("sh", "-c", "exit 5"))
                .build()));
        engine.containers().start(c.id());
        assertEquals("the plugin, registered first, ran it", 5, engine.containers().waitFor(c.id(), Set.of(), 50));
        engine.containers().removeContainer(c.id(), false);

        // the duplicate goes, and so does the problem
        second.unregister();
        registered.remove(second);
        EngineStatus after = awaitStatus(s -> s.notices().isEmpty());
        assertTrue(after.message(), after.assembled());
        assertFalse(curl("/v4.3.1/libpod/info"), curl("/v4.3.1/libpod/info").contains("registered twice"));
    }

    /** The REST API's answer on the test's socket (curl speaks unix sockets). */
    private String curl(String path) throws Exception {
        Process p = new ProcessBuilder("curl", "-sS", "--max-time", "20", "--unix-socket",
                context.getProperty("jpod.socket"), "http://d" + path).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(out, 0, p.waitFor());
        return out;
    }

    /** A runtime whose binary is missing: as the default, the status names it and gives its provider's reason. */
    @Test
    public void aDefaultRuntimeWithoutItsBinaryIsReportedWithTheReason() throws Exception {
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(JpodName.PROPERTY, "vendor-nobinary");
        OciRuntimeProvider broken = c -> {
            throw new JpodException(ErrorCode.OCI_RUNTIME_UNAVAILABLE,
                    "OCI runtime \"vendor-nobinary\" not found: /opt/vendor/bin/vrun is not an executable file");
        };
        registered.add(context.registerService(OciRuntimeProvider.class, broken, props));
        configure("mapdb", "shm", "file", "vendor-nobinary", "vfs", "", Map.of());
        EngineStatus st = awaitStatus(s -> !s.problems().isEmpty());
        assertFalse(st.assembled());
        assertTrue(st.message(), st.message().contains("the default OCI runtime \"vendor-nobinary\" cannot be used")
                && st.message().contains("/opt/vendor/bin/vrun is not an executable file"));

        // not the default: the engine assembles without it, and a container asking for it is refused by name
        configure("mapdb", "shm", "file", "runc", "vfs", "", Map.of());
        engine = awaitEngine();
        try {
            engine.containers().createContainer(ContainerConfig.builder().name("nobin").image("busybox").networkMode("none")
                    .ociRuntime("vendor-nobinary").command(List.of("true")).build());
            fail("a runtime that failed to open is refused");
        } catch (JpodException e) {
            assertEquals(ErrorCode.OCI_RUNTIME_UNAVAILABLE, e.code());
            assertTrue(e.getMessage(), e.getMessage().contains("\"vendor-nobinary\" is not available"));
        }
    }

    private String runcState(String id) throws Exception {
        Process p = new ProcessBuilder("runc", "--root", dir.resolve("run/runtime/runc").toString(), "state", id)
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(out, 0, p.waitFor());
        return out;
    }

    @After
    public void removeEverything() throws Exception {
        for (ServiceRegistration<?> r : registered) {
            r.unregister();
        }
        registered.clear();
        if (plugin == null) {
            Bundle left = null;
            for (Bundle b : context.getBundles()) {
                if ("jpod-example-oci-runtime-plugin".equals(b.getSymbolicName())) {
                    left = b;
                }
            }
            plugin = left;
        }
        if (plugin != null && plugin.getState() != Bundle.UNINSTALLED) {
            // containers of the plugin's runtime are removed through it
            if (engine != null && assembler().status().assembled()) {
                engine = awaitEngine();
                removeContainers();
            }
            plugin.uninstall();
        }
        plugin = null;
        if (assembler().status().assembled()) {
            engine = awaitEngine();
            removeContainers();
        }
        engine = null;
        // whatever the engine could not remove (a failed test): runc removes it, and its conmon ends with it
        Path runcRoot = dir.resolve("run/runtime/runc");
        if (Files.isDirectory(runcRoot)) {
            try (var ids = Files.list(runcRoot)) {
                for (Path id : ids.toList()) {
                    new ProcessBuilder("runc", "--root", runcRoot.toString(), "delete", "--force",
                            id.getFileName().toString()).inheritIO().start().waitFor();
                }
            }
        }
    }

    private void removeContainers() {
        for (Container c : engine.containers().containers(null)) {
            try {
                engine.containers().removeContainer(c.id(), true);
            } catch (JpodException e) {
                System.err.println("cleanup of " + c.name() + ": " + e.getMessage());
            }
        }
    }
}
