package io.jpod.clients;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import io.jpod.clients.JpodService.Result;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * The faults of pulls, with the real parts: registries over TLS with a CA the test makes (trusted through the
 * certs.d the service is given, untrusted without it, and {@code --tls-verify=false}), a registry blocked by the
 * service's registries.conf, an image for another architecture only, a connection dropped mid-layer by a proxy,
 * a graphroot on a tmpfs that fills, and concurrent pulls of images sharing a layer (counted in the registry's
 * access log).
 */
public class RegistryFaultsIT extends ClientTestSupport {
    private static Path work;
    private static LocalRegistry registry;
    private static LocalRegistry trusted;
    private static LocalRegistry untrusted;
    private static CuttingProxy proxy;
    private static Path storageMount;

    /** Shadows ClientTestSupport's: this class's service has its own certs.d, registries.conf and graphroot. */
    @BeforeClass
    public static void startService() throws Exception {
        assumeTrue("docker-registry and skopeo are installed", LocalRegistry.available());
        work = Files.createTempDirectory("jpod-registry-faults-");
        registry = LocalRegistry.start(work.resolve("registry"), null, null, "127.0.0.1", null, true);
        proxy = new CuttingProxy(registry.port);
        String ip = hostAddress();
        Path[] tls = null;
        Path certsD = Files.createDirectories(work.resolve("certs.d"));
        if (ip != null) {
            tls = certificates(work.resolve("pki"), ip);
            trusted = LocalRegistry.start(work.resolve("trusted"), null, null, ip, tls, false);
            untrusted = LocalRegistry.start(work.resolve("untrusted"), null, null, ip, tls, false);
            Path d = Files.createDirectories(certsD.resolve(trusted.address()));
            Files.copy(work.resolve("pki/ca.crt"), d.resolve("ca.crt"));
        }
        Path conf = work.resolve("registries.conf");
        Files.writeString(conf, """
                [[registry]]
                prefix = "%1$s/blocked"
                location = "%1$s/blocked"
                blocked = true
                """.formatted(registry.address()));
        jpod = new JpodService("", Map.of("JAVA_OPTS", "-Djpod.certs.d=" + certsD + " -Djpod.registries.conf=" + conf),
                s -> {
                    Path storage = Files.createDirectories(s.dir.resolve("storage"));
                    Result m = s.run(List.of("mount", "-t", "tmpfs", "-o", "size=1g", "jpod-faults", storage.toString()),
                            30);
                    assertEquals("mount: " + m, 0, m.code());
                    s.testMounts.add(storage);
                    storageMount = storage;
                });
    }

