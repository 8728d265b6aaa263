package io.jpod.clients;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jpod.clients.JpodService.Result;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * The rest of the registry work, through the docker CLI, podman --remote and jpod's CLI against Debian's
 * docker-registry on loopback: search of its catalog (and a registry that serves none, bad terms and limits);
 * pulls for another platform of an OCI index of two platforms (docker's --platform, libpod's os/arch/variant,
 * jpod's --platform and --arch/--os/--variant); and a push to another repository of the same registry that
 * mounts the blobs instead of sending them.
 */
public class RegistrySearchIT extends ClientTestSupport {
    private static LocalRegistry registry;
    private static Path work;
    private static String reg;
    private static String multi;
    private static ServerSocket noCatalog;

    @BeforeClass
    public static void startRegistry() throws Exception {
        assumeTrue("docker-registry and skopeo are installed", LocalRegistry.available());
        work = Files.createTempDirectory("jpod-registry-search-it-");
        registry = LocalRegistry.start(work.resolve("registry"), null, null, "127.0.0.1", null, true);
        reg = registry.address();
        LocalRegistry.Image img = LocalRegistry.write(work.resolve("layout"), "v1", rootfs(), "search-it");
        for (String repo : List.of("search/bb-one", "search/bb-two", "search/other", "zz/bb-three")) {
            registry.put(img, repo + ":v1", null);
        }
        registry.put(img, "search/bb-one:v2", null);
        registry.put(LocalRegistry.write(work.resolve("layout-zstd"), "v1", rootfs(), "mount-it", true), "mnt/src:v1",
                null);
        Path two = twoPlatforms(work.resolve("two"));
        LocalRegistry.run(List.of("skopeo", "copy", "-q", "--all", "--preserve-digests", "--dest-tls-verify=false",
                "oci:" + two + ":multi", "docker://" + reg + "/test/multi:v1"));
        multi = reg + "/test/multi:v1";
        noCatalog = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(RegistrySearchIT::serveNoCatalog, "no-catalog");
        t.setDaemon(true);
        t.start();
    }

    @AfterClass
    public static void stopRegistry() throws Exception {
        if (noCatalog != null) {
            noCatalog.close();
        }
        if (registry != null) {
            registry.close();
        }
        JpodService.deleteTree(work);
    }

    private static Path rootfs() {
        return jpod.home.resolve("etc/busybox.tar");
    }

    /** An OCI layout whose tag {@code multi} is an index of linux/amd64 and linux/arm64/v8, each with a marker. */
    private static Path twoPlatforms(Path layout) throws Exception {
        Files.createDirectories(layout.resolve("blobs/sha256"));
        Files.writeString(layout.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        byte[] base = Files.readAllBytes(rootfs());
        String baseDigest = blob(layout, base);
        ObjectNode index = LocalRegistry.JSON.createObjectNode();
        index.put("schemaVersion", 2);
        index.put("mediaType", "application/vnd.oci.image.index.v1+json");
        ArrayNode entries = index.putArray("manifests");
        for (String[] p : List.of(new String[] {"amd64", null}, new String[] {"arm64", "v8"})) {
            Path src = Files.createDirectories(layout.getParent().resolve("src-" + p[0]));
            Files.writeString(src.resolve("marker"), "platform " + p[0] + "\n");
            Path tar = layout.getParent().resolve("top-" + p[0] + ".tar");
            LocalRegistry.run(List.of("tar", "--sort=name", "--mtime=@0", "--owner=0", "--group=0", "-C",
                    src.toString(), "-cf", tar.toString(), "marker"));
            byte[] top = Files.readAllBytes(tar);
            String topDigest = blob(layout, top);
            ObjectNode cfg = LocalRegistry.JSON.createObjectNode();
            cfg.put("architecture", p[0]);
            cfg.put("os", "linux");
            if (p[1] != null) {
                cfg.put("variant", p[1]);
            }
            cfg.putObject("config").putArray("Cmd").add("sh");
            ObjectNode rootfs = cfg.putObject("rootfs");
            rootfs.put("type", "layers");
            rootfs.putArray("diff_ids").add(baseDigest).add(topDigest);
            byte[] config = LocalRegistry.JSON.writeValueAsBytes(cfg);
            ObjectNode m = LocalRegistry.JSON.createObjectNode();
            m.put("schemaVersion", 2);
            m.put("mediaType", "application/vnd.oci.image.manifest.v1+json");
            m.set("config", desc("application/vnd.oci.image.config.v1+json", blob(layout, config), config.length));
            m.putArray("layers").add(desc("application/vnd.oci.image.layer.v1.tar", baseDigest, base.length))
                    .add(desc("application/vnd.oci.image.layer.v1.tar", topDigest, top.length));
            byte[] manifest = LocalRegistry.JSON.writeValueAsBytes(m);
            ObjectNode e = desc("application/vnd.oci.image.manifest.v1+json", blob(layout, manifest),
                    manifest.length);
            ObjectNode plat = e.putObject("platform");
            plat.put("architecture", p[0]);
            plat.put("os", "linux");
            if (p[1] != null) {
                plat.put("variant", p[1]);
            }
            entries.add(e);
        }
        byte[] idx = LocalRegistry.JSON.writeValueAsBytes(index);
        ObjectNode top = LocalRegistry.JSON.createObjectNode();
        top.put("schemaVersion", 2);
        ObjectNode d = desc("application/vnd.oci.image.index.v1+json", blob(layout, idx), idx.length);
        d.putObject("annotations").put("org.opencontainers.image.ref.name", "multi");
        top.putArray("manifests").add(d);
        Files.write(layout.resolve("index.json"), LocalRegistry.JSON.writeValueAsBytes(top));
        return layout;
    }

    private static ObjectNode desc(String type, String digest, long size) {
        ObjectNode n = LocalRegistry.JSON.createObjectNode();
        n.put("mediaType", type);
        n.put("digest", digest);
        n.put("size", size);
        return n;
    }

    private static String blob(Path layout, byte[] b) throws Exception {
        String d = LocalRegistry.sha256(b);
        Files.write(layout.resolve("blobs/sha256/" + d.substring(7)), b);
        return d;
    }

    /** A server that answers /v2/ and nothing else: a registry without a catalog (TLS hellos are hung up on). */
    private static void serveNoCatalog() {
        while (!noCatalog.isClosed()) {
            try (Socket c = noCatalog.accept()) {
                c.setSoTimeout(5000);
                InputStream in = c.getInputStream();
                int first = in.read();
                if (first == 0x16 || first < 0) {
                    continue;
                }
                StringBuilder head = new StringBuilder().append((char) first);
                while (!head.toString().endsWith("\r\n\r\n")) {
                    int b = in.read();
                    if (b < 0) {
                        break;
                    }
                    head.append((char) b);
                }
                boolean root = head.toString().split(" ")[1].equals("/v2/");
                String body = root ? "{}" : "{\"errors\":[{\"code\":\"NOT_FOUND\",\"message\":\"not here\"}]}";
                c.getOutputStream().write(("HTTP/1.1 " + (root ? "200 OK" : "404 Not Found")
                        + "\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: " + body.length()
                        + "\r\n\r\n" + body).getBytes(StandardCharsets.US_ASCII));
            } catch (Exception e) {
                // the next connection
            }
        }
    }

    private static String noCatalogAddress() {
        return "127.0.0.1:" + noCatalog.getLocalPort();
    }

    private static Result ok(Result r, String what) {
        assertEquals(what + ": " + r, 0, r.code());
        return r;
    }

    private static String curl(String path) throws Exception {
        return ok(jpod.run(List.of("curl", "-sS", "--max-time", "60", "--unix-socket", jpod.socket.toString(),
                "http://d" + path), 90), "curl " + path).out();
    }

    // ---- search

    @Test
    public void jpodSearchPrintsPodmansTableAndFormats() throws Exception {
        Result r = ok(jpod.jpod("search", reg + "/bb"), "jpod search");
        String[] lines = r.out().split("\n");
        assertTrue(r.out(), lines[0].startsWith("NAME") && lines[0].contains("DESCRIPTION"));
        assertTrue(r.out(), r.out().contains(reg + "/search/bb-one"));
        assertTrue(r.out(), r.out().contains(reg + "/search/bb-two"));
        assertTrue(r.out(), r.out().contains(reg + "/zz/bb-three"));
        assertTrue(r.out(), !r.out().contains("search/other"));
        Result c = ok(jpod.jpod("search", "--compatible", reg + "/other"), "jpod search --compatible");
        assertTrue(c.out(), c.out().matches("(?s)NAME\\s+DESCRIPTION\\s+STARS\\s+OFFICIAL\\s+AUTOMATED\n.*"));
        Result f = ok(jpod.jpod("search", "--format", "{{.Index}} {{.Name}}", "--limit", "2", reg + "/bb"),
                "jpod search --format --limit");
        assertEquals(f.out(), 2, f.out().split("\n").length);
        assertTrue(f.out(), f.out().startsWith(reg + " " + reg + "/"));
        Result t = ok(jpod.jpod("search", "--list-tags", reg + "/search/bb-one"), "jpod search --list-tags");
        assertTrue(t.out(), t.out().matches("(?s)NAME\\s+TAG\n.*"));
        assertTrue(t.out(), t.out().contains(reg + "/search/bb-one  v1") || t.out().matches("(?s).*bb-one\\s+v1.*"));
        assertTrue(t.out(), t.out().matches("(?s).*bb-one\\s+v2.*"));
        Result j = ok(jpod.jpod("search", "--format", "json", reg + "/other"), "jpod search --format json");
        JsonNode n = LocalRegistry.JSON.readTree(j.out());
        assertEquals(reg + "/search/other", n.get(0).path("Name").asText());
        assertEquals(reg, n.get(0).path("Index").asText());
    }

    @Test
    public void podmanRemoteSearches() throws Exception {
        Result r = ok(podman("search", "--tls-verify=false", reg + "/bb"), "podman search");
        assertTrue(r.out(), r.out().contains(reg + "/search/bb-one"));
        assertTrue(r.out(), r.out().contains(reg + "/zz/bb-three"));
        Result t = ok(podman("search", "--list-tags", reg + "/search/bb-one"), "podman search --list-tags");
        assertTrue(t.out(), t.out().matches("(?s).*bb-one\\s+v2.*"));
        Result f = ok(podman("search", "--format", "{{.Name}}", "--limit", "1", reg + "/bb"), "podman --limit");
        assertEquals(f.out(), 1, f.out().split("\n").length);
    }

    @Test
    public void dockerSearches() throws Exception {
        Result r = ok(jpod.docker("search", reg + "/bb"), "docker search");
        assertTrue(r.out(), r.out().startsWith("NAME"));
        assertTrue(r.out(), r.out().contains(reg + "/search/bb-two"));
        Result l = ok(jpod.docker("search", "--limit", "1", "--format", "{{.Name}}", reg + "/bb"), "docker --limit");
        assertEquals(l.out(), 1, l.out().split("\n").length);
        String json = curl("/v1.44/images/search?term=" + reg + "/other");
        JsonNode n = LocalRegistry.JSON.readTree(json);
        assertEquals(json, reg + "/search/other", n.get(0).path("name").asText());
        assertEquals(json, 0, n.get(0).path("star_count").asInt(-1));
        assertTrue(json, n.get(0).has("is_official") && n.get(0).has("is_automated") && n.get(0).has("description"));
        String lib = curl("/v5.0.0/libpod/images/search?term=" + reg + "/search/bb-one&listTags=true&limit=1");
        JsonNode m = LocalRegistry.JSON.readTree(lib);
        assertEquals(lib, 1, m.size());
        assertEquals(lib, reg, m.get(0).path("Index").asText());
        assertTrue(lib, m.get(0).path("Tag").asText().startsWith("v"));
    }

    @Test
    public void searchOfARegistryWithoutCatalogAndBadInputsAreClearErrors() throws Exception {
        String none = noCatalogAddress();
        Result j = jpod.jpod("search", none + "/bb");
        assertEquals(j.toString(), 125, j.code());
        assertTrue(j.err(), j.err().contains("registry " + none + " does not serve a catalog: search needs one"));
        Result d = jpod.docker("search", none + "/bb");
        assertNotEquals(d.toString(), 0, d.code());
        assertTrue(d.err(), d.err().contains("does not serve a catalog"));
        Result p = podman("search", none + "/bb");
        assertNotEquals(p.toString(), 0, p.code());
        assertTrue(p.err(), p.err().contains("does not serve a catalog"));
        Result empty = jpod.jpod("search", "");
        assertEquals(empty.toString(), 125, empty.code());
        assertTrue(empty.err(), empty.err().contains("search term must be specified"));
        String e = jpod.run(List.of("curl", "-sS", "--unix-socket", jpod.socket.toString(),
                "http://d/v1.44/images/search?term="), 30).out();
        assertTrue(e, e.contains("search needs a term"));
        String bad = jpod.run(List.of("curl", "-sS", "-w", " %{http_code}", "--unix-socket", jpod.socket.toString(),
                "http://d/v1.44/images/search?term=" + reg + "/bb&limit=101"), 30).out();
        assertTrue(bad, bad.contains("Limit 101 is outside the range of [1, 100]") && bad.endsWith(" 400"));
        String nan = jpod.run(List.of("curl", "-sS", "-w", " %{http_code}", "--unix-socket", jpod.socket.toString(),
                "http://d/v5.0.0/libpod/images/search?term=" + reg + "/bb&limit=x"), 30).out();
        assertTrue(nan, nan.contains("is not a number") && nan.endsWith(" 400"));
        Result neg = jpod.jpod("search", "--limit", "-3", reg + "/bb");
        assertEquals(neg.toString(), 125, neg.code());
        assertTrue(neg.err(), neg.err().contains("negative"));
        Result tag = jpod.jpod("search", "--list-tags", reg + "/search/bb-one:v1");
        assertEquals(tag.toString(), 125, tag.code());
        assertTrue(tag.err(), tag.err().contains("without a tag"));
    }

    // ---- platforms

    private static String arch(String image) throws Exception {
        return ok(jpod.jpod("inspect", "--type", "image", "--format", "{{.Architecture}}", image), "inspect")
                .out();
    }

    private static void rmi(String image) throws Exception {
        jpod.jpod("rmi", "-f", image);
    }

    @Test
    public void pullsChooseThePlatformAsked() throws Exception {
        rmi(multi);
        ok(jpod.jpod("pull", "-q", "--platform", "linux/arm64/v8", multi), "jpod pull --platform");
        assertEquals("arm64", arch(multi));
        rmi(multi);
        ok(jpod.jpod("pull", "-q", "--arch", "arm64", "--os", "linux", "--variant", "v8", multi),
                "jpod pull --arch --os --variant");
        assertEquals("arm64", arch(multi));
        rmi(multi);
        ok(jpod.jpod("pull", "-q", "--arch", "amd64", multi), "jpod pull --arch amd64");
        assertTrue(arch(multi), arch(multi).startsWith("amd64"));
        rmi(multi);
        ok(jpod.docker("pull", "-q", "--platform", "linux/arm64", multi), "docker pull --platform");
        assertEquals("arm64", ok(jpod.docker("image", "inspect", "--format", "{{.Architecture}}", multi),
                "docker inspect").out());
        rmi(multi);
        ok(podman("pull", "-q", "--arch", "arm64", "--variant", "v8", multi), "podman pull --arch");
        assertEquals("arm64", arch(multi));
        rmi(multi);
        ok(podman("pull", "-q", "--platform", "linux/amd64", multi), "podman pull --platform");
        assertTrue(arch(multi).startsWith("amd64"));
        rmi(multi);
    }

    @Test
    public void aPlatformTheIndexLacksIsAClearError() throws Exception {
        Result j = jpod.jpod("pull", "--platform", "linux/s390x", multi);
        assertEquals(j.toString(), 125, j.code());
        assertTrue(j.err(), j.err().contains("linux/s390x") && j.err().contains("linux/arm64/v8"));
        Result d = jpod.docker("pull", "--platform", "linux/s390x", multi);
        assertNotEquals(d.toString(), 0, d.code());
        assertTrue(d.err(), d.err().contains("s390x"));
        Result p = podman("pull", "--arch", "s390x", multi);
        assertNotEquals(p.toString(), 0, p.code());
        assertTrue(p.err(), p.err().contains("s390x"));
        Result bad = jpod.jpod("pull", "--platform", "linux", multi);
        assertEquals(bad.toString(), 125, bad.code());
    }

    // ---- push

    @Test
    public void aPushToAnotherRepositoryOfTheRegistryMountsTheBlobs() throws Exception {
        String src = reg + "/mnt/src:v1";
        ok(jpod.jpod("pull", "-q", src), "pull");
        String digest = ok(jpod.jpod("inspect", "--type", "image", "--format", "{{index .RepoDigests 0}}", src), "inspect")
                .out();
        String dest = reg + "/mounted/copy:v1";
        ok(jpod.jpod("tag", src, dest), "tag");
        int before = registry.log().split("\n").length;
        Result push = ok(jpod.jpod("push", dest), "jpod push");
        String log = String.join("\n", List.of(registry.log().split("\n")).subList(before,
                registry.log().split("\n").length));
        assertTrue(log, log.contains("mount=sha256") && (log.contains("from=mnt%2Fsrc")
                || log.contains("from=mnt/src")));
        assertTrue(log, !log.contains("PUT /v2/mounted/copy/blobs/uploads/"));
        assertTrue(push.toString(), push.code() == 0);
        // the manifest went as it came: the same digest
        String pushed = ok(jpod.run(List.of("skopeo", "inspect", "--tls-verify=false", "--format", "{{.Digest}}",
                "docker://" + dest), 60), "skopeo inspect").out();
        assertEquals(digest.substring(digest.indexOf('@') + 1), pushed);
        rmi(dest);
        rmi(src);
    }
}
