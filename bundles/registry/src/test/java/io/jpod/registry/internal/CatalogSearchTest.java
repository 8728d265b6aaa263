package io.jpod.registry.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.junit.Assume.assumeTrue;

import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;
import io.jpod.api.registry.ImageReference;
import io.jpod.api.registry.RegistryOptions;
import io.jpod.api.registry.SearchResult;
import java.io.IOException;
import java.net.InetAddress;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Search against a real docker-registry on loopback (its catalog, paged by its {@code Link} headers, and tags),
 * a server that serves no catalog, and bad terms and limits.
 */
public class CatalogSearchTest {
    @ClassRule
    public static TemporaryFolder tmp = new TemporaryFolder();

    private static RegistryServer registry;
    private static ServerSocket noCatalog;
    private static RegistryService service;

    @BeforeClass
    public static void start() throws Exception {
        assumeTrue("docker-registry and skopeo are installed", RegistryServer.available());
        Path root = tmp.getRoot().toPath();
        registry = RegistryServer.start(root.resolve("registry"), null, null);
        TestImages.Layout layout = TestImages.write(root.resolve("layout"));
        for (String repo : List.of("search/bb-one", "search/bb-two", "search/other", "bb-three", "zz/bb-four")) {
            RegistryServer.skopeoCopy(layout.dir(), "v1", registry.address() + "/" + repo + ":v1", null, false);
        }
        RegistryServer.skopeoCopy(layout.dir(), "v1", registry.address() + "/search/bb-one:v2", null, false);
        RegistryServer.skopeoCopy(layout.dir(), "v1", registry.address() + "/search/bb-one:v3", null, false);
        noCatalog = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(CatalogSearchTest::serveNoCatalog, "no-catalog");
        t.setDaemon(true);
        t.start();
        Path dir = Files.createDirectories(root.resolve("svc"));
        Path conf = dir.resolve("registries.conf");
        Files.writeString(conf, "unqualified-search-registries = [\"" + registry.address() + "\"]\n");
        service = new RegistryService(new RegistryService.Settings(null, null, conf, List.of(dir.resolve("certs.d")),
                Duration.ofSeconds(5), Duration.ofSeconds(10), Map.of("REGISTRY_AUTH_FILE",
                        dir.resolve("auth.json").toString()), true));
    }

