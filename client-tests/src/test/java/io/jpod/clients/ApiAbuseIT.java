package io.jpod.clients;

import static io.jpod.clients.ApiSocket.assertError;
import static io.jpod.clients.ApiSocket.call;
import static io.jpod.clients.ApiSocket.connect;
import static io.jpod.clients.ApiSocket.exchange;
import static io.jpod.clients.ApiSocket.readUntil;
import static io.jpod.clients.ApiSocket.request;
import static io.jpod.clients.ApiSocket.write;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.jpod.clients.ApiSocket.Answer;
import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * Bad input and bad manners against the service's socket, spoken byte by byte as a client would: malformed
 * and mistyped JSON, missing images and containers, oversized bodies and headers, clients that go away in
 * the middle of a stream or stall half-way through a request, and 100 clients at once. Each is answered with
 * a 4xx and a JSON message (or a closed connection) and nothing else; afterwards the service still answers,
 * its threads and open files are back near where they were, and nothing half-made is left behind.
 */
public class ApiAbuseIT extends ClientTestSupport {
    private static final String LABEL = "io.jpod.test.abuse";
    /** Threads and fds the service may hold beyond its baseline once a test's clients are gone. */
    private static final int SLACK = 6;

    /** The containers a test made: removed after it, also when it failed. */
    private final List<String> made = new ArrayList<>();
    private Usage baseline;

    @Before
    public void measureBaseline() throws Exception {
        assertEquals("OK", call("GET", "/_ping", null).body());
        baseline = settledUsage();
    }

    @After
    public void removeWhatTheTestMade() throws Exception {
        for (String id : made) {
            call("DELETE", "/v1.44/containers/" + id + "?force=1", null);
        }
        assertEquals("the service answers after the test", "OK", call("GET", "/_ping", null).body());
    }

    // ------------------------------------------------------------------------------------ 1. JSON

    @Test
    public void malformedJsonIsA400NamingTheProblem() throws Exception {
        Set<String> before = allContainers();
        for (String path : List.of("/v1.44/containers/create", "/v4.3.1/libpod/containers/create")) {
            Answer a = call("POST", path, "{\"Image\": \"busybox\", \"Cmd\": [\"true\"");
            assertError(path + " cut short", a, 400, "json");
            a = call("POST", path, "not json at all");
            assertError(path + " not JSON", a, 400, "json");
            a = call("POST", path, "[\"busybox\"]");
            assertError(path + " a list", a, 400, "object");
        }
        assertEquals("nothing was created", before, allContainers());
    }

    @Test
    public void mistypedFieldsAreA400NamingTheField() throws Exception {
        Set<String> before = allContainers();
        String docker = "/v1.44/containers/create";
        assertError("Cmd: 5", call("POST", docker, "{\"Image\": \"busybox\", \"Cmd\": 5}"), 400, "Cmd");
        assertError("Env: {}", call("POST", docker, "{\"Image\": \"busybox\", \"Env\": {\"a\": 1}}"), 400, "Env");
        assertError("Labels: []", call("POST", docker, "{\"Image\": \"busybox\", \"Labels\": [\"a\"]}"), 400,
                "Labels");
        assertError("HostConfig: x", call("POST", docker, "{\"Image\": \"busybox\", \"HostConfig\": \"x\"}"), 400,
                "HostConfig");
        assertError("HostConfig.Binds: 1", call("POST", docker,
                "{\"Image\": \"busybox\", \"HostConfig\": {\"Binds\": 1}}"), 400, "Binds");
        String libpod = "/v4.3.1/libpod/containers/create";
        assertError("command: 5", call("POST", libpod, "{\"image\": \"busybox\", \"command\": 5}"), 400, "command");
        assertError("env: []", call("POST", libpod, "{\"image\": \"busybox\", \"env\": [\"a=1\"]}"), 400, "env");
        assertError("netns: x", call("POST", libpod, "{\"image\": \"busybox\", \"netns\": \"x\"}"), 400, "netns");
        assertEquals("nothing was created", before, allContainers());
        // a login's registry that is not text is refused, not taken for docker.io's (which would be asked)
        for (String auth : List.of("/v1.44/auth", "/v4.3.1/libpod/auth")) {
            assertError(auth + " serveraddress: 5", call("POST", auth,
                    "{\"username\": \"u\", \"password\": \"p\", \"serveraddress\": 5}"), 400, "serveraddress");
            // nor is one that is no host[:port] (the fuzzer's seed 18858540600011 sent "https://\r\n/")
            assertError(auth + " serveraddress: CR LF", call("POST", auth,
                    "{\"username\": \"u\", \"password\": \"p\", \"serveraddress\": \"https://\\r\\n/\"}"), 400,
                    "invalid registry address");
        }
    }

