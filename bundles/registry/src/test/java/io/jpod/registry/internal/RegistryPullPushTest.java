package io.jpod.registry.internal;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.junit.Assume.assumeTrue;

import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;
import io.jpod.api.registry.Descriptor;
import io.jpod.api.registry.ImageManifest;
import io.jpod.api.registry.ImageReference;
import io.jpod.api.registry.Platform;
import io.jpod.api.registry.RegistryOptions;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.After;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** Pulls and pushes against a real docker-registry on loopback, plain HTTP, no authentication. */
public class RegistryPullPushTest {
    @ClassRule
    public static TemporaryFolder tmp = new TemporaryFolder();

    private static final Platform AMD64 = new Platform("linux", "amd64", null);
    private static RegistryServer registry;
    private static TestImages.Layout layout;
    private final List<RegistryService> services = new ArrayList<>();

    @BeforeClass
    public static void startRegistry() throws Exception {
        assumeTrue("docker-registry and skopeo are installed", RegistryServer.available());
        Path root = tmp.getRoot().toPath();
        registry = RegistryServer.start(root.resolve("registry"), null, null);
        layout = TestImages.write(root.resolve("layout"));
        RegistryServer.skopeoCopy(layout.dir(), "v1", registry.address() + "/test/img:v1", null, false);
        RegistryServer.skopeoCopy(layout.dir(), "multi", registry.address() + "/test/multi:multi", null, true);
    }

    @AfterClass
    public static void stopRegistry() {
        if (registry != null) {
            registry.close();
        }
    }

    @After
    public void closeServices() {
        services.forEach(RegistryService::close);
    }

    /** A service that reads only {@code conf} (no system files), with a short answer timeout. */
    RegistryService service(String conf, Duration answer) throws IOException {
        Path dir = Files.createTempDirectory(tmp.getRoot().toPath(), "svc");
        Path override = null;
        if (conf != null) {
            override = dir.resolve("registries.conf");
            Files.writeString(override, conf);
        }
        RegistryService s = new RegistryService(new RegistryService.Settings(null, null, override,
                List.of(dir.resolve("certs.d")), Duration.ofSeconds(10), answer,
                Map.of("REGISTRY_AUTH_FILE", dir.resolve("auth.json").toString()), true));
        services.add(s);
        return s;
    }

    RegistryService service() throws IOException {
        return service(null, Duration.ofSeconds(30));
    }

    private ImageReference ref(String r) {
        return ReferenceParser.parse(registry.address() + "/" + r);
    }

    @Test
    public void manifestByTagAndByDigest() throws IOException {
        RegistryService s = service();
        ImageManifest m = s.manifest(ref("test/img:v1"), AMD64, null);
        assertEquals(layout.manifestDigest(), m.reference().digest());
        assertEquals("v1", m.reference().tag());
        assertEquals(Manifests.OCI_MANIFEST, m.mediaType());
        assertArrayEquals(layout.manifest(), m.raw());
        assertEquals(layout.layers(), m.layers());
        assertNull(m.indexDigest());
        ImageManifest byDigest = s.manifest(ref("test/img@" + layout.manifestDigest()), AMD64,
                RegistryOptions.defaults());
        assertArrayEquals(layout.manifest(), byDigest.raw());
        assertEquals(layout.manifestDigest(), byDigest.reference().digest());
    }

    @Test
    public void dockerSchema2() throws Exception {
        // skopeo converts to Docker's schema 2 (new digests; it has no zstd): read by tag, every layer verified
        RegistryServer.run(List.of("skopeo", "copy", "-q", "--dest-tls-verify=false", "--format", "v2s2",
                "oci:" + layout.dir() + ":arm", "docker://" + registry.address() + "/test/docker:v1"));
        RegistryService s = service();
        ImageManifest m = s.manifest(ref("test/docker:v1"), new Platform("linux", "arm64", null), null);
        assertEquals(Manifests.DOCKER_MANIFEST, m.mediaType());
        assertEquals(Digests.sha256(m.raw()), m.reference().digest());
        assertEquals("application/vnd.docker.container.image.v1+json", m.config().mediaType());
        for (Descriptor d : m.layers()) {
            try (InputStream in = s.blob(m.reference(), d, null)) {
                assertEquals(d.size(), in.readAllBytes().length);
            }
        }
    }

