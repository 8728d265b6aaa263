package io.jpod.clients;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import io.jpod.clients.JpodService.Result;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * Pulls and pushes against Debian's docker-registry on loopback, through every client: the docker CLI, podman
 * --remote and jpod's CLI; logins against an htpasswd registry; and the bad inputs (an unknown tag, wrong
 * credentials, a registry that does not answer, a blob whose digest does not match, concurrent pulls).
 */
public class RegistryIT extends ClientTestSupport {
    private static LocalRegistry registry;
    private static Path work;
    private static LocalRegistry.Image image;
    private static String ref;

    @BeforeClass
    public static void startRegistry() throws Exception {
        assumeTrue("docker-registry and skopeo are installed", LocalRegistry.available());
        work = Files.createTempDirectory("jpod-registry-it-");
        registry = LocalRegistry.start(work.resolve("registry"), null, null);
        image = LocalRegistry.write(work.resolve("layout"), "v1", rootfs(), "registry-it");
        registry.put(image, "test/bb:v1", null);
        ref = registry.address() + "/test/bb:v1";
    }

    @AfterClass
    public static void stopRegistry() throws Exception {
        if (registry != null) {
            registry.close();
        }
        JpodService.deleteTree(work);
    }

    private static Path rootfs() {
        return jpod.home.resolve("etc/busybox.tar");
    }

    /** A new image in the registry, with a layer of its own: nothing of it but the busybox base is stored yet. */
    private static LocalRegistry.Image fresh(String name) throws Exception {
        LocalRegistry.Image i = LocalRegistry.write(work.resolve("layout-" + name), "v1", rootfs(), name);
        registry.put(i, name + "/bb:v1", null);
        return i;
    }

    @Test
    public void dockerPullsShowsProgressAndDigestsAndRuns() throws Exception {
        Result pull = ok("pull", ref);
        assertTrue(pull.out(), pull.out().contains("v1: Pulling from test/bb"));
        assertTrue(pull.out(), pull.out().contains("Pull complete") || pull.out().contains("Already exists"));
        assertTrue(pull.out(), pull.out().contains("Digest: " + image.manifestDigest()));
        assertTrue(pull.out(), pull.out().contains("Status: Downloaded newer image for " + ref)
                || pull.out().contains("Status: Image is up to date for " + ref));
        Result again = ok("pull", ref);
        assertTrue(again.out(), again.out().contains("Status: Image is up to date for " + ref));
        Result digests = ok("images", "--digests", "--format", "{{.Repository}}:{{.Tag}} {{.Digest}}");
        assertTrue(digests.out(), digests.out().contains(registry.address() + "/test/bb:v1 "
                + image.manifestDigest()));
        Result inspect = ok("image", "inspect", "--format", "{{json .RepoDigests}}", ref);
        assertTrue(inspect.out(), inspect.out().contains(registry.address() + "/test/bb@" + image.manifestDigest()));
        assertEquals("registry-it", ok("run", "--rm", "--network", "none", ref, "cat", "/marker").out());
        Result q = ok("pull", "-q", ref);
        assertEquals(ref, q.out());
    }

    @Test
    public void dockerRunPullsWhatIsMissing() throws Exception {
        LocalRegistry.Image i = fresh("dockerrun");
        String r = registry.address() + "/dockerrun/bb:v1";
        Result run = jpod.docker("run", "--rm", "--network", "none", r, "cat", "/marker");
        assertEquals(run.toString(), 0, run.code());
        assertEquals("dockerrun", run.out());
        assertTrue(run.err(), run.err().contains("Unable to find image"));
        assertTrue(run.err(), run.err().contains(i.manifestDigest()));
    }