    /**
     * Unknown fields are ignored, as Docker's and podman's servers ignore them (Go's encoding/json does): real
     * clients newer than the server send fields it has never heard of, and must still be served.
     */
    @Test
    public void unknownFieldsAreIgnored() throws Exception {
        Answer a = call("POST", "/v1.44/containers/create", """
                {"Image": "busybox", "Cmd": ["true"], "AFieldFromTheFuture": {"x": 1},
                 "HostConfig": {"NetworkMode": "none", "AnotherOne": [1, 2]}}""");
        assertEquals(a.toString(), 201, a.status());
        made.add(a.json().path("Id").asText());
        a = call("POST", "/v4.3.1/libpod/containers/create", """
                {"image": "busybox", "command": ["true"], "a_field_from_the_future": true,
                 "netns": {"nsmode": "none", "another_one": 1}}""");
        assertEquals(a.toString(), 201, a.status());
        made.add(a.json().path("Id").asText());
    }

    // ------------------------------------------------------------------------------------ 2. not found, bad names

    @Test
    public void missingImageAndUnknownContainersAre404s() throws Exception {
        Set<String> before = allContainers();
        assertError("docker create", call("POST", "/v1.44/containers/create",
                "{\"Image\": \"no-such-image:never\"}"), 404, "no-such-image");
        assertError("libpod create", call("POST", "/v4.3.1/libpod/containers/create",
                "{\"image\": \"no-such-image:never\"}"), 404, "no-such-image");
        String longId = "a".repeat(4000);
        for (String id : List.of("no-such-container", "0123456789ab", longId, "%2e%2e", "..%2F..%2Fetc")) {
            for (String prefix : List.of("/v1.44", "/v4.3.1/libpod")) {
                String c = prefix + "/containers/" + id;
                String what = id.length() > 20 ? id.substring(0, 20) + "..." : id;
                // an encoded dot segment may be refused as an ambiguous path before it names anything
                int status = id.startsWith("%2e") ? -1 : 404;
                String names = status == 404 ? "container" : null;
                assertError("inspect " + what, call("GET", c + "/json", null), status, names);
                assertError("start " + what, call("POST", c + "/start", null), status, names);
                assertError("delete " + what, call("DELETE", c + "?force=1", null), status, names);
            }
        }
        assertEquals("nothing was created", before, allContainers());
    }

    @Test
    public void invalidNamesOnCreateAre400s() throws Exception {
        Set<String> before = allContainers();
        for (String name : List.of("bad%2Fname", "-leading-dash", "sp%20ace", "%C3%A9t%C3%A9")) {
            assertError("docker name " + name, call("POST", "/v1.44/containers/create?name=" + name,
                    "{\"Image\": \"busybox\"}"), 400, "[a-zA-Z0-9][a-zA-Z0-9_.-]");
        }
        assertError("libpod name", call("POST", "/v4.3.1/libpod/containers/create",
                "{\"image\": \"busybox\", \"name\": \"bad/name\"}"), 400, "[a-zA-Z0-9][a-zA-Z0-9_.-]");
        assertEquals("nothing was created", before, allContainers());
    }

    // ------------------------------------------------------------------------------------ 3. oversized