    @Test
    public void indexResolvesToThePlatform() throws IOException {
        RegistryService s = service();
        ImageManifest amd = s.manifest(ref("test/multi:multi"), AMD64, null);
        assertEquals(layout.amd64Digest(), amd.reference().digest());
        assertEquals(layout.indexDigest(), amd.indexDigest());
        ImageManifest arm = s.manifest(ref("test/multi:multi"), new Platform("linux", "aarch64", null), null);
        assertEquals(layout.arm64Digest(), arm.reference().digest());
        assertEquals(1, arm.layers().size());
        ImageManifest byIndexDigest = s.manifest(ref("test/multi@" + layout.indexDigest()),
                new Platform("linux", "arm64", "v8"), null);
        assertEquals(layout.arm64Digest(), byIndexDigest.reference().digest());
        // the host's platform when none is given (this machine is amd64 or arm64)
        ImageManifest host = s.manifest(ref("test/multi:multi"), null, null);
        assertTrue(List.of(layout.amd64Digest(), layout.arm64Digest()).contains(host.reference().digest()));
    }

    @Test
    public void indexWithoutThePlatformSaysWhatItHas() throws IOException {
        try {
            service().manifest(ref("test/multi:multi"), new Platform("linux", "s390x", null), null);
            fail();
        } catch (JpodException e) {
            assertEquals(ErrorCode.NO_SUCH_IMAGE, e.code());
            assertTrue(e.getMessage(), e.getMessage().contains("no entry for linux/s390x"));
            assertTrue(e.getMessage(), e.getMessage().contains("it has: linux/amd64, linux/arm64/v8"));
        }
    }

    @Test
    public void unknownTagAndRepository() throws IOException {
        RegistryService s = service();
        for (String r : List.of("test/img:nope", "test/nothing:v1")) {
            try {
                s.manifest(ref(r), AMD64, null);
                fail(r);
            } catch (JpodException e) {
                assertEquals(ErrorCode.NO_SUCH_IMAGE, e.code());
                assertTrue(e.getMessage(), e.getMessage().contains("not found: " + registry.address() + "/"
                        + r.replace(':', ':')));
            }
        }
    }

    @Test
    public void blobsAreVerified() throws IOException {
        RegistryService s = service();
        ImageReference r = ref("test/img:v1");
        for (Descriptor d : layout.layers()) {
            try (InputStream in = s.blob(r, d, null)) {
                assertEquals(d.digest(), Digests.sha256(in.readAllBytes()));
            }
        }
        assertTrue(s.hasBlob(r, layout.layers().get(0).digest(), null));
        assertFalse(s.hasBlob(r, "sha256:" + "0".repeat(64), null));
    }