    /**
     * A registry that serves no catalog: {@code /v2/} answers 200, all else 404; a TLS hello is hung up on, so that
     * jpod falls back to plain HTTP as for any insecure registry.
     */
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
                String path = head.toString().split(" ")[1];
                boolean root = path.equals("/v2/");
                String body = root ? "{}" : "{\"errors\":[{\"code\":\"NOT_FOUND\",\"message\":\"no catalog\"}]}";
                String answer = "HTTP/1.1 " + (root ? "200 OK" : "404 Not Found") + "\r\nContent-Type: application/json"
                        + "\r\nDocker-Distribution-Api-Version: registry/2.0\r\nConnection: close\r\nContent-Length: "
                        + body.length() + "\r\n\r\n" + body;
                c.getOutputStream().write(answer.getBytes(StandardCharsets.US_ASCII));
            } catch (IOException | RuntimeException e) {
                // the next connection
            }
        }
    }

    @AfterClass
    public static void stop() {
        if (service != null) {
            service.close();
        }
        if (noCatalog != null) {
            try {
                noCatalog.close();
            } catch (IOException e) {
                // closed
            }
        }
        if (registry != null) {
            registry.close();
        }
    }

    private static List<String> names(List<SearchResult> r) {
        return r.stream().map(SearchResult::name).sorted().toList();
    }

    @Test
    public void aTermWithARegistrySearchesItsCatalog() {
        String reg = registry.address();
        List<SearchResult> r = service.search(reg + "/bb", 0, false, RegistryOptions.defaults());
        assertEquals(List.of(reg + "/bb-three", reg + "/search/bb-one", reg + "/search/bb-two", reg + "/zz/bb-four"),
                names(r));
        SearchResult one = r.get(0);
        assertEquals(reg, one.index());
        assertEquals("", one.description());
        assertEquals(0, one.stars());
        assertNull(one.tag());
        assertEquals(List.of(reg + "/search/other"), names(service.search(reg + "/other", 0, false, null)));
        assertTrue(names(service.search(reg + "/", 0, false, null)).containsAll(List.of(reg + "/search/other",
                reg + "/bb-three")));
        assertEquals(List.of(), service.search(reg + "/nothing-like-it", 0, false, null));
    }

    @Test
    public void aTermWithoutARegistrySearchesTheUnqualifiedSearchRegistries() {
        assertEquals(4, service.search("bb", 0, false, null).size());
        assertEquals(2, service.search("bb", 2, false, null).size());
    }

    @Test
    public void theCatalogIsFollowedPageByPage() {
        RegistryHttp http = new RegistryHttp(new CertsDir(List.of()), Duration.ofSeconds(5), Duration.ofSeconds(10));
        try {
            CatalogSearch s = new CatalogSearch(http, new RegistryClient(http, new TokenAuth(http, Clock.systemUTC())),
                    2);
            List<SearchResult> r = s.search(registry.address() + "/bb", 0, false, List.of(),
                    ref -> new RegistryClient.Target(ref, true, null));
            assertEquals(4, r.size()); // five repositories, two a page: three pages
            assertEquals(3, s.search(registry.address() + "/bb", 3, false, List.of(),
                    ref -> new RegistryClient.Target(ref, true, null)).size());
            List<SearchResult> tags = s.search(registry.address() + "/search/bb-one", 0, true, List.of(),
                    ref -> new RegistryClient.Target(ref, true, null));
            assertEquals(List.of("v1", "v2", "v3"), tags.stream().map(SearchResult::tag).sorted().toList());
        } finally {
            http.close();
        }
    }

    @Test
    public void tagsAreListedForOneRepository() {
        String reg = registry.address();
        List<SearchResult> r = service.search(reg + "/search/bb-one", 0, true, null);
        assertEquals(List.of("v1", "v2", "v3"), r.stream().map(SearchResult::tag).sorted().toList());
        assertTrue(r.stream().allMatch(x -> x.name().equals(reg + "/search/bb-one")));
        assertEquals(2, service.search(reg + "/search/bb-one", 2, true, null).size());
        assertEquals(3, service.search("search/bb-one", 0, true, null).size());
        expect(ErrorCode.INVALID_ARG, "without a tag", () -> service.search(reg + "/search/bb-one:v1", 0, true, null));
        expect(ErrorCode.NO_SUCH_IMAGE, "not found", () -> service.search(reg + "/search/nope", 0, true, null));
    }

    @Test
    public void aRegistryWithoutACatalogIsAClearError() {
        String addr = "127.0.0.1:" + noCatalog.getLocalPort();
        expect(ErrorCode.INVALID_ARG, "registry " + addr + " does not serve a catalog: search needs one",
                () -> service.search(addr + "/bb", 0, false, null));
    }

    @Test
    public void badTermsAndLimitsAreRefused() {
        expect(ErrorCode.INVALID_ARG, "search needs a term", () -> service.search("", 0, false, null));
        expect(ErrorCode.INVALID_ARG, "search needs a term", () -> service.search("  ", 0, false, null));
        expect(ErrorCode.INVALID_ARG, "white space", () -> service.search("a b", 0, false, null));
        expect(ErrorCode.INVALID_ARG, "negative", () -> service.search("bb", -1, false, null));
    }

    @Test
    public void termsSplitAsPodmans() {
        assertEquals(new CatalogSearch.Term("127.0.0.1:5000", "bb"), CatalogSearch.split("127.0.0.1:5000/bb"));
        assertEquals(new CatalogSearch.Term("quay.io", "x/y"), CatalogSearch.split("docker://quay.io/x/y"));
        assertEquals(new CatalogSearch.Term("localhost", "a"), CatalogSearch.split("localhost/a"));
        assertEquals(new CatalogSearch.Term(null, "library/bb"), CatalogSearch.split("library/bb"));
        assertEquals(new CatalogSearch.Term("docker.io", "busybox"), CatalogSearch.split("index.docker.io/busybox"));
    }

    @Test
    public void aBlobIsMountedFromAnotherRepositoryOfTheRegistry() throws IOException {
        String reg = registry.address();
        ImageReference from = service.parse(reg + "/search/bb-one:v1");
        var m = service.manifest(from, new io.jpod.api.registry.Platform("linux", "amd64", null), null);
        String digest = m.layers().get(0).digest();
        ImageReference dest = service.parse(reg + "/mounted/here:v1");
        assertTrue(!service.hasBlob(dest, digest, null));
        assertTrue(service.mountBlob(dest, digest, "search/bb-one", null));
        assertTrue(service.hasBlob(dest, digest, null));
        // a repository that lacks the blob: the registry opens an upload instead, which is cancelled
        String absent = "sha256:" + "0".repeat(64);
        assertTrue(!service.mountBlob(dest, absent, "search/bb-one", null));
        assertTrue(!service.hasBlob(dest, absent, null));
    }

    private static void expect(ErrorCode code, String text, Runnable r) {
        try {
            r.run();
            fail("expected " + code);
        } catch (JpodException e) {
            assertEquals(e.getMessage(), code, e.code());
            assertTrue(e.getMessage(), e.getMessage().contains(text));
        }
    }
}