    @Test
    public void oversizedBodyAndHeaderAreRefusedAndTheServiceGoesOn() throws Exception {
        Set<String> before = allContainers();
        byte[] big = ("{\"Image\": \"busybox\", \"Labels\": {\"big\": \"" + "x".repeat(50 * 1024 * 1024) + "\"}}")
                .getBytes(StandardCharsets.UTF_8);
        Answer a = exchange(request("POST", "/v1.44/containers/create", big, List.of()), 60);
        if (a != null) {
            assertError("50 MB body", a, -1, null);
            assertTrue(a.toString(), a.status() == 413 || a.status() == 400);
        }
        assertEquals("OK", call("GET", "/_ping", null).body());

        byte[] head = ("GET /v1.44/_ping HTTP/1.1\r\nHost: d\r\nX-Huge: " + "y".repeat(256 * 1024)
                + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        a = exchange(head, 30);
        if (a != null) {
            assertError("256 KB header", a, -1, null);
            assertTrue(a.toString(), a.status() == 431 || a.status() == 400 || a.status() == 413);
        }
        assertEquals("OK", call("GET", "/_ping", null).body());

        a = exchange("NONSENSE\r\n\r\n".getBytes(StandardCharsets.US_ASCII), 30);
        if (a != null) {
            assertError("not HTTP", a, 400, null);
        }
        assertEquals("OK", call("GET", "/_ping", null).body());
        assertEquals("nothing was created", before, allContainers());
        assertBackNearBaseline();
    }

    // ------------------------------------------------------------------------------------ 4. disconnects

    @Test
    public void clientsThatGoAwayMidAttachOrMidStreamLeaveNothingBehind() throws Exception {
        String id = runTicker();
        for (int i = 0; i < 5; i++) {
            try (SocketChannel ch = connect()) {
                write(ch, request("POST", "/v1.44/containers/" + id + "/attach?stream=1&stdout=1&stderr=1", null,
                        List.of("Connection: Upgrade", "Upgrade: tcp")));
                String seen = readUntil(ch, "tick", 30);
                assertTrue(seen, seen.startsWith("HTTP/1.1 101"));
            }
            try (SocketChannel ch = connect()) {
                write(ch, request("GET", "/v1.44/containers/" + id + "/logs?follow=1&stdout=1&stderr=1&tail=1", null,
                        List.of()));
                String seen = readUntil(ch, "tick", 30);
                assertTrue(seen, seen.startsWith("HTTP/1.1 200"));
            }
            try (SocketChannel ch = connect()) {
                write(ch, request("GET", "/v4.3.1/libpod/containers/" + id + "/logs?follow=1&stdout=1", null,
                        List.of()));
                assertTrue(readUntil(ch, "tick", 30).startsWith("HTTP/1.1 200"));
            }
            for (String events : List.of("/v1.44/events", "/v4.3.1/libpod/events")) {
                try (SocketChannel ch = connect()) {
                    write(ch, request("GET", events, null, List.of()));
                    assertTrue(readUntil(ch, "\r\n\r\n", 30).startsWith("HTTP/1.1 200"));
                }
            }
        }
        // nothing happens now that would wake a stream the service still serves to nobody
        assertBackNearBaseline();
        JsonNode state = call("GET", "/v1.44/containers/" + id + "/json", null).json().path("State");
        assertTrue("the container runs on: " + state, state.path("Running").asBoolean());
        String log = call("GET", "/v1.44/containers/" + id + "/logs?stdout=1&tail=2", null).body();
        assertTrue(log, log.contains("tick"));
        Answer rm = call("DELETE", "/v1.44/containers/" + id + "?force=1", null);
        assertEquals(rm.toString(), 204, rm.status());
        made.remove(id);
        assertFalse(allContainers().contains(id));
    }

    // ------------------------------------------------------------------------------------ 5. slow clients

    @Test
    public void slowClientsDoNotKeepOthersWaiting() throws Exception {
        List<SocketChannel> slow = new ArrayList<>();
        try {
            for (int i = 0; i < 20; i++) {
                SocketChannel half = connect();
                slow.add(half);
                write(half, "GET /v1.44/containers/json HTTP/1.1\r\nHost: d\r\nAccept: "
                        .getBytes(StandardCharsets.US_ASCII));
                SocketChannel body = connect();
                slow.add(body);
                write(body, ("POST /v1.44/containers/create HTTP/1.1\r\nHost: d\r\nContent-Type: application/json\r\n"
                        + "Content-Length: 100\r\n\r\n{\"Image\": \"bu").getBytes(StandardCharsets.US_ASCII));
            }
            assertEquals("OK", call("GET", "/_ping", null).body());
            assertEquals(200, call("GET", "/v1.44/containers/json?all=1", null).status());
            Answer created = call("POST", "/v1.44/containers/create", """
                    {"Image": "busybox", "Cmd": ["true"], "HostConfig": {"NetworkMode": "none"}}""");
            assertEquals(created.toString(), 201, created.status());
            String id = created.json().path("Id").asText();
            made.add(id);
            assertEquals(204, call("POST", "/v1.44/containers/" + id + "/start", null).status());
            Answer waited = call("POST", "/v1.44/containers/" + id + "/wait", null);
            assertEquals(waited.toString(), 0, waited.json().path("StatusCode").asInt(-1));
            assertEquals(204, call("DELETE", "/v1.44/containers/" + id, null).status());
            made.remove(id);
        } finally {
            for (SocketChannel ch : slow) {
                ch.close();
            }
        }
        assertBackNearBaseline();
    }

    // ------------------------------------------------------------------------------------ 6. 100 at once

    @Test(timeout = 600_000)
    public void aHundredConcurrentClientsLoseNothingAndDeadlockNowhere() throws Exception {
        int clients = 100;
        Set<String> before = allContainers();
        Set<String> kept = ConcurrentHashMap.newKeySet();
        Set<String> removed = ConcurrentHashMap.newKeySet();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<?>> runs = new ArrayList<>();
        try {
            for (int i = 0; i < clients; i++) {
                boolean keep = i % 10 == 0;
                int n = i;
                runs.add(pool.submit(() -> {
                    Answer a = call("POST", "/v1.44/containers/create?name=abuse-" + n, """
                            {"Image": "busybox", "Cmd": ["true"], "Labels": {"%s": "%s"},
                             "HostConfig": {"NetworkMode": "none"}}""".formatted(LABEL, keep ? "keep" : "remove"));
                    assertEquals(a.toString(), 201, a.status());
                    String id = a.json().path("Id").asText();
                    (keep ? kept : removed).add(id);
                    a = call("POST", "/v1.44/containers/" + id + "/start", null);
                    assertEquals("start abuse-" + n + ": " + a, 204, a.status());
                    a = call("POST", "/v1.44/containers/" + id + "/wait", null);
                    assertEquals("wait abuse-" + n + ": " + a, 200, a.status());
                    assertEquals("wait abuse-" + n + ": " + a, 0, a.json().path("StatusCode").asInt(-1));
                    if (!keep) {
                        a = call("DELETE", "/v1.44/containers/" + id, null);
                        assertEquals("delete abuse-" + n + ": " + a, 204, a.status());
                    }
                    return null;
                }));
            }
            for (Future<?> f : runs) {
                f.get(); // an assertion failed in a client comes out here
            }
        } finally {
            pool.shutdownNow();
            made.addAll(kept);
            made.addAll(removed);
        }
        assertEquals(clients / 10, kept.size());
        assertEquals(clients - clients / 10, removed.size());
        Set<String> after = allContainers();
        after.removeAll(before);
        assertEquals("exactly the kept containers remain", new TreeSet<>(kept), new TreeSet<>(after));
        Answer labelled = call("GET", "/v1.44/containers/json?all=1&filters="
                + java.net.URLEncoder.encode("{\"label\":[\"" + LABEL + "=keep\"]}", StandardCharsets.UTF_8), null);
        assertEquals(labelled.toString(), kept.size(), labelled.json().size());
        for (JsonNode c : labelled.json()) {
            assertEquals(c.toString(), "exited", c.path("State").asText());
            assertTrue(c.toString(), c.path("Status").asText().startsWith("Exited (0)"));
        }
        for (String id : removed) {
            assertError("inspect of a removed one", call("GET", "/v1.44/containers/" + id + "/json", null), 404,
                    "container");
        }
        for (String id : kept) {
            assertEquals(204, call("DELETE", "/v1.44/containers/" + id, null).status());
        }
        made.clear();
        assertEquals(before, allContainers());
        Set<String> all = new HashSet<>(kept);
        all.addAll(removed);
        assertEquals("conmon processes left", List.of(), conmonsOf(all));
        assertEquals("mounts left", List.of(), mountsOf(all));
        assertBackNearBaseline();
        assertPoolShrinksBack();
    }

    // ------------------------------------------------------------------------------------ the service's health

    /**
     * The service's threads outside the API's pool (the pool's workers, jpod-api-N, come and go with the
     * load and go once idle for a minute), all its threads, and its open file descriptors.
     */
    record Usage(int threads, int allThreads, int fds) {
    }

    private static Usage usage() throws IOException {
        Path proc = Path.of("/proc", Long.toString(jpod.pid()));
        int all = 0;
        int pool = 0;
        try (Stream<Path> s = Files.list(proc.resolve("task"))) {
            for (Path t : s.toList()) {
                try {
                    String name = Files.readString(t.resolve("comm")).trim();
                    all++;
                    if (name.startsWith("jpod-api-")) {
                        pool++;
                    }
                } catch (IOException gone) {
                    // ended meanwhile
                }
            }
        }
        int fds;
        try (Stream<Path> s = Files.list(proc.resolve("fd"))) {
            fds = (int) s.count();
        }
        return new Usage(all - pool, all, fds);
    }

    /**
     * The API's threads that are in jpod's code now, from the JVM's own thread dump: with no client
     * connected there should be none (an idle worker waits in Jetty's pool).
     */
    private static List<String> apiThreadsServing() throws Exception {
        JpodService.Result dump = jpod.run(List.of("jcmd", Long.toString(jpod.pid()), "Thread.print"), 60);
        assertEquals("jcmd: " + dump, 0, dump.code());
        List<String> serving = new ArrayList<>();
        for (String thread : dump.out().split("\n\\s*\n")) {
            if (thread.startsWith("\"jpod-api-") && thread.contains("io.jpod.")) {
                serving.add(thread);
            }
        }
        return serving;
    }

    /** The usage once it has held still for a second (after the calls of the test before). */
    private static Usage settledUsage() throws Exception {
        apiThreadsServing(); // the first thread dump starts the JVM's attach listener for good
        Usage last = usage();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < end) {
            Thread.sleep(1000);
            Usage now = usage();
            if (now.equals(last)) {
                return now;
            }
            last = now;
        }
        return last;
    }