    @Test
    public void dockersStreamHasProgressDetails() throws Exception {
        LocalRegistry.Image i = fresh("progress");
        String out = jpod.run(List.of("curl", "-sS", "--max-time", "60", "--unix-socket", jpod.socket.toString(), "-X",
                "POST", "http://d/v1.44/images/create?fromImage=" + registry.address() + "/progress/bb&tag=v1"), 90)
                .out();
        String layer = i.layerDigests().get(1).substring(7, 19);
        assertTrue(out, out.contains("{\"status\":\"Pulling from progress/bb\",\"progressDetail\":{},\"id\":\"v1\"}"));
        assertTrue(out, out.contains("{\"status\":\"Pulling fs layer\",\"progressDetail\":{},\"id\":\"" + layer + "\"}"));
        assertTrue(out, out.contains("\"status\":\"Downloading\",\"progressDetail\":{\"current\":"));
        assertTrue(out, out.contains("{\"status\":\"Pull complete\",\"progressDetail\":{},\"id\":\"" + layer + "\"}"));
        assertTrue(out, out.contains("{\"status\":\"Digest: " + i.manifestDigest() + "\"}"));
        assertTrue(out, out.endsWith("{\"status\":\"Status: Downloaded newer image for " + registry.address()
                + "/progress/bb:v1\"}"));
        // a second image on the same base: the base layer is stored, so not fetched
        LocalRegistry.Image second = fresh("progress2");
        String out2 = jpod.run(List.of("curl", "-sS", "--max-time", "60", "--unix-socket", jpod.socket.toString(),
                "-X", "POST", "http://d/v1.44/images/create?fromImage=" + registry.address() + "/progress2/bb&tag=v1"),
                90).out();
        String base = second.layerDigests().get(0).substring(7, 19);
        assertTrue(out2, out2.contains("{\"status\":\"Already exists\",\"progressDetail\":{},\"id\":\"" + base
                + "\"}"));
        assertFalse(out2, out2.contains("\"Downloading\",\"progressDetail\":{\"current\":0,\"total\":0},\"id\":\""
                + base));
        assertFalse(out2, out2.contains("Pulling fs layer\",\"progressDetail\":{},\"id\":\"" + base));
        String missing = jpod.run(List.of("curl", "-sS", "-w", "%{http_code}", "--max-time", "60", "--unix-socket",
                jpod.socket.toString(), "-X", "POST", "http://d/v1.44/images/create?fromImage=" + registry.address()
                + "/progress/bb&tag=nope"), 90).out();
        assertTrue(missing, missing.endsWith("404"));
    }

    @Test
    public void aPullKilledHalfWayLeavesNothingAndTheNextCompletes() throws Exception {
        LocalRegistry.Image i = LocalRegistry.writeBig(work.resolve("layout-big"), "v1", rootfs(), 200);
        registry.put(i, "big/bb:v1", null);
        String r = registry.address() + "/big/bb:v1";
        Path spool = jpod.dir.resolve("storage/jpod-image/tmp");
        ProcessBuilder pb = new ProcessBuilder(jpod.home.resolve("bin/jpod").toString(), "--url",
                "unix://" + jpod.socket, "pull", "-q", r).redirectErrorStream(true)
                .redirectOutput(work.resolve("big-pull.out").toFile());
        Process pull = pb.start();
        long end = System.nanoTime() + 60_000_000_000L;
        boolean spooling = false;
        while (!spooling && System.nanoTime() < end && pull.isAlive()) {
            try (var files = Files.list(spool)) {
                spooling = files.anyMatch(f -> f.getFileName().toString().startsWith("layer-"));
            }
            Thread.sleep(5);
        }
        assertTrue("the pull spooled a layer: " + Files.readString(work.resolve("big-pull.out")), spooling);
        jpod.crash();
        pull.waitFor();
        jpod.startService();
        String list = jpod.curl("GET", "/libpod/images/json").out();
        assertFalse(list, list.contains("big/bb"));
        try (var files = Files.list(spool)) {
            assertEquals("the spool is emptied at the start", 0, files.count());
        }
        Result again = jpodOk("pull", "-q", r);
        assertEquals(64, again.out().strip().length());
        assertEquals(String.valueOf(200 << 20), jpodOk("run", "--rm", "--network", "none", r, "sh", "-c",
                "wc -c < /big").out().strip());
    }

    @Test
    public void theShippedBusyboxIsPulledOfflineAsBefore() throws Exception {
        Result first = ok("pull", "busybox");
        assertTrue(first.out(), first.out().contains("Status: Image is up to date for localhost/busybox:latest"));
        String id = ok("image", "inspect", "--format", "{{.Id}}", "busybox").out();
        assertEquals("hello", ok("run", "--rm", "--network", "none", "busybox", "echo", "hello").out());
        Result podman = podman("pull", "busybox");
        assertEquals(podman.toString(), 0, podman.code());
        assertEquals(id, "sha256:" + podman.out().strip());
    }