    @Test
    public void aCorruptedBlobIsRefused() throws IOException {
        RegistryService s = service();
        byte[] data = new byte[4096];
        new Random(7).nextBytes(data);
        Descriptor d = new Descriptor("application/octet-stream", Digests.sha256(data), data.length, null);
        ImageReference r = ref("test/corrupt:v1");
        s.putBlob(r, d, new ByteArrayInputStream(data), null);
        Path file = registry.blobFile(d.digest());
        assertTrue(file + " exists", Files.isRegularFile(file));
        byte[] bad = data.clone();
        bad[100] ^= 1;
        Files.write(file, bad);
        try (InputStream in = s.blob(r, d, null)) {
            in.readAllBytes();
            fail("a corrupted blob was read to its end");
        } catch (IOException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("expected " + d.digest()));
            assertTrue(e.getMessage(), e.getMessage().contains("got " + Digests.sha256(bad)));
        }
    }

    @Test
    public void pushThenPullGivesTheSameDigest() throws IOException {
        RegistryService s = service();
        ImageManifest src = s.manifest(ref("test/img:v1"), AMD64, null);
        ImageReference dest = ref("test/pushed:rt");
        List<Descriptor> blobs = new ArrayList<>(src.layers());
        blobs.add(src.config());
        for (Descriptor d : blobs) {
            byte[] content;
            try (InputStream in = s.blob(src.reference(), d, null)) {
                content = in.readAllBytes();
            }
            if (!s.hasBlob(dest, d.digest(), null)) {
                s.putBlob(dest, d, new ByteArrayInputStream(content), null);
            }
            assertTrue(s.hasBlob(dest, d.digest(), null));
        }
        String digest = s.putManifest(dest, src.mediaType(), src.raw(), null);
        assertEquals(src.reference().digest(), digest);
        ImageManifest back = s.manifest(dest, AMD64, null);
        assertEquals(digest, back.reference().digest());
        assertArrayEquals(src.raw(), back.raw());
    }

    @Test
    public void aBlobWhoseBytesDoNotMatchIsNotPushed() throws IOException {
        RegistryService s = service();
        byte[] data = "some bytes".getBytes();
        Descriptor d = new Descriptor("application/octet-stream", "sha256:" + "1".repeat(64), data.length, null);
        try {
            s.putBlob(ref("test/badpush:v1"), d, new ByteArrayInputStream(data), null);
            fail();
        } catch (JpodException e) {
            assertFalse(s.hasBlob(ref("test/badpush:v1"), d.digest(), null));
        }
    }

    @Test
    public void aMirrorThatIsDownFallsBackToTheRegistry() throws IOException {
        int dead = RegistryServer.freePort();
        RegistryService s = service("[[registry]]\nlocation = \"" + registry.address() + "/test\"\n"
                + "[[registry.mirror]]\nlocation = \"127.0.0.1:" + dead + "/test\"\n", Duration.ofSeconds(30));
        ImageManifest m = s.manifest(ref("test/img:v1"), AMD64, null);
        assertEquals(layout.manifestDigest(), m.reference().digest());
        try (InputStream in = s.blob(ref("test/img:v1"), layout.layers().get(0), null)) {
            assertEquals(layout.layers().get(0).size(), in.readAllBytes().length);
        }
    }

    @Test
    public void aMirrorIsTriedFirst() throws IOException {
        // the registry itself does not resolve; its mirror (this registry, another path) has the image
        RegistryService s = service("[[registry]]\nprefix = \"registry.invalid/upstream\"\n"
                + "location = \"registry.invalid/upstream\"\n"
                + "[[registry.mirror]]\nlocation = \"" + registry.address() + "/test\"\n", Duration.ofSeconds(30));
        ImageManifest m = s.manifest(ReferenceParser.parse("registry.invalid/upstream/img:v1"), AMD64, null);
        assertEquals(layout.manifestDigest(), m.reference().digest());
        assertEquals("registry.invalid", m.reference().registry());
    }

    @Test
    public void aBlockedRegistryIsRefused() throws IOException {
        RegistryService s = service("[[registry]]\nlocation = \"" + registry.address() + "\"\nblocked = true\n",
                Duration.ofSeconds(30));
        try {
            s.manifest(ref("test/img:v1"), AMD64, null);
            fail();
        } catch (JpodException e) {
            assertEquals(ErrorCode.REGISTRY_BLOCKED, e.code());
            assertTrue(e.getMessage(), e.getMessage().contains(registry.address()));
        }
    }

    @Test
    public void anAddressWithNoRegistryFailsQuicklyNamingIt() throws IOException {
        int dead = RegistryServer.freePort();
        long t0 = System.nanoTime();
        try {
            service().manifest(ReferenceParser.parse("127.0.0.1:" + dead + "/x:1"), AMD64, null);
            fail();
        } catch (JpodException e) {
            assertEquals(ErrorCode.REGISTRY_UNREACHABLE, e.code());
            assertTrue(e.getMessage(), e.getMessage().contains("127.0.0.1:" + dead));
        }
        assertTrue(System.nanoTime() - t0 < Duration.ofSeconds(12).toNanos());
    }

    @Test
    public void aRegistryThatDoesNotAnswerFailsWithinTheBoundedTime() throws IOException {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            long t0 = System.nanoTime();
            try {
                service(null, Duration.ofSeconds(2)).manifest(ReferenceParser.parse("127.0.0.1:"
                        + silent.getLocalPort() + "/x:1"), AMD64, null);
                fail();
            } catch (JpodException e) {
                assertEquals(ErrorCode.REGISTRY_UNREACHABLE, e.code());
                assertTrue(e.getMessage(), e.getMessage().contains("127.0.0.1:" + silent.getLocalPort()));
                assertTrue(e.getMessage(), e.getMessage().contains("no answer within 2 s"));
            }
            assertTrue(System.nanoTime() - t0 < Duration.ofSeconds(8).toNanos());
        }
    }

    @Test
    public void candidatesFromTheConfiguration() throws IOException {
        RegistryService s = service("unqualified-search-registries = [\"" + registry.address() + "\"]\n"
                + "short-name-mode = \"enforcing\"\n", Duration.ofSeconds(30));
        List<ImageReference> c = s.candidates("test/img:v1");
        assertEquals(List.of(ref("test/img:v1")), c);
        assertEquals(layout.manifestDigest(), s.manifest(c.get(0), AMD64, null).reference().digest());
    }
}