    /**
     * Polls until no API thread serves a request any more and the threads outside the API's pool and the
     * open fds are back near the baseline.
     */
    private void assertBackNearBaseline() throws Exception {
        Usage[] now = {usage()};
        List<List<String>> serving = new ArrayList<>(List.of(List.of()));
        boolean back = poll(60, () -> {
            try {
                now[0] = usage();
                serving.set(0, apiThreadsServing());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            return serving.get(0).isEmpty() && now[0].threads() <= baseline.threads() + SLACK
                    && now[0].fds() <= baseline.fds() + SLACK;
        });
        assertTrue("threads outside the API's pool and fds back near " + baseline + " within 60 s, and no API "
                + "thread serving, but " + now[0] + "; threads: " + threadNames() + "; serving: " + serving.get(0),
                back);
    }

    /** After a burst the API's pool shrinks back: all threads near the baseline within a few minutes. */
    private void assertPoolShrinksBack() throws Exception {
        Usage[] now = {usage()};
        boolean back = poll(240, () -> {
            try {
                now[0] = usage();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            return now[0].allThreads() <= baseline.allThreads() + SLACK;
        });
        assertTrue("all threads back near " + baseline + " within 240 s, but " + now[0] + "; threads: "
                + threadNames(), back);
    }

    /** The names of the service's threads, for a failure's message. */
    private static String threadNames() throws IOException {
        List<String> names = new ArrayList<>();
        try (Stream<Path> s = Files.list(Path.of("/proc", Long.toString(jpod.pid()), "task"))) {
            for (Path t : s.toList()) {
                try {
                    names.add(Files.readString(t.resolve("comm")).trim());
                } catch (IOException gone) {
                    // ended meanwhile
                }
            }
        }
        names.sort(null);
        return String.join(",", names);
    }

    private static boolean poll(int seconds, BooleanSupplier ok) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!ok.getAsBoolean()) {
            if (System.nanoTime() > end) {
                return false;
            }
            Thread.sleep(250);
        }
        return true;
    }