    @Test
    public void zstdLayersArePulled() throws Exception {
        LocalRegistry.Image i = LocalRegistry.write(work.resolve("layout-zstd"), "v1", rootfs(), "zstd", true);
        registry.put(i, "zstd/bb:v1", null);
        String r = registry.address() + "/zstd/bb:v1";
        jpodOk("pull", "-q", r);
        assertEquals("zstd", jpodOk("run", "--rm", "--network", "none", r, "cat", "/marker").out());
    }

    @Test
    public void dockerDistributionInspectAsksTheRegistry() throws Exception {
        String out = jpod.curl("GET", "/v1.44/distribution/" + registry.address() + "/test/bb:v1/json").out();
        assertTrue(out, out.contains("\"digest\":\"" + image.manifestDigest() + "\""));
        assertTrue(out, out.contains("\"os\":\"linux\""));
    }

    @Test
    public void podmanRemotePushes() throws Exception {
        String dest = registry.address() + "/podpush/bb:1";
        Result push = podman("push", "busybox", dest);
        assertEquals(push.toString(), 0, push.code());
        String digest = LocalRegistry.run(List.of("skopeo", "inspect", "--tls-verify=false", "--format",
                "{{.Digest}}", "docker://" + dest)).strip();
        assertTrue(digest, digest.startsWith("sha256:"));
    }

    @Test
    public void podmanRemotePulls() throws Exception {
        fresh("podman");
        String r = registry.address() + "/podman/bb:v1";
        Result pull = podman("pull", r);
        assertEquals(pull.toString(), 0, pull.code());
        assertTrue(pull.toString(), pull.err().contains("Trying to pull " + r));
        String id = pull.out().strip();
        assertEquals(64, id.length());
        Result q = podman("pull", "-q", r);
        assertEquals(q.toString(), id, q.out().strip());
        Result missing = podman("pull", registry.address() + "/podman/bb:nope");
        assertEquals(missing.toString(), 125, missing.code());
        assertTrue(missing.toString(), missing.err().contains("nope"));
    }

    @Test
    public void jpodPullsByTagAndDigestAndRunsWithPullPolicies() throws Exception {
        LocalRegistry.Image i = fresh("jpodcli");
        String byTag = registry.address() + "/jpodcli/bb:v1";
        Result pull = jpodOk("pull", byTag);
        String id = pull.out().strip();
        assertEquals(pull.toString(), 64, id.length());
        assertEquals(LocalRegistry.sha256(Files.readAllBytes(i.layout().resolve("blobs/sha256/"
                + i.configDigest().substring(7)))).substring(7), id);
        assertTrue(pull.err(), pull.err().contains("Trying to pull " + byTag));
        assertTrue(pull.err(), pull.err().contains("Copying config " + i.configDigest()));
        String byDigest = registry.address() + "/jpodcli/bb@" + i.manifestDigest();
        assertEquals(id, jpodOk("pull", "-q", byDigest).out().strip());
        assertEquals("jpodcli", jpodOk("run", "--rm", "--network", "none", "--pull", "never", byTag,
                "cat", "/marker").out());
        assertEquals("jpodcli", jpodOk("run", "--rm", "--network", "none", "--pull", "always", byTag,
                "cat", "/marker").out());
        Result never = jpod.jpod("run", "--rm", "--network", "none", "--pull", "never",
                registry.address() + "/jpodcli/bb:other", "true");
        assertEquals(never.toString(), 125, never.code());
    }

    @Test
    public void anUnknownTagIsNotFoundNamingTheReference() throws Exception {
        String r = registry.address() + "/test/bb:nope";
        Result pull = jpod.jpod("pull", r);
        assertEquals(pull.toString(), 125, pull.code());
        String last = pull.err().substring(pull.err().lastIndexOf('\n') + 1);
        assertTrue(pull.err(), last.startsWith("Error: "));
        assertTrue(pull.err(), last.contains("test/bb") && last.contains("nope"));
        Result docker = jpod.docker("pull", r);
        assertNotEquals(docker.toString(), 0, docker.code());
        assertTrue(docker.err(), docker.err().contains("nope"));
    }