    @AfterClass
    public static void stopRegistries() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {proxy, registry, trusted, untrusted}) {
            if (c != null) {
                c.close();
            }
        }
        JpodService.deleteTree(work);
    }

    private static Path rootfs() {
        return jpod.home.resolve("etc/busybox.tar");
    }

    private static String images() throws Exception {
        return jpod.curl("GET", "/libpod/images/json").out();
    }

    /** An IPv4 address of this host that is not loopback (where 127.0.0.0/8 would be insecure by Docker's rule). */
    private static String hostAddress() throws IOException {
        for (NetworkInterface n : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            String name = n.getName();
            if (!n.isUp() || n.isLoopback() || name.startsWith("jpod") || name.startsWith("veth")
                    || name.startsWith("cni") || name.startsWith("docker") || name.startsWith("podman")) {
                continue;
            }
            for (InetAddress a : Collections.list(n.getInetAddresses())) {
                if (a instanceof Inet4Address) {
                    return a.getHostAddress();
                }
            }
        }
        return null;
    }

    /** A CA and a server certificate for {@code ip} signed by it (openssl): the certificate and key files. */
    private static Path[] certificates(Path dir, String ip) throws Exception {
        Files.createDirectories(dir);
        String d = dir.toString();
        LocalRegistry.run(List.of("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                "-subj", "/CN=jpod test CA", "-addext", "basicConstraints=critical,CA:TRUE",
                "-addext", "keyUsage=critical,keyCertSign,cRLSign", "-keyout", d + "/ca.key", "-out", d + "/ca.crt"));
        LocalRegistry.run(List.of("openssl", "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=" + ip,
                "-keyout", d + "/server.key", "-out", d + "/server.csr"));
        Files.writeString(dir.resolve("ext.cnf"), "subjectAltName=IP:" + ip + "\nextendedKeyUsage=serverAuth\n");
        LocalRegistry.run(List.of("openssl", "x509", "-req", "-in", d + "/server.csr", "-CA", d + "/ca.crt",
                "-CAkey", d + "/ca.key", "-CAcreateserial", "-days", "2", "-extfile", d + "/ext.cnf",
                "-out", d + "/server.crt"));
        return new Path[] {dir.resolve("server.crt"), dir.resolve("server.key")};
    }

    @Test
    public void tlsIsVerifiedWithTheCaInCertsDAndRefusedClearlyWithout() throws Exception {
        assumeTrue("this host has a non-loopback IPv4 address", trusted != null);
        LocalRegistry.Image i = LocalRegistry.write(work.resolve("layout-tls"), "v1", rootfs(), "tls");
        trusted.put(i, "tls/bb:v1", null);
        untrusted.put(i, "tls/bb:v1", null);
        String ok = trusted.address() + "/tls/bb:v1";
        String id = jpodOk("pull", "-q", ok).out().strip();
        assertEquals(64, id.length());
        assertEquals("tls", jpodOk("run", "--rm", "--network", "none", ok, "cat", "/marker").out());
        Result docker = ok("pull", "-q", ok);
        assertEquals(ok, docker.out().strip());

        String bad = untrusted.address() + "/tls/bb:v1";
        Result refused = jpod.jpod("pull", bad);
        assertEquals(refused.toString(), 125, refused.code());
        assertTrue(refused.err(), refused.err().contains("TLS") && refused.err().contains(untrusted.address()));
        assertTrue(refused.err(), refused.err().contains("certs.d") && refused.err().contains("--tls-verify=false"));
        assertFalse("no Java exception names: " + refused.err(), refused.err().contains("Exception"));
        Result dockerRefused = jpod.docker("pull", bad);
        assertNotEquals(dockerRefused.toString(), 0, dockerRefused.code());
        assertTrue(dockerRefused.err(), dockerRefused.err().contains("TLS"));
        assertEquals(id, jpodOk("pull", "-q", "--tls-verify=false", bad).out().strip());
    }

    @Test
    public void aBlockedRegistryIsRefused() throws Exception {
        LocalRegistry.Image i = LocalRegistry.write(work.resolve("layout-blocked"), "v1", rootfs(), "blocked");
        registry.put(i, "blocked/bb:v1", null);
        String r = registry.address() + "/blocked/bb:v1";
        Result pull = jpod.jpod("pull", r);
        assertEquals(pull.toString(), 125, pull.code());
        assertTrue(pull.err(), pull.err().contains("blocked") && pull.err().contains(registry.address() + "/blocked"));
        Result docker = jpod.docker("pull", r);
        assertNotEquals(docker.toString(), 0, docker.code());
        assertTrue(docker.err(), docker.err().contains("blocked"));
        String code = jpod.run(List.of("curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", "--unix-socket",
                jpod.socket.toString(), "-X", "POST", "http://d/v1.44/images/create?fromImage=" + registry.address()
                + "/blocked/bb&tag=v1"), 60).out();
        assertEquals("403", code);
        assertFalse(images().contains("blocked/bb"));
    }

    @Test
    public void anImageForAnotherArchitectureOnlyNamesWhatItHas() throws Exception {
        LocalRegistry.Image i = LocalRegistry.writeForArchitecture(work.resolve("layout-s390x"), "v1", rootfs(),
                "s390x", "s390x");
        registry.put(i, "s390x/bb:v1", null);
        String r = registry.address() + "/s390x/bb:v1";
        String host = "linux/" + LocalRegistry.arch();
        Result pull = jpod.jpod("pull", r);
        assertEquals(pull.toString(), 125, pull.code());
        assertTrue(pull.err(), pull.err().contains("has no entry for " + host));
        assertTrue(pull.err(), pull.err().contains("linux/s390x") && pull.err().contains("--platform"));
        Result docker = jpod.docker("pull", r);
        assertNotEquals(docker.toString(), 0, docker.code());
        assertTrue(docker.err(), docker.err().contains(host) && docker.err().contains("s390x"));
        Result podman = jpod.run(List.of("podman", "--remote", "pull", r), 120);
        assertEquals(podman.toString(), 125, podman.code());
        assertTrue(podman.err(), podman.err().contains(host) && podman.err().contains("s390x"));
        assertFalse(images().contains("s390x/bb"));
        Result chosen = jpodOk("pull", "-q", "--platform", "linux/s390x", r);
        assertEquals(chosen.toString(), 64, chosen.out().strip().length());
        assertTrue(images().contains("s390x/bb:v1"));
        assertEquals("the platform its config names", "s390x linux",
                jpod.docker("image", "inspect", "--format", "{{.Architecture}} {{.Os}}", r).out().strip());
    }

    /** {@code <name>/bb:v1} in the registry: a 1 MB base layer of random files and a layer of one big file. */
    private static LocalRegistry.Image bigImage(String name, int megabytes) throws Exception {
        Path base = work.resolve(name + "-base.tar");
        randomTar(work.resolve(name + "-base"), base, 1);
        LocalRegistry.Image i = LocalRegistry.writeBig(work.resolve("layout-" + name), "v1", base, megabytes);
        registry.put(i, name + "/bb:v1", null);
        return i;
    }

    @Test
    public void aConnectionDroppedMidLayerStoresNothingAndTheNextPullCompletes() throws Exception {
        LocalRegistry.Image i = bigImage("cut", 60);
        String r = "127.0.0.1:" + proxy.port() + "/cut/bb:v1";
        String before = images();
        proxy.cutAfter.set(8L << 20);
        Result pull;
        try {
            pull = jpod.jpod("pull", r);
        } finally {
            proxy.cutAfter.set(-1);
        }
        assertTrue("the proxy cut a connection", proxy.cuts.get() > 0);
        assertEquals(pull.toString(), 125, pull.code());
        assertTrue(pull.err(), pull.err().contains(i.layerDigests().get(1)) || pull.err().contains("127.0.0.1:"
                + proxy.port()));
        assertFalse(pull.err(), pull.err().contains("Exception"));
        assertEquals(before, images());
        assertTrue("only whole layers wait in the spool, not the cut one", spoolBytes() < (4L << 20));
        String base = i.layerDigests().get(0);
        assertEquals(registry.log(), 1, registry.blobGets(base));
        String id = jpodOk("pull", "-q", r).out().strip();
        assertEquals(64, id.length());
        assertTrue(images().contains("cut/bb:v1"));
        assertEquals("the whole base layer is reused, not fetched again", 1, registry.blobGets(base));
        assertSpoolEmpty();
    }

    /**
     * A pull or push whose client goes away (curl giving up, as a docker CLI killed with ^C) stops, as dockerd's
     * and podman's do: it stops moving bytes, a pull stores nothing (the next one completes), a push sends no
     * manifest.
     */
    @Test
    public void aPullOrPushWhoseClientGoesAwayStops() throws Exception {
        bigImage("gone", 40);
        String ref = "127.0.0.1:" + proxy.port() + "/gone/bb";
        String before = images();
        // a slow link: the 40 MB layer would take half a minute
        proxy.slowAfter.set(2L << 20);
        try {
            for (String path : List.of("/v1.41/images/create?fromImage=" + ref + "&tag=v1",
                    "/v4.3.1/libpod/images/pull?reference=" + ref + ":v1")) {
                abandon(path);
                assertEquals(before, images());
            }
        } finally {
            proxy.slowAfter.set(-1);
        }
        String id = jpodOk("pull", "-q", ref + ":v1").out().strip();
        assertEquals(64, id.length());
        assertTrue(images().contains("gone/bb:v1"));

        String pushed = "127.0.0.1:" + proxy.port() + "/gone/pushed";
        jpodOk("tag", ref + ":v1", pushed + ":v1");
        proxy.slowAfter.set(2L << 20);
        try {
            for (String path : List.of("/v1.41/images/" + pushed + "/push?tag=v1",
                    "/v4.3.1/libpod/images/" + pushed + ":v1/push?destination=" + pushed + ":v1")) {
                abandon(path);
                Result m = jpod.run(List.of("curl", "-s", "-o", "/dev/null", "-w", "%{http_code}",
                        "http://127.0.0.1:" + registry.port + "/v2/gone/pushed/manifests/v1"), 30);
                assertEquals("the registry has no manifest of the push " + path + " stopped", "404", m.out().strip());
            }
        } finally {
            proxy.slowAfter.set(-1);
        }
        jpodOk("rmi", ref + ":v1", pushed + ":v1");
        assertSpoolEmpty();
    }

    /** POSTs {@code path} and goes away after 3 s; then no more bytes move between jpod and the registry. */
    private static void abandon(String path) throws Exception {
        Result r = jpod.run(List.of("curl", "-sS", "--unix-socket", jpod.socket.toString(), "-X", "POST",
                "-H", "X-Registry-Auth: e30=", "--max-time", "3", "http://d" + path), 30);
        assertEquals("curl gave up after 3 s: " + r, 28, r.code());
        // the registry's connections may stay open, idle, for the next transfer
        long end = System.currentTimeMillis() + 15_000;
        long last = -1;
        while (proxy.carried.get() != last && System.currentTimeMillis() < end) {
            last = proxy.carried.get();
            Thread.sleep(1000);
        }
        assertEquals("bytes still moving between jpod and the registry after the client of " + path + " went away",
                last, proxy.carried.get());
    }

    private static long spoolBytes() throws IOException {
        Path spool = jpod.dir.resolve("storage/jpod-image/tmp");
        if (!Files.isDirectory(spool)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(spool)) {
            long sum = 0;
            for (Path p : files.filter(Files::isRegularFile).toList()) {
                sum += Files.size(p);
            }
            return sum;
        }
    }

    @Test
    public void aDiskThatFillsFailsClearlyAndTheStoreStaysConsistent() throws Exception {
        LocalRegistry.Image i = LocalRegistry.writeBig(work.resolve("layout-full"), "v1", rootfs(), 60);
        registry.put(i, "full/bb:v1", null);
        String r = registry.address() + "/full/bb:v1";
        String before = images();
        var store = Files.getFileStore(storageMount);
        long used = store.getTotalSpace() - store.getUnallocatedSpace();
        long size = (used >> 20) + 24;
        remount(size + "m");
        Result pull;
        try {
            pull = jpod.jpod("pull", r);
        } finally {
            remount("1g");
        }
        assertEquals(pull.toString(), 125, pull.code());
        assertTrue(pull.err(), pull.err().toLowerCase(Locale.ROOT).contains("no space left on"));
        assertFalse(pull.err(), pull.err().contains("Exception"));
        assertEquals(before, images());
        assertSpoolEmpty();
        assertEquals("hello", jpodOk("run", "--rm", "--network", "none", "busybox", "echo", "hello").out());
        String id = jpodOk("pull", "-q", r).out().strip();
        assertEquals(64, id.length());
        assertEquals(String.valueOf(60 << 20), jpodOk("run", "--rm", "--network", "none", r, "sh", "-c",
                "wc -c < /big").out().strip());
    }

    @Test
    public void concurrentPullsOfImagesSharingALayerFetchItOnce() throws Exception {
        Path shared = work.resolve("shared.tar");
        randomTar(work.resolve("shared"), shared, 8);
        LocalRegistry.Image a = LocalRegistry.write(work.resolve("layout-sa"), "v1", shared, "share-a");
        LocalRegistry.Image b = LocalRegistry.write(work.resolve("layout-sb"), "v1", shared, "share-b");
        assertEquals(a.layerDigests().get(0), b.layerDigests().get(0));
        registry.put(a, "share-a/x:v1", null);
        registry.put(b, "share-b/x:v1", null);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Result>> pulls = new ArrayList<>();
            for (String repo : List.of("share-a", "share-b", "share-a", "share-b")) {
                pulls.add(pool.submit(() -> jpod.jpod("pull", "-q", registry.address() + "/" + repo + "/x:v1")));
            }
            for (Future<Result> f : pulls) {
                Result res = f.get();
                assertEquals(res.toString(), 0, res.code());
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(registry.log(), 1, registry.blobGets(a.layerDigests().get(0)));
        assertEquals(1, registry.blobGets(a.layerDigests().get(1)));
        assertEquals(1, registry.blobGets(b.layerDigests().get(1)));
        String list = images();
        assertTrue(list, list.contains("share-a/x:v1") && list.contains("share-b/x:v1"));
    }

    private static void remount(String size) throws Exception {
        Result m = jpod.run(List.of("mount", "-o", "remount,size=" + size, storageMount.toString()), 30);
        assertEquals("remount: " + m, 0, m.code());
    }

    private static void assertSpoolEmpty() throws IOException {
        Path spool = jpod.dir.resolve("storage/jpod-image/tmp");
        if (Files.isDirectory(spool)) {
            try (Stream<Path> files = Files.list(spool)) {
                assertEquals("nothing half stored in the spool", List.of(), files.toList());
            }
        }
    }

    /** A tar of one file of {@code megabytes} random bytes. */
    private static void randomTar(Path src, Path tar, int megabytes) throws Exception {
        Files.createDirectories(src);
        LocalRegistry.run(List.of("sh", "-c", "head -c " + megabytes + "M /dev/urandom > " + src.resolve("data")));
        LocalRegistry.run(List.of("tar", "--sort=name", "--mtime=@0", "--owner=0", "--group=0", "-C", src.toString(),
                "-cf", tar.toString(), "data"));
    }

    /**
     * A TCP proxy on loopback to the registry: while {@link #cutAfter} is set, a connection that has carried that
     * many bytes from the registry is closed (both ways), as a network that drops it.
     */
    static final class CuttingProxy implements AutoCloseable {
        final AtomicLong cutAfter = new AtomicLong(-1);
        final AtomicLong cuts = new AtomicLong();
        /** While set: past that many bytes, a connection carries about 1 MB/s each way. */
        final AtomicLong slowAfter = new AtomicLong(-1);
        /** Bytes carried, both ways. */
        final AtomicLong carried = new AtomicLong();
        private final ServerSocket server;
        private final int target;
        private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "cutting-proxy");
            t.setDaemon(true);
            return t;
        });

        CuttingProxy(int target) throws IOException {
            this.target = target;
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            threads.submit(this::accept);
        }

        int port() {
            return server.getLocalPort();
        }

        private void accept() {
            while (!server.isClosed()) {
                try {
                    Socket client = server.accept();
                    Socket up = new Socket();
                    up.connect(new InetSocketAddress("127.0.0.1", target), 5000);
                    threads.submit(() -> pump(client, up, false));
                    threads.submit(() -> pump(up, client, true));
                } catch (IOException e) {
                    // closed, or the registry refused: the client sees its connection closed
                }
            }
        }

        private void pump(Socket from, Socket to, boolean counted) {
            byte[] buf = new byte[64 * 1024];
            long carried = 0;
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buf, 0, slowAfter.get() >= 0 ? 16 * 1024 : buf.length)) > 0) {
                    out.write(buf, 0, n);
                    carried += n;
                    this.carried.addAndGet(n);
                    long cut = cutAfter.get();
                    if (counted && cut >= 0 && carried >= cut) {
                        cuts.incrementAndGet();
                        break;
                    }
                    long slow = slowAfter.get();
                    if (slow >= 0 && carried >= slow) {
                        Thread.sleep(16);
                    }
                }
            } catch (IOException e) {
                // the other side closed
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {

                closeQuietly(from);
                closeQuietly(to);
            }
        }

        private static void closeQuietly(Socket s) {
            try {
                s.close();
            } catch (IOException e) {
                // closing anyway
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
            threads.shutdownNow();
        }
    }
}