    private static List<String> conmonsOf(Set<String> ids) throws IOException {
        List<String> out = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                try {
                    String cmdline = Files.readString(p.resolve("cmdline")).replace('\0', ' ');
                    if (cmdline.contains("conmon") && ids.stream().anyMatch(cmdline::contains)) {
                        out.add(cmdline);
                    }
                } catch (IOException gone) {
                    // exited meanwhile
                }
            }
        }
        return out;
    }

    private static List<String> mountsOf(Set<String> ids) throws IOException {
        return Files.readAllLines(Path.of("/proc/mounts")).stream()
                .filter(l -> l.contains(jpod.dir.toString()) && ids.stream().anyMatch(l::contains)).toList();
    }

    // ------------------------------------------------------------------------------------ containers

    private static Set<String> allContainers() throws Exception {
        Answer a = call("GET", "/v1.44/containers/json?all=1", null);
        assertEquals(a.toString(), 200, a.status());
        Set<String> ids = new TreeSet<>();
        for (JsonNode c : a.json()) {
            ids.add(c.path("Id").asText());
        }
        return ids;
    }

    /** A running container that writes "tick" to stdout every 0.1 s. */
    private String runTicker() throws Exception {
        Answer a = call("POST", "/v1.44/containers/create", """
                {"Image": "busybox", "Cmd": ["sh", "-c", "while true; do echo tick; sleep 0.1; done"],
                 "HostConfig": {"NetworkMode": "none"}}""");
        assertEquals(a.toString(), 201, a.status());
        String id = a.json().path("Id").asText();
        made.add(id);
        assertEquals(204, call("POST", "/v1.44/containers/" + id + "/start", null).status());
        return id;
    }
}
