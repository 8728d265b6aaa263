package io.jpod.image.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.jpod.api.Container;
import io.jpod.api.ContainerConfig;
import io.jpod.api.DBConfig;
import io.jpod.api.Containers;
import io.jpod.api.Events;
import io.jpod.api.ErrorCode;
import io.jpod.api.Event;
import io.jpod.api.ImageInfo;
import io.jpod.api.JpodException;
import io.jpod.api.config.JpodConfig;
import io.jpod.spi.ProviderContext;
import io.jpod.spi.storage.Storage;
import io.jpod.storage.vfs.internal.VfsStorageProvider;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * The DS component over an engine: its storage and its containers. The real engine needs every provider
 * (OCI runtime, network...) assembled, so a stand-in answers the three calls the component makes.
 */
public class ImagesComponentTest {
    private Path tmp;
    private Storage storage;
    private final List<Container> containers = new ArrayList<>();
    private final List<String> removed = new ArrayList<>();
    private final List<String> events = new ArrayList<>();

    @Before
    public void setUp() throws IOException {
        tmp = Files.createTempDirectory("jpod-image-component");
        DBConfig dirs = new DBConfig(tmp + "/static", tmp + "/tmp", tmp + "/storage", tmp + "/run/storage", "vfs",
                tmp + "/volumes");
        storage = new VfsStorageProvider().open(new ProviderContext("vfs", new JpodConfig(null, null, null, null),
                dirs, false, null));
    }

    @After
    public void tearDown() throws IOException {
        storage.close();
        try (Stream<Path> s = Files.walk(tmp)) {
            s.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
        }
    }

    private ImagesComponent component(java.nio.file.Path etc) {
        return new ImagesComponent(storage, engine(Containers.class), engine(Events.class), etc);
    }

    @SuppressWarnings("unchecked")
    private <T> T engine(Class<T> type) {
        return type.cast(Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {type},
                (proxy, method, args) -> switch (method.getName()) {
                    case "containers" -> containers.stream().filter((Predicate<Container>) args[0]).toList();
                    case "removeContainer" -> {
                        assertEquals(Boolean.TRUE, args[1]);
                        removed.add((String) args[0]);
                        containers.removeIf(c -> c.id().equals(args[0]));
                        yield null;
                    }
                    case "writeEvent" -> {
                        Event e = (Event) args[0];
                        assertEquals(Event.Type.IMAGE, e.type());
                        events.add(e.status() + " " + e.id().substring(0, 12) + " " + e.name());
                        yield null;
                    }
                    case "toString" -> "test engine";
                    default -> throw new UnsupportedOperationException(method.getName());
                }));
    }

    @Test
    public void aPullImportsTheImageTheInstallShipsOnceAndNamesWhatToDoForOthers() throws Exception {
        java.nio.file.Path etc = java.nio.file.Files.createTempDirectory("jpod-etc");
        try {
            java.nio.file.Files.write(etc.resolve("busybox.tar"), Busybox.rootfs());
            ImagesComponent images = component(etc);
            ImageInfo pulled = images.pull("docker.io/library/busybox:latest");
            assertEquals(List.of("localhost/busybox:latest"), pulled.names());
            assertEquals("a second pull finds it stored", pulled.id(), images.pull("busybox").id());
            assertEquals(1, images.list().size());
            assertEquals("docker's spelling finds the shipped image stored", pulled.id(),
                    images.pull("docker.io/library/busybox:latest", new io.jpod.api.PullOptions(
                            io.jpod.api.PullPolicy.ALWAYS, null, null), e -> {
                            }).id());
            assertEquals(1, images.list().size());
            try {
                images.pull("alpine");
                throw new AssertionError("pulled alpine");
            } catch (JpodException e) {
                assertEquals(ErrorCode.NO_SUCH_IMAGE, e.code());
                assertTrue(e.getMessage(), e.getMessage().contains("jpod load -i"));
                assertTrue(e.getMessage(), e.getMessage().contains("install the jpod-registry feature"));
            }
        } finally {
            try (var s = java.nio.file.Files.walk(etc)) {
                s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    public void theEnginesContainersKeepTheirImage() {
        ImagesComponent images = component(null);
        ImageInfo busybox = images.importRootfs(new ByteArrayInputStream(Busybox.rootfs()), "busybox", List.of());
        ImageInfo other = images.importRootfs(new ByteArrayInputStream(Busybox.tar(java.util.Map.of("a", "b"))),
                "other", List.of());
        containers.add(new Container(ContainerConfig.builder().id("c1").name("one").imageId(busybox.id()).build(),
                null));
        containers.add(new Container(ContainerConfig.builder().id("c2").name("two").imageId(other.id()).build(),
                null));
        containers.add(new Container(ContainerConfig.builder().id("c3").name("three").rootfs("/x").build(), null));
        try {
            images.remove("busybox", false);
            throw new AssertionError("removed an image in use");
        } catch (JpodException e) {
            assertEquals(ErrorCode.IMAGE_IN_USE, e.code());
            assertTrue(e.getMessage(), e.getMessage().contains("in use by container(s) c1 ("));
        }
        images.remove("busybox", true);
        assertEquals(List.of("c1"), removed);
        assertEquals(List.of(other.id()), images.list().stream().map(ImageInfo::id).toList());
        assertEquals(other.id(), images.withImageDefaults(ContainerConfig.builder().image("other").build())
                .imageId());

        // image events, as podman writes them
        images.tag("other", "more:1");
        images.untag("other", "more:1");
        images.save(List.of("other"), "oci-archive", new java.io.ByteArrayOutputStream());
        String b = busybox.id().substring(0, 12);
        String o = other.id().substring(0, 12);
        assertEquals(List.of("import " + b + " localhost/busybox:latest", "import " + o + " localhost/other:latest",
                "remove " + b + " localhost/busybox:latest", "tag " + o + " localhost/more:1",
                "untag " + o + " localhost/more:1", "save " + o + " localhost/other:latest"), events);
    }
}