    @Test
    public void aRegistryThatDoesNotAnswerFailsInBoundedTime() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            String r = "127.0.0.1:" + silent.getLocalPort() + "/silent/bb:v1";
            long t0 = System.nanoTime();
            Result pull = jpod.run(List.of(jpod.home.resolve("bin/jpod").toString(), "--url", "unix://" + jpod.socket,
                    "pull", r), 150);
            long s = (System.nanoTime() - t0) / 1_000_000_000L;
            assertEquals(pull.toString(), 125, pull.code());
            assertTrue(pull.err(), pull.err().contains("127.0.0.1:" + silent.getLocalPort()));
            assertTrue("took " + s + " s", s < 120);
        }
        int closed = LocalRegistry.freePort();
        Result refused = jpod.jpod("pull", "127.0.0.1:" + closed + "/closed/bb:v1");
        assertEquals(refused.toString(), 125, refused.code());
        assertTrue(refused.err(), refused.err().contains("127.0.0.1:" + closed));
    }

    @Test
    public void aBlobThatDoesNotMatchItsDigestIsRefusedAndNothingIsStored() throws Exception {
        LocalRegistry.Image i = fresh("corrupt");
        Path blob = registry.blobFile(i.layerDigests().get(1));
        byte[] b = Files.readAllBytes(blob);
        // same size, other bytes: the marker file's content
        int at = new String(b, java.nio.charset.StandardCharsets.ISO_8859_1).indexOf("corrupt\n");
        assertTrue(at > 0);
        b[at] = 'C';
        Files.write(blob, b);
        String before = jpod.curl("GET", "/libpod/images/json").out();
        Result pull = jpod.jpod("pull", registry.address() + "/corrupt/bb:v1");
        assertEquals(pull.toString(), 125, pull.code());
        assertTrue(pull.err(), pull.err().contains(i.layerDigests().get(1)));
        assertFalse(pull.err(), pull.err().contains("Exception"));
        assertFalse(jpod.curl("GET", "/libpod/images/json").out().contains("corrupt/bb"));
        assertEquals(before, jpod.curl("GET", "/libpod/images/json").out());
    }

    @Test
    public void concurrentPullsOfOneImageStoreItOnce() throws Exception {
        fresh("concurrent");
        String r = registry.address() + "/concurrent/bb:v1";
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Result>> pulls = new ArrayList<>();
            for (int n = 0; n < 4; n++) {
                pulls.add(pool.submit(() -> jpod.jpod("pull", "-q", r)));
            }
            String id = null;
            for (Future<Result> f : pulls) {
                Result res = f.get();
                assertEquals(res.toString(), 0, res.code());
                if (id == null) {
                    id = res.out().strip();
                }
                assertEquals(id, res.out().strip());
            }
            String list = jpod.curl("GET", "/libpod/images/json").out();
            String key = "\"Id\":\"" + id + "\"";
            assertTrue(list, list.contains(key));
            assertEquals("stored once: " + list, list.indexOf(key), list.lastIndexOf(key));
            assertEquals("concurrent", jpodOk("run", "--rm", "--network", "none", r, "cat", "/marker").out());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    public void jpodAndDockerPushAndTheDigestIsStable() throws Exception {
        String dest = registry.address() + "/pushed/bb:1";
        Path digestFile = work.resolve("digest");
        Result push = jpodOk("push", "--digestfile", digestFile.toString(), "busybox", dest);
        String digest = Files.readString(digestFile).strip();
        assertTrue(push.toString(), digest.startsWith("sha256:"));
        String inspect = LocalRegistry.run(List.of("skopeo", "inspect", "--tls-verify=false", "--format",
                "{{.Digest}}", "docker://" + dest)).strip();
        assertEquals(digest, inspect);
        jpodOk("push", "--digestfile", digestFile.toString(), "busybox", dest);
        assertEquals("a second push gives the same digest", digest, Files.readString(digestFile).strip());
        String id = jpodOk("pull", "-q", dest).out().strip();
        assertEquals(ok("image", "inspect", "--format", "{{.Id}}", "busybox").out().strip(), "sha256:" + id);
        Result repoDigests = ok("image", "inspect", "--format", "{{json .RepoDigests}}", dest);
        assertTrue(repoDigests.out(), repoDigests.out().contains(registry.address() + "/pushed/bb@" + digest));

        ok("tag", "busybox", registry.address() + "/dpush/bb:2");
        Result dpush = ok("push", registry.address() + "/dpush/bb:2");
        assertTrue(dpush.out(), dpush.out().contains("The push refers to repository [" + registry.address()
                + "/dpush/bb]"));
        assertTrue(dpush.out(), dpush.out().contains("2: digest: " + digest));
    }

    @Test
    public void loginsAgainstAnHtpasswdRegistry() throws Exception {
        try (LocalRegistry secured = LocalRegistry.start(work.resolve("secured"), "jpod", "s3cret")) {
            LocalRegistry.Image i = LocalRegistry.write(work.resolve("layout-secured"), "v1", rootfs(), "secured");
            secured.put(i, "private/bb:v1", "jpod:s3cret");
            String r = secured.address() + "/private/bb:v1";
            Result anonymous = jpod.jpod("pull", r);
            assertEquals(anonymous.toString(), 125, anonymous.code());
            assertTrue(anonymous.err(), anonymous.err().toLowerCase().contains("unauthorized"));
            Result wrong = jpod.jpod("pull", "--creds", "jpod:wrong", r);
            assertEquals(wrong.toString(), 125, wrong.code());
            assertTrue(wrong.err(), wrong.err().toLowerCase().contains("unauthorized"));
            assertFalse(wrong.err(), wrong.err().contains("wrong"));

            Path authFile = work.resolve("auth.json");
            Result badLogin = jpod.jpod("login", "-u", "jpod", "-p", "wrong", "--authfile", authFile.toString(),
                    secured.address());
            assertEquals(badLogin.toString(), 125, badLogin.code());
            assertTrue(badLogin.err(), badLogin.err().toLowerCase().contains("unauthorized"));
            Result login = jpodOk("login", "-u", "jpod", "-p", "s3cret", "--authfile", authFile.toString(),
                    secured.address());
            assertEquals("Login Succeeded!", login.out());
            assertTrue(Files.readString(authFile), Files.readString(authFile).contains(secured.address()));
            String id = jpodOk("pull", "-q", "--authfile", authFile.toString(), r).out().strip();
            assertEquals(64, id.length());
            assertEquals(id, jpodOk("pull", "-q", "--creds", "jpod:s3cret", r).out().strip());
            jpodOk("push", "--creds", "jpod:s3cret", "busybox", secured.address() + "/private/pushed:1");
            Result logout = jpodOk("logout", "--authfile", authFile.toString(), secured.address());
            assertEquals("Removed login credentials for " + secured.address(), logout.out());
            assertFalse(Files.readString(authFile).contains("\"auth\""));

            Path dockerConfig = Files.createDirectories(work.resolve("docker-config"));
            Result dockerBad = jpod.run(List.of("docker", "--config", dockerConfig.toString(), "login", "-u", "jpod",
                    "--password-stdin", secured.address()), "wrong\n", 60);
            assertNotEquals(dockerBad.toString(), 0, dockerBad.code());
            Result dockerLogin = jpod.run(List.of("docker", "--config", dockerConfig.toString(), "login", "-u",
                    "jpod", "--password-stdin", secured.address()), "s3cret\n", 60);
            assertEquals(dockerLogin.toString(), 0, dockerLogin.code());
            assertTrue(dockerLogin.toString(), dockerLogin.out().contains("Login Succeeded"));
            Result dockerPull = jpod.run(List.of("docker", "--config", dockerConfig.toString(), "pull", "-q", r),
                    120);
            assertEquals(dockerPull.toString(), 0, dockerPull.code());
            // podman-remote logs in from the client (podman 4.3 does not ask the service), into its own auth file
            Path podmanAuth = work.resolve("podman-auth.json");
            Result podmanLogin = podman("login", "--tls-verify=false", "--authfile", podmanAuth.toString(), "-u",
                    "jpod", "-p", "s3cret", secured.address());
            assertEquals(podmanLogin.toString(), 0, podmanLogin.code());
            Result podmanPull = podman("pull", "-q", "--authfile", podmanAuth.toString(), r);
            assertEquals(podmanPull.toString(), 0, podmanPull.code());
            assertEquals(id, podmanPull.out().strip());
            String log = Files.readString(jpod.dir.resolve("service.log"));
            assertFalse("the service's log holds no password", log.contains("s3cret"));
        }
    }
}
