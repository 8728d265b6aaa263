package io.jpod.image.internal;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jpod.api.ContainerConfig;
import io.jpod.api.DBConfig;
import io.jpod.api.ErrorCode;
import io.jpod.api.ImageConfig;
import io.jpod.api.ImageInfo;
import io.jpod.api.JpodException;
import io.jpod.api.config.JpodConfig;
import io.jpod.spi.ProviderContext;
import io.jpod.spi.storage.Storage;
import io.jpod.spi.storage.StorageProvider;
import io.jpod.storage.vfs.internal.VfsStorageProvider;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/** The image service on a real vfs storage, with a busybox root filesystem from Debian's busybox-static. */
public class ImageServiceTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Path tmp;

    protected Path tmp() {
        return tmp;
    }
    private Storage storage;
    private ImageService images;
    private final List<String> inUse = new ArrayList<>();
    private final List<String> removed = new ArrayList<>();

    @Before
    public void setUp() throws IOException {
        tmp = Files.createTempDirectory("jpod-image-test");
        storage = open();
        images = new ImageService(storage, new ImageUsers() {
            @Override
            public List<String> containersUsing(String imageId) {
                return List.copyOf(inUse);
            }

            @Override
            public void removeContainer(String containerId) {
                removed.add(containerId);
                inUse.remove(containerId);
                if (storage.containers().stream().anyMatch(c -> c.id().equals(containerId))) {
                    storage.deleteContainer(containerId);
                }
            }
        });
    }

    /** The storage driver the tests run on; subclasses run them on another. */
    protected String driver() {
        return "vfs";
    }

    protected StorageProvider provider() {
        return new VfsStorageProvider();
    }

    /** Where the storage keeps the files of an image layer. */
    protected Path layerDir(String layerId) {
        return tmp.resolve("storage/vfs/dir").resolve(layerId);
    }

    private Storage open() {
        DBConfig dirs = new DBConfig(tmp + "/static", tmp + "/tmp", tmp + "/storage", tmp + "/run/storage", driver(),
                tmp + "/volumes");
        return provider().open(new ProviderContext(driver(), new JpodConfig(null, null, null, null), dirs, false,
                null));
    }

    @After
    public void tearDown() throws IOException {
        for (Storage.ContainerLayer c : storage.containers()) {
            storage.deleteContainer(c.id());
        }
        storage.close();
        try (Stream<Path> s = Files.walk(tmp)) {
            s.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
        }
        assertFalse(Files.exists(tmp));
    }

    private ImageInfo importBusybox(String name, String... changes) {
        return images.importRootfs(new ByteArrayInputStream(Busybox.gzip(Busybox.rootfs())), name, List.of(changes));
    }

    private static JpodException expect(ErrorCode code, Runnable r) {
        try {
            r.run();
        } catch (JpodException e) {
            assertEquals(e.getMessage(), code, e.code());
            return e;
        }
        throw new AssertionError("expected " + code);
    }

    private Path tarsDir() {
        return tmp.resolve("storage/jpod-image/" + driver() + "-layers");
    }

    private void assertNothingStored() throws IOException {
        assertEquals(List.of(), storage.images());
        assertEquals(List.of(), storage.layers());
        try (Stream<Path> s = Files.list(tarsDir())) {
            assertEquals(0, s.count());
        }
        try (Stream<Path> s = Files.list(tmp.resolve("storage/jpod-image/tmp"))) {
            assertEquals(0, s.count());
        }
    }

    // ---- import

    @Test
    public void importWithChangesAndInspect() throws IOException {
        ImageInfo info = importBusybox("busybox", "CMD echo hello", "ENTRYPOINT [\"/bin/sh\", \"-c\"]",
                "ENV FOO=bar baz", "ENV A 1", "WORKDIR /tmp", "USER nobody", "LABEL org.example=yes",
                "LABEL two words", "EXPOSE 80 53/udp", "VOLUME /data", "STOPSIGNAL SIGINT");
        assertEquals(List.of("localhost/busybox:latest"), info.names());
        ImageConfig c = info.config();
        assertEquals(List.of("/bin/sh", "-c", "echo hello"), c.cmd());
        assertEquals(List.of("/bin/sh", "-c"), c.entrypoint());
        assertEquals(List.of("FOO=bar baz", "A=1"), c.env());
        assertEquals("/tmp", c.workingDir());
        assertEquals("nobody", c.user());
        assertEquals(Map.of("org.example", "yes", "two", "words"), c.labels());
        assertEquals(List.of("80/tcp", "53/udp"), c.exposedPorts());
        assertEquals(List.of("/data"), c.volumes());
        assertEquals("SIGINT", c.stopSignal());

        // the ID is the sha256 of the stored config, which says what an OCI config says
        byte[] config = storage.imageBigData(info.id(), "config");
        assertEquals(info.id(), Digests.sha256(config));
        assertArrayEquals(config, storage.imageBigData(info.id(), "sha256:" + info.id()));
        JsonNode root = JSON.readTree(config);
        assertEquals("amd64", root.path("architecture").asText());
        assertEquals("linux", root.path("os").asText());
        assertEquals(info.layers().get(0), root.path("rootfs").path("diff_ids").get(0).asText());
        assertEquals("layers", root.path("rootfs").path("type").asText());
        assertEquals(1, root.path("history").size());
        assertEquals(info.created().toString(), root.path("created").asText());
        byte[] manifest = storage.imageBigData(info.id(), "manifest");
        assertEquals("sha256:" + Digests.sha256(manifest), info.digest());
        JsonNode m = JSON.readTree(manifest);
        assertEquals(Oci.MANIFEST, m.path("mediaType").asText());
        assertEquals("sha256:" + info.id(), m.path("config").path("digest").asText());
        assertEquals(info.layers().get(0), m.path("layers").get(0).path("digest").asText());

        assertEquals(1, info.layers().size());
        assertEquals(Busybox.rootfs().length, info.size());
        assertEquals("sha256:" + Digests.sha256(Busybox.rootfs()), info.layers().get(0));
        Storage.Layer layer = storage.layers().get(0);
        Path dir = layerDir(layer.id());
        assertTrue(Files.isExecutable(dir.resolve("bin/busybox")));
        assertEquals(Path.of("busybox"), Files.readSymbolicLink(dir.resolve("bin/sh")));
        assertTrue(Files.isRegularFile(tarsDir().resolve(Digests.hex(layer.diffId()))));

        assertEquals(info, images.inspect(info.id()));
        assertEquals(List.of(info), images.list());
    }

    @Test
    public void importWithoutChangesOrNameAndPlainTar() {
        ImageInfo info = images.importRootfs(new ByteArrayInputStream(Busybox.rootfs()), null, null);
        assertEquals(List.of(), info.names());
        assertEquals(List.of(), info.config().cmd());
        assertNull(info.config().workingDir());
        // the same tarball again: the same layer, a new image (another creation time)
        ImageInfo again = images.importRootfs(new ByteArrayInputStream(Busybox.rootfs()), "again", List.of());
        assertEquals(info.layers(), again.layers());
        assertEquals(1, storage.layers().size());
        assertEquals(2, images.list().size());
    }

    @Test
    public void unknownOrBadChangesAreRefusedAndNothingIsStored() throws IOException {
        JpodException e = expect(ErrorCode.INVALID_ARG, () -> importBusybox("x", "ENV A=1", "FROM scratch"));
        assertTrue(e.getMessage(), e.getMessage().contains("FROM is not an instruction"));
        assertTrue(e.getMessage(), e.getMessage().contains("\"FROM scratch\""));
        e = expect(ErrorCode.INVALID_ARG, () -> importBusybox("x", "CMD [\"unterminated\""));
        assertTrue(e.getMessage(), e.getMessage().contains("not a JSON array"));
        e = expect(ErrorCode.INVALID_ARG, () -> importBusybox("x", "STOPSIGNAL SIGNOPE"));
        assertTrue(e.getMessage(), e.getMessage().contains("SIGNOPE"));
        e = expect(ErrorCode.INVALID_ARG, () -> importBusybox("x", "EXPOSE 99999"));
        e = expect(ErrorCode.INVALID_ARG, () -> importBusybox("x", "VOLUME data"));
        e = expect(ErrorCode.INVALID_ARG, () -> importBusybox("Upper"));
        assertTrue(e.getMessage(), e.getMessage().contains("must be lowercase"));
        // a truncated gzip stream
        byte[] truncated = java.util.Arrays.copyOf(Busybox.gzip(Busybox.rootfs()), 1000);
        e = expect(ErrorCode.INVALID_ARG, () -> images.importRootfs(new ByteArrayInputStream(truncated), "x",
                List.of()));
        assertTrue(e.getMessage(), e.getMessage().contains("tarball"));
        assertNothingStored();
    }

    // ---- names

    @Test
    public void namesAreNormalisedAsPodmanDoes() {
        assertEquals("localhost/busybox:latest", Names.normalize("busybox", Names.LOCALHOST));
        assertEquals("localhost/foo:1", Names.normalize("foo:1", Names.LOCALHOST));
        assertEquals("localhost/library/foo:latest", Names.normalize("library/foo", Names.LOCALHOST));
        assertEquals("docker.io/library/x:latest", Names.normalize("docker.io/library/x", Names.LOCALHOST));
        assertEquals("docker.io/library/x:latest", Names.normalize("docker.io/x", Names.LOCALHOST));
        assertEquals("docker.io/library/busybox:1.36", Names.normalize("busybox:1.36", Names.DOCKER_IO));
        assertEquals("quay.io/a/b:c", Names.normalize("quay.io/a/b:c", Names.LOCALHOST));
        assertEquals("localhost:5000/x:latest", Names.normalize("localhost:5000/x", Names.LOCALHOST));
        assertEquals("localhost/x@sha256:" + "a".repeat(64), Names.normalize("x@sha256:" + "a".repeat(64),
                Names.LOCALHOST));
        expect(ErrorCode.INVALID_ARG, () -> Names.normalize("Busybox", Names.LOCALHOST));
        expect(ErrorCode.INVALID_ARG, () -> Names.normalize("a:b:c", Names.LOCALHOST));
        expect(ErrorCode.INVALID_ARG, () -> Names.normalize("", Names.LOCALHOST));
        assertEquals("busybox:latest", Names.familiar("docker.io/library/busybox:latest"));
        assertEquals("localhost/busybox:latest", Names.familiar("localhost/busybox:latest"));
    }

    @Test
    public void inspectByIdPrefixFullAndShortName() {
        ImageInfo info = importBusybox("busybox");
        for (String q : List.of(info.id(), "sha256:" + info.id(), info.id().substring(0, 12), "busybox",
                "busybox:latest", "localhost/busybox", "localhost/busybox:latest")) {
            assertEquals(q, info.id(), images.inspect(q).id());
        }
        JpodException e = expect(ErrorCode.NO_SUCH_IMAGE, () -> images.inspect("nothere"));
        assertEquals("nothere: image not known", e.getMessage());
        expect(ErrorCode.NO_SUCH_IMAGE, () -> images.inspect("busybox:1"));
        expect(ErrorCode.EMPTY_ID, () -> images.inspect(""));
    }

    @Test
    public void tagUntagAndRemoveByOneOfSeveralNames() {
        ImageInfo info = importBusybox("busybox");
        images.tag("busybox", "foo:1");
        images.tag(info.id().substring(0, 10), "quay.io/x/y");
        images.tag("busybox", "foo:1");
        assertEquals(List.of("localhost/busybox:latest", "localhost/foo:1", "quay.io/x/y:latest"),
                images.inspect(info.id()).names());
        assertEquals(info.id(), images.inspect("foo:1").id());
        assertEquals(info.id(), images.inspect("quay.io/x/y").id());

        images.untag(info.id(), "foo:1");
        expect(ErrorCode.NO_SUCH_IMAGE, () -> images.inspect("foo:1"));
        JpodException e = expect(ErrorCode.INVALID_ARG, () -> images.untag(info.id(), "foo:1"));
        assertEquals("localhost/foo:1: tag not known", e.getMessage());
        expect(ErrorCode.INVALID_ARG, () -> images.tag("busybox", "Bad"));

        // removing by one name of several only takes that name away
        images.remove("quay.io/x/y", false);
        assertEquals(List.of("localhost/busybox:latest"), images.inspect(info.id()).names());
        images.remove("busybox", false);
        assertEquals(List.of(), images.list());
        assertEquals(List.of(), storage.layers());
        expect(ErrorCode.NO_SUCH_IMAGE, () -> images.remove("busybox", false));
    }

    @Test
    public void aNameMovesToTheNewestImage() {
        ImageInfo one = importBusybox("busybox");
        ImageInfo two = images.importRootfs(new ByteArrayInputStream(Busybox.tar(Map.of("hello", "hi"))), "busybox",
                List.of());
        assertEquals(List.of(), images.inspect(one.id()).names());
        assertEquals(two.id(), images.inspect("busybox").id());
    }

    // ---- remove

    @Test
    public void removeIsRefusedWhileAContainerUsesTheImageUnlessForced() throws IOException {
        ImageInfo info = importBusybox("busybox");
        // a container the engine knows
        inUse.add("c1");
        JpodException e = expect(ErrorCode.IMAGE_IN_USE, () -> images.remove("busybox", false));
        assertTrue(e.getMessage(), e.getMessage().contains("c1"));
        // and one with a root filesystem in the storage
        storage.createContainer("c2", info.id());
        inUse.add("c2");
        expect(ErrorCode.IMAGE_IN_USE, () -> images.remove(info.id(), false));
        assertEquals(info.id(), images.inspect("busybox").id());

        images.remove("busybox", true);
        assertEquals(List.of("c1", "c2"), removed);
        assertEquals(List.of(), storage.containers());
        assertNothingStored();
    }

    // ---- defaults for containers

    @Test
    public void containerSpecsGetTheImageDefaultsAsInPodman() {
        ImageInfo info = importBusybox("busybox", "CMD [\"echo\", \"hi\"]", "ENTRYPOINT [\"/bin/ep\"]",
                "ENV PATH=/bin", "ENV FOO=image", "WORKDIR /tmp", "USER nobody", "LABEL a=image",
                "LABEL b=image", "STOPSIGNAL SIGINT");
        ContainerConfig spec = ContainerConfig.builder().image("busybox").env(List.of("FOO=spec", "BAR=1"))
                .labels(Map.of("b", "spec")).build();
        ContainerConfig c = images.withImageDefaults(spec);
        assertEquals(info.id(), c.imageId());
        assertEquals("busybox", c.image());
        assertEquals(List.of("/bin/ep"), c.entrypoint());
        assertEquals(List.of("echo", "hi"), c.command());
        assertEquals(List.of("PATH=/bin", "FOO=spec", "BAR=1"), c.env());
        assertEquals("/tmp", c.workingDir());
        assertEquals("nobody", c.user());
        assertEquals(Map.of("a", "image", "b", "spec"), c.labels());
        assertEquals(2, c.stopSignal());

        // a command given replaces Cmd; an entrypoint given drops Cmd
        c = images.withImageDefaults(spec.toBuilder().command(List.of("ls")).workingDir("/").user("0")
                .stopSignal(9).build());
        assertEquals(List.of("/bin/ep"), c.entrypoint());
        assertEquals(List.of("ls"), c.command());
        assertEquals("/", c.workingDir());
        assertEquals("0", c.user());
        assertEquals(9, c.stopSignal());
        c = images.withImageDefaults(spec.toBuilder().entrypoint(List.of("/bin/sh")).build());
        assertEquals(List.of("/bin/sh"), c.entrypoint());
        assertEquals(List.of(), c.command());
        c = images.withImageDefaults(spec.toBuilder().entrypoint(List.of("/bin/sh")).command(List.of("-c", "x"))
                .build());
        assertEquals(List.of("-c", "x"), c.command());

        // by ID; a root filesystem without an image is left alone; a missing image is podman's error
        assertEquals(info.id(), images.withImageDefaults(ContainerConfig.builder().imageId(info.id().substring(0, 8))
                .build()).imageId());
        ContainerConfig rootfs = ContainerConfig.builder().rootfs("/somewhere").build();
        assertEquals(rootfs, images.withImageDefaults(rootfs));
        JpodException e = expect(ErrorCode.NO_SUCH_IMAGE, () -> images.withImageDefaults(ContainerConfig.builder()
                .image("nothere").build()));
        assertEquals("nothere: image not known", e.getMessage());
    }

    // ---- save and load

    @Test
    public void saveToADockerArchiveAndLoadItBack() throws IOException {
        ImageInfo info = importBusybox("busybox", "CMD [\"sh\"]");
        images.tag("busybox", "docker.io/library/bb:1");
        byte[] archive = save(List.of("busybox", "docker.io/library/bb:1"), "docker-archive");
        byte[] ociArchive = save(List.of("busybox"), "oci-archive");
        Map<String, byte[]> entries = Busybox.entries(archive);
        JsonNode manifest = JSON.readTree(entries.get("manifest.json"));
        assertEquals(1, manifest.size());
        assertEquals("blobs/sha256/" + info.id(), manifest.get(0).path("Config").asText());
        assertEquals(List.of("localhost/busybox:latest", "bb:1"), texts(manifest.get(0).path("RepoTags")));
        String layerPath = manifest.get(0).path("Layers").get(0).asText();
        assertArrayEquals(Busybox.rootfs(), entries.get(layerPath));
        assertArrayEquals(storage.imageBigData(info.id(), "config"), entries.get("blobs/sha256/" + info.id()));
        JsonNode repositories = JSON.readTree(entries.get("repositories"));
        assertEquals(Digests.hex(info.layers().get(0)), repositories.path("bb").path("1").asText());
        assertTrue(repositories.path("localhost/busybox").has("latest"));

        images.remove(info.id(), true);
        assertNothingStored();
        List<ImageInfo> loaded = images.load(new ByteArrayInputStream(archive));
        assertEquals(1, loaded.size());
        assertSameImage(info, loaded.get(0));
        assertEquals(List.of("localhost/busybox:latest", "docker.io/library/bb:1"), loaded.get(0).names());
        // loading again changes nothing; gzip-compressed archives load too
        assertEquals(loaded, images.load(new ByteArrayInputStream(Busybox.gzip(archive))));
        assertEquals(1, images.list().size());
        assertEquals(1, storage.layers().size());

        // as moby >= 25 writes it: an OCI layout beside manifest.json; manifest.json and its RepoTags count
        images.remove(info.id(), true);
        Map<String, byte[]> moby = new LinkedHashMap<>(Busybox.entries(archive));
        Map<String, byte[]> oci = Busybox.entries(ociArchive);
        moby.putAll(oci);
        moby.put("manifest.json", entries.get("manifest.json"));
        loaded = images.load(new ByteArrayInputStream(Busybox.archive(moby)));
        assertSameImage(info, loaded.get(0));
        assertEquals(List.of("localhost/busybox:latest", "docker.io/library/bb:1"), loaded.get(0).names());
    }

    @Test
    public void saveToAnOciArchiveAndLoadItBackAlsoAsALayoutDirectory() throws IOException {
        ImageInfo info = importBusybox("busybox", "ENV A=b", "ENTRYPOINT /bin/sh");
        ImageInfo other = images.importRootfs(new ByteArrayInputStream(Busybox.tar(Map.of("hello", "hi"))),
                "other:2", List.of());
        byte[] archive = save(List.of("busybox", "other:2"), "oci-archive");
        Map<String, byte[]> entries = Busybox.entries(archive);
        assertEquals("1.0.0", JSON.readTree(entries.get("oci-layout")).path("imageLayoutVersion").asText());
        JsonNode index = JSON.readTree(entries.get("index.json"));
        assertEquals(2, index.path("manifests").size());
        assertEquals("localhost/busybox:latest", index.path("manifests").get(0).path("annotations")
                .path(Oci.REF_NAME).asText());
        for (Map.Entry<String, byte[]> e : entries.entrySet()) {
            if (e.getKey().startsWith("blobs/sha256/")) {
                assertEquals(e.getKey(), e.getKey().substring(13), Digests.sha256(e.getValue()));
            }
        }
        // the manifest written is the one stored: the same digest
        String manifestDigest = index.path("manifests").get(0).path("digest").asText();
        assertEquals(info.digest(), manifestDigest);

        images.remove("busybox", false);
        images.remove("other:2", false);
        assertNothingStored();
        List<ImageInfo> loaded = images.load(new ByteArrayInputStream(archive));
        assertEquals(2, loaded.size());
        assertSameImage(info, loaded.get(0));
        assertSameImage(other, loaded.get(1));
        assertEquals(List.of("localhost/busybox:latest"), loaded.get(0).names());
        assertEquals(List.of("localhost/other:2"), loaded.get(1).names());

        // the same files as a directory (skopeo copy ... oci:DIR)
        images.remove("busybox", false);
        images.remove("other:2", false);
        Path layout = tmp.resolve("layout");
        for (Map.Entry<String, byte[]> e : entries.entrySet()) {
            Path p = layout.resolve(e.getKey());
            Files.createDirectories(p.getParent());
            Files.write(p, e.getValue());
        }
        loaded = images.loadLayout(layout);
        assertSameImage(info, loaded.get(0));
        assertSameImage(other, loaded.get(1));
        expect(ErrorCode.INVALID_ARG, () -> images.loadLayout(tmp.resolve("nothere")));
    }

    @Test
    public void anImageSavedWithoutANameLoadsWithoutOne() throws IOException {
        ImageInfo info = importBusybox(null);
        for (String format : List.of("docker-archive", "oci-archive")) {
            byte[] archive = save(List.of(info.id()), format);
            images.remove(info.id(), false);
            ImageInfo loaded = images.load(new ByteArrayInputStream(archive)).get(0);
            assertSameImage(info, loaded);
            assertEquals(List.of(), loaded.names());
        }
        expect(ErrorCode.INVALID_ARG, () -> save(List.of(info.id()), "tarball"));
        expect(ErrorCode.INVALID_ARG, () -> save(List.of(), "oci-archive"));
        expect(ErrorCode.NO_SUCH_IMAGE, () -> save(List.of("nothere"), "oci-archive"));
    }

    @Test
    public void aDockerArchiveInTheOldLayoutWithGzipLayersLoads() throws IOException {
        byte[] base = Busybox.rootfs();
        byte[] top = Busybox.tar(Map.of("etc/motd", "hello from the second layer\n"));
        ObjectNode config = config(List.of(base, top));
        ((ObjectNode) config.get("config")).putArray("Cmd").add("cat").add("/etc/motd");
        byte[] configBytes = JSON.writeValueAsBytes(config);
        String configId = Digests.sha256(configBytes);
        String l1 = "1".repeat(64);
        String l2 = "2".repeat(64);
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put(l1 + "/VERSION", "1.0".getBytes(StandardCharsets.UTF_8));
        entries.put(l1 + "/json", ("{\"id\":\"" + l1 + "\"}").getBytes(StandardCharsets.UTF_8));
        entries.put(l1 + "/layer.tar", Busybox.gzip(base));
        entries.put(l2 + "/VERSION", "1.0".getBytes(StandardCharsets.UTF_8));
        entries.put(l2 + "/json", ("{\"id\":\"" + l2 + "\",\"parent\":\"" + l1 + "\"}")
                .getBytes(StandardCharsets.UTF_8));
        entries.put(l2 + "/layer.tar", top);
        entries.put(configId + ".json", configBytes);
        entries.put("manifest.json", ("[{\"Config\":\"" + configId + ".json\",\"RepoTags\":[\"busybox:old\"],"
                + "\"Layers\":[\"" + l1 + "/layer.tar\",\"" + l2 + "/layer.tar\"]}]").getBytes(StandardCharsets.UTF_8));
        entries.put("repositories", ("{\"busybox\":{\"old\":\"" + l2 + "\"}}").getBytes(StandardCharsets.UTF_8));

        List<ImageInfo> loaded = images.load(new ByteArrayInputStream(Busybox.archive(entries)));
        assertEquals(1, loaded.size());
        ImageInfo info = loaded.get(0);
        assertEquals(configId, info.id());
        assertEquals(List.of("docker.io/library/busybox:old"), info.names());
        assertEquals(List.of("sha256:" + Digests.sha256(base), "sha256:" + Digests.sha256(top)),
                info.layers());
        assertEquals(base.length + top.length, info.size());
        assertEquals(List.of("cat", "/etc/motd"), info.config().cmd());
        assertEquals(info.id(), images.inspect("busybox:old").id());
        assertEquals(2, storage.layers().size());
        Storage.Layer topLayer = storage.layers().stream().filter(l -> l.parent() != null).findFirst().orElseThrow();
        assertTrue(Files.isRegularFile(layerDir(topLayer.id()).resolve("etc/motd")));
        assertTrue(Files.isRegularFile(layerDir(topLayer.parent()).resolve("bin/busybox")));
        // a container's root filesystem from it has both layers
        storage.createContainer("ctr", info.id());
        try {
            Path root = storage.mount("ctr");
            assertEquals("hello from the second layer\n", Files.readString(root.resolve("etc/motd")));
            assertTrue(Files.isExecutable(root.resolve("bin/busybox")));
        } finally {
            storage.unmount("ctr", true);
            storage.deleteContainer("ctr");
        }

        // and it saves again, in the blobs layout, with both layers
        byte[] saved = save(List.of("busybox:old"), "docker-archive");
        images.remove("busybox:old", false);
        assertNothingStored();
        assertSameImage(info, images.load(new ByteArrayInputStream(saved)).get(0));
    }

    // ---- bad archives

    @Test
    public void corruptedArchivesAreRefusedWithClearErrorsAndNothingStored() throws IOException {
        ImageInfo info = importBusybox("busybox");
        byte[] oci = save(List.of("busybox"), "oci-archive");
        byte[] docker = save(List.of("busybox"), "docker-archive");
        images.remove("busybox", false);
        assertNothingStored();
        String layerBlob = "blobs/sha256/" + Digests.hex(info.layers().get(0));

        // a missing blob
        Map<String, byte[]> entries = Busybox.entries(oci);
        entries.remove(layerBlob);
        assertLoadFails(entries, "blob sha256:" + Digests.hex(info.layers().get(0))
                + " is missing from the archive");
        // a blob whose content does not match its digest
        entries = Busybox.entries(oci);
        byte[] changed = entries.get(layerBlob).clone();
        changed[600] ^= 1;
        entries.put(layerBlob, changed);
        assertLoadFails(entries, "does not match its digest");
        // bad JSON
        entries = Busybox.entries(oci);
        entries.put("index.json", "{\"manifests\": [".getBytes(StandardCharsets.UTF_8));
        assertLoadFails(entries, "index.json is not valid JSON");
        entries = Busybox.entries(docker);
        entries.put("manifest.json", "not json".getBytes(StandardCharsets.UTF_8));
        assertLoadFails(entries, "manifest.json is not valid JSON");
        // a docker-archive whose layer is missing, or is not what the config says
        entries = Busybox.entries(docker);
        entries.remove(layerBlob);
        assertLoadFails(entries, "the archive has no " + layerBlob + ", which manifest.json names");
        entries = Busybox.entries(docker);
        byte[] other = Busybox.tar(Map.of("x", "y"));
        entries.remove(layerBlob);
        entries.put("layers/other.tar", other);
        JsonNode m = JSON.readTree(entries.get("manifest.json"));
        ((ArrayNode) m.get(0).get("Layers")).set(0, JSON.getNodeFactory().textNode("layers/other.tar"));
        entries.put("manifest.json", JSON.writeValueAsBytes(m));
        assertLoadFails(entries, "has diff ID sha256:" + Digests.sha256(other) + " but the config says "
                + info.layers().get(0));
        // neither format, not a tar
        assertLoadFails(Map.of("hello", new byte[] {1}), "neither a docker-archive");
        JpodException e = expect(ErrorCode.INVALID_ARG, () -> images.load(new ByteArrayInputStream(
                "not a tar at all".getBytes(StandardCharsets.UTF_8))));
        assertTrue(e.getMessage(), e.getMessage().contains("archive"));
        // an entry that leaves the archive
        e = expect(ErrorCode.INVALID_ARG, () -> images.load(new ByteArrayInputStream(Busybox.archive(Map.of(
                "../escape", new byte[] {1}))))); 
        assertTrue(e.getMessage(), e.getMessage().contains("outside the archive"));
        assertFalse(Files.exists(tmp.resolve("storage/jpod-image/escape")));
        assertNothingStored();
    }

    @Test
    public void aLoadThatFailsInTheStorageRemovesWhatItStored() throws IOException {
        // two images; the second's layer is refused by the storage (an entry leaving the root)
        byte[] good = Busybox.rootfs();
        byte[] evil = Busybox.tar(Map.of("../../evil", "x"));
        byte[] c1 = JSON.writeValueAsBytes(config(List.of(good)));
        byte[] c2 = JSON.writeValueAsBytes(config(List.of(good, evil)));
        String g = Digests.sha256(good);
        String v = Digests.sha256(evil);
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("blobs/sha256/" + g, good);
        entries.put("blobs/sha256/" + v, evil);
        entries.put("blobs/sha256/" + Digests.sha256(c1), c1);
        entries.put("blobs/sha256/" + Digests.sha256(c2), c2);
        entries.put("manifest.json", ("[{\"Config\":\"blobs/sha256/" + Digests.sha256(c1) + "\",\"RepoTags\":"
                + "[\"a:1\"],\"Layers\":[\"blobs/sha256/" + g + "\"]},{\"Config\":\"blobs/sha256/"
                + Digests.sha256(c2) + "\",\"RepoTags\":[\"b:1\"],\"Layers\":[\"blobs/sha256/" + g
                + "\",\"blobs/sha256/" + v + "\"]}]").getBytes(StandardCharsets.UTF_8));
        assertLoadFails(entries, "evil");
        assertFalse(Files.exists(tmp.resolve("evil")));
        assertFalse(Files.exists(tmp.resolve("storage/evil")));
        // one image: its first layer was stored for no image, and goes again
        entries.put("manifest.json", ("[{\"Config\":\"blobs/sha256/" + Digests.sha256(c2) + "\",\"RepoTags\""
                + ":[\"b:1\"],\"Layers\":[\"blobs/sha256/" + g + "\",\"blobs/sha256/" + v + "\"]}]")
                .getBytes(StandardCharsets.UTF_8));
        assertLoadFails(entries, "evil");
    }

    private void assertLoadFails(Map<String, byte[]> entries, String message) throws IOException {
        JpodException e = expect(ErrorCode.INVALID_ARG, () -> images.load(new ByteArrayInputStream(
                Busybox.archive(entries))));
        assertTrue(e.getMessage(), e.getMessage().contains(message));
        assertTrue(e.getMessage(), e.getMessage().endsWith(": invalid argument"));
        assertNothingStored();
    }

    // ---- reopening

    @Test
    public void imagesAndTheirLayerTarsSurviveAReopen() throws IOException {
        ImageInfo info = importBusybox("busybox", "CMD [\"sh\"]");
        storage.close();
        storage = open();
        images = new ImageService(storage, ImageUsers.NONE);
        assertEquals(info, images.inspect("busybox"));
        assertNotNull(save(List.of("busybox"), "oci-archive"));
    }

    // ---- helpers

    private byte[] save(List<String> refs, String format) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        images.save(refs, format, out);
        return out.toByteArray();
    }

    private static ObjectNode config(List<byte[]> layers) {
        ObjectNode root = JSON.createObjectNode();
        root.put("created", "2024-01-02T03:04:05Z");
        root.put("architecture", "amd64");
        root.put("os", "linux");
        root.putObject("config");
        ObjectNode rootfs = root.putObject("rootfs");
        rootfs.put("type", "layers");
        ArrayNode ids = rootfs.putArray("diff_ids");
        for (byte[] l : layers) {
            ids.add("sha256:" + Digests.sha256(l));
        }
        return root;
    }

    private void assertSameImage(ImageInfo expected, ImageInfo actual) {
        assertEquals(expected.id(), actual.id());
        assertEquals(expected.config(), actual.config());
        assertEquals(expected.layers(), actual.layers());
        assertEquals(expected.created(), actual.created());
        assertEquals(expected.size(), actual.size());
        assertEquals(expected.digest(), actual.digest());
    }

    private static List<String> texts(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.forEach(e -> out.add(e.asText()));
        return out;
    }
}
