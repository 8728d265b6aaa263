package io.jpod.clients;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jpod.clients.ApiSocket.Answer;
import io.jpod.clients.ApiSocket.Timed;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.Test;

/**
 * Every route of the REST bundle, both API families, fed what no client should send: malformed JSON, fields of
 * the wrong type, a 20 MB body, 100 000 levels of nesting, invalid UTF-8, path parameters of dot segments, NUL,
 * bad percent-encoding and 5000 characters, odd query parameters. The routes are read from the bundle's route
 * tables (its sources); the inputs come from a seeded generator whose seed is printed (run again with
 * {@code -Dfuzz.seed=N}). No answer may be a 5xx, every head must come within its deadline, and afterwards the
 * service holds exactly the containers, volumes, networks, images and files it held before, but for what a 2xx
 * answer made (removed again).
 */
public class ApiFuzzIT extends ClientTestSupport {
    private static final Pattern ADD = Pattern.compile(
            "(\\w+)\\.add\\(\"(GET|POST|PUT|DELETE|HEAD|PATCH)\",\\s*\"([^\"]+)\"(\\s*\\+\\s*(\\w+))?");
    /** {@code List<String> NAME = List.of("a", "b")}: the values a route's template may end with, in a loop. */
    private static final Pattern CONSTANTS = Pattern.compile("(\\w+) = List\\.of\\(((?:\\s*\"[^\"]*\",?)+)\\)");
    private static final Pattern EACH = Pattern.compile("for \\(String (\\w+) : (\\w+)\\)");
    private static final Pattern BOTH = Pattern.compile("for \\(Router (\\w+) : .*List\\.of\\(docker, libpod\\)\\)");
    private static final Pattern PARAM = Pattern.compile("\\{(\\w+)(\\*?)}");
    private static final int HEAD_SECONDS = 20;
    private static final int TAIL_MILLIS = 300;
    /** Routes that reach a registry with a valid name: they only get names no registry could be asked about. */
    private static final List<String> REGISTRY = List.of("/images/create", "/images/pull", "/images/search", "/auth",
            "/distribution/", "/push");

    private static final String TARGET_CTR = "fuzz-target";
    private static final String ANCHOR_CTR = "fuzz-anchor";
    private static final String TARGET_VOL = "fuzz-target-vol";
    private static final String TARGET_NET = "fuzz-target-net";
    private static final String TARGET_IMAGE = "localhost/fuzz-target:latest";

    record Route(String method, boolean libpod, String template) {
        String prefix() {
            return libpod ? "/v4.3.1/libpod" : "/v1.44";
        }

        @Override
        public String toString() {
            return method + " " + (libpod ? "/libpod" : "") + template;
        }
    }

    private final List<String> problems = new ArrayList<>();
    private String targetImageId;
    private Random random;
    private int requests;
    private int cut;
    private int closed;
    /** Answers by their status's hundreds: [0] unanswered, [2] 2xx, [4] 4xx... */
    private final int[] byClass = new int[6];
    /** The slowest requests, for the run's report: {millis, what}. */
    private final List<Object[]> slowest = new ArrayList<>();

    @Test(timeout = 600_000)
    public void noRouteAnswersA5xxHangsOrLeavesAnythingBehind() throws Exception {
        long seed = Long.getLong("fuzz.seed", System.nanoTime());
        System.out.println("ApiFuzzIT seed " + seed + " (again: -Dfuzz.seed=" + seed + ")");
        random = new Random(seed);
        List<Route> routes = routes();
        assertTrue("the route tables name fewer routes than the API has: " + routes, routes.size() >= 80);

        makeTargets();
        if (routes.contains(new Route("POST", true, "/pods/create"))) {
            // a pod's infra root is made on the first pod's creation and kept for the next ones
            ApiSocket.call("POST", "/v4.3.1/libpod/pods/create", "{\"name\": \"fuzz-warm-up\"}");
            ApiSocket.call("DELETE", "/v4.3.1/libpod/pods/fuzz-warm-up?force=1", null);
        }
        if (routes.contains(new Route("POST", false, "/build"))) {
            // the builder's directory is made on the first build, and kept
            ApiSocket.call("POST", "/v1.41/build?t=fuzz-warm-up", "FROM\n");
        }
        removeTargets(); // a first time, so directories made once on first use are in the baseline
        Snapshot before = snapshot();
        List<String> filesBefore = files();
        List<String> netBefore = ownNetworking();
        makeTargets();
        long start = System.nanoTime();

        for (Route r : routes) {
            fuzz(r);
        }
        oddPaths();

        long seconds = (System.nanoTime() - start) / 1_000_000_000L;
        System.out.println("ApiFuzzIT: " + requests + " requests over " + routes.size() + " routes in " + seconds
                + " s; " + byClass[2] + " 2xx, " + byClass[3] + " 3xx, " + byClass[4] + " 4xx, " + byClass[5] + " 5xx; "
                + cut + " streams cut after their head, " + closed + " connections closed unanswered");
        for (Object[] slow : slowest) {
            System.out.println("ApiFuzzIT: slow: " + slow[0] + " ms " + slow[1]);
        }
        removeTargets();
        Snapshot after = snapshot();
        check("containers", before.containers(), after.containers());
        check("volumes", before.volumes(), after.volumes());
        check("networks", before.networks(), after.networks());
        check("images", before.images(), after.images());
        check("pods", before.pods(), after.pods());
        check("files under " + jpod.dir, filesBefore, files());
        check("host networking of the service's containers and networks", netBefore, ownNetworking());
        assertEquals("OK", ApiSocket.call("GET", "/_ping", null).body());
        assertTrue("seed " + seed + ": " + problems.size() + " problems:\n" + String.join("\n", problems),
                problems.isEmpty());
    }

    /**
     * Each create body at one of its fields' bounds, through both API families: a 400 whose message says what is
     * wrong, and nothing stored (containers, volumes, files) by it.
     */
    @Test
    public void createAtItsFieldsBoundsIsA400SayingWhyAndStoresNothing() throws Exception {
        Snapshot before = snapshot();
        List<String> filesBefore = files();
        List<String> wrong = new ArrayList<>();
        for (String[] e : BOUNDARY) {
            if (e[3] == null) {
                continue;
            }
            String path = (e[0].startsWith("libpod") ? "/v4.3.1/libpod" : "/v1.44") + e[0].substring(7);
            String body = set((ObjectNode) ApiSocket.JSON.readTree(BASES.get(e[0])), e[1],
                    ApiSocket.JSON.readTree(e[2])).toString();
            Answer a = ApiSocket.call("POST", path, body);
            String message = a.status() == 400 ? a.json().path("message").asText() : "";
            if (a.status() != 400 || !message.contains(e[3])) {
                wrong.add(e[0] + " with " + e[1] + " = " + e[2] + ": wanted a 400 saying " + e[3] + ", got " + a);
            }
            if (a.status() >= 200 && a.status() < 300) {
                ApiSocket.call("DELETE", "/v1.44/containers/" + a.json().path("Id").asText() + "?force=1", null);
            }
        }
        assertEquals("answers", List.of(), wrong);
        Snapshot after = snapshot();
        assertEquals("containers", before.containers(), after.containers());
        assertEquals("volumes", before.volumes(), after.volumes());
        assertEquals("files under " + jpod.dir, filesBefore, files());
        JpodService.Result ps = jpod.docker("ps", "-a");
        assertEquals("docker ps -a: " + ps, 0, ps.code());
    }

    // ------------------------------------------------------------------------------------ the route tables

    /** The routes the REST bundle registers, read from its sources: docker.add, libpod.add, both in loops. */
    static List<Route> routes() throws IOException {
        Path dir = Path.of(System.getProperty("basedir", System.getProperty("user.dir")))
                .resolve("../bundles/rest/src/main/java/io/jpod/rest/internal").normalize();
        List<Route> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
                String source = Files.readString(f);
                java.util.Map<String, List<String>> constants = new java.util.HashMap<>();
                Matcher c = CONSTANTS.matcher(source);
                while (c.find()) {
                    List<String> values = new ArrayList<>();
                    Matcher v = Pattern.compile("\"([^\"]*)\"").matcher(c.group(2));
                    while (v.find()) {
                        values.add(v.group(1));
                    }
                    constants.put(c.group(1), values);
                }
                String loopVar = null;
                int loopDepth = -1;
                java.util.Map<String, List<String>> each = new java.util.HashMap<>();
                int depth = 0;
                for (String line : source.split("\n")) {
                    Matcher loop = BOTH.matcher(line);
                    if (loop.find()) {
                        loopVar = loop.group(1);
                        loopDepth = depth;
                    }
                    Matcher e = EACH.matcher(line);
                    if (e.find() && constants.containsKey(e.group(2))) {
                        each.put(e.group(1), constants.get(e.group(2)));
                    }
                    Matcher m = ADD.matcher(line);
                    while (m.find()) {
                        List<String> templates = m.group(5) == null ? List.of(m.group(3))
                                : each.getOrDefault(m.group(5), List.of()).stream().map(t -> m.group(3) + t).toList();
                        if (templates.isEmpty()) {
                            throw new AssertionError("a route of " + f.getFileName() + " is made of " + m.group(3)
                                    + " and a value the test cannot read: " + line.trim());
                        }
                        String on = m.group(1);
                        for (String t : templates) {
                            if (on.equals("docker") || on.equals(loopVar)) {
                                out.add(new Route(m.group(2), false, t));
                            }
                            if (on.equals("libpod") || on.equals(loopVar)) {
                                out.add(new Route(m.group(2), true, t));
                            }
                        }
                    }
                    depth += count(line, '{') - count(line, '}');
                    if (loopVar != null && depth <= loopDepth) {
                        loopVar = null;
                    }
                }
            }
        }
        return out;
    }

    private static int count(String s, char c) {
        return (int) s.chars().filter(ch -> ch == c).count();
    }

    /**
     * A plain call of the route (its parameters a name of nothing): its answer, or null when the service does not
     * route it (it answers "page not found" or 405), which is a problem of its own.
     */
    private Answer routed(Route r) throws IOException {
        boolean registry = REGISTRY.stream().anyMatch(r.template()::contains);
        String path = r.prefix() + PARAM.matcher(r.template()).replaceAll(registry ? "No..Such" : "no-such-thing");
        Answer a = send(r, "routed", ApiSocket.request(r.method(), path, null, List.of()));
        if (a != null && (a.status() == 405 || a.status() == 404 && a.body().contains("is not part of jpod's API"))) {
            problems.add(r + ": the route tables name it, the service does not route it: " + a);
            return null;
        }
        return a == null ? new Answer(0, "", "") : a;
    }

    // ------------------------------------------------------------------------------------ one route

    private void fuzz(Route r) throws Exception {
        Snapshot before = snapshot();
        Answer plain = routed(r);
        if (plain == null) {
            return;
        }
        boolean madeSomething = plain.status() >= 200 && plain.status() < 300;
        List<byte[]> bodies = new ArrayList<>();
        bodies.add(null);
        for (int i = 0; i < 2; i++) {
            bodies.add(malformed().getBytes(StandardCharsets.UTF_8));
        }
        for (int i = 0; i < 3; i++) {
            bodies.add(jsonText(wrongTypes(r, 0)).getBytes(StandardCharsets.UTF_8));
        }
        bodies.add(pick(List.of("[]", "\"x\"", "5", "null", "true", "-1e999", "{}", "[{}]"))
                .getBytes(StandardCharsets.UTF_8));
        bodies.add(deep());
        bodies.add(invalidUtf8());
        if (r.method().equals("POST")) {
            bodies.add(huge());
        }
        String key = (r.libpod() ? "libpod " : "docker ") + r.template();
        String base = BASES.get(key);
        for (int i = 0; base != null && i < 8; i++) {
            bodies.add(mutated(r, base).getBytes(StandardCharsets.UTF_8));
        }
        if (base != null) {
            boundaries(key, base).forEach(b -> bodies.add(b.getBytes(StandardCharsets.UTF_8)));
        }
        for (byte[] body : bodies) {
            madeSomething |= sendCase(r, pathOf(r, random.nextInt(3) == 0), query(r, 0), body);
        }
        for (int i = 0; i < 3; i++) {
            madeSomething |= sendCase(r, pathOf(r, i == 0), query(r, 1 + random.nextInt(3)), null);
        }
        cleanUpAfter(r, before, madeSomething);
    }

    /** One case; true when it was answered 2xx (it may have made something). */
    private boolean sendCase(Route r, String path, String query, byte[] body) throws Exception {
        String target = path + query;
        Answer a = send(r, target, ApiSocket.request(r.method(), target, body, List.of()));
        boolean ok = a != null && a.status() >= 200 && a.status() < 300;
        if (ok && !r.method().equals("GET")) {
            keepTargets();
        }
        return ok;
    }

    /** Sends one request; a 5xx or a head that does not come in time is a problem. */
    private Answer send(Route r, String what, byte[] bytes) throws IOException {
        requests++;
        String shown = (r == null ? "" : r + " as ") + (what.length() > 160 ? what.substring(0, 160) + "..." : what)
                + " (" + bytes.length + " bytes)";
        Timed t;
        long began = System.nanoTime();
        try {
            t = ApiSocket.exchange(bytes, HEAD_SECONDS, TAIL_MILLIS);
        } catch (AssertionError hang) {
            problems.add("hang: " + shown + ": " + hang.getMessage());
            return null;
        } finally {
            slowest.add(new Object[] {(System.nanoTime() - began) / 1_000_000, shown});
            slowest.sort((a, b) -> Long.compare((Long) b[0], (Long) a[0]));
            if (slowest.size() > 8) {
                slowest.remove(8);
            }
        }
        if (t.cut()) {
            cut++;
        }
        Answer a = t.answer();
        if (a == null) {
            closed++;
            return null;
        }
        byClass[Math.min(5, Math.max(0, a.status() / 100))]++;
        if (a.status() >= 500) {
            problems.add(a.status() + ": " + shown + ": " + a.body().substring(0, Math.min(300, a.body().length())));
        }
        return a;
    }

    // ------------------------------------------------------------------------------------ what is sent

    private static final List<String> ODD = List.of("no-such-thing", "%2e%2e", "..", "%00", "a%00b", "%ff%fe",
            "%C3%A9t%C3%A9", "x".repeat(5000), "sha256:" + "0".repeat(64), "-rf", "..%2F..%2Fetc%2Fpasswd", "%25",
            "%zz", "0", "-1", "99999999999999999999", "%7B%7D%5B%5D", "%20%20", "a:b:c@d", "%0d%0aX-Injected:%201",
            "UPPER", "%2F", "~", "*");
    /** Names that are no valid image reference or registry host: a registry is never asked about them. */
    private static final List<String> INVALID_NAMES = List.of("%2e%2e", "..", "%00", "a%00b", "%ff%fe", "UPPER%20CASE",
            "%25", "-rf", "%0d%0a", "A:B:C", "x".repeat(300) + "UPPER", "%20", "...", "a..b");

    private String pathOf(Route r, boolean target) {
        boolean registry = REGISTRY.stream().anyMatch(r.template()::contains);
        Matcher m = PARAM.matcher(r.template());
        StringBuilder sb = new StringBuilder(r.prefix());
        int last = 0;
        while (m.find()) {
            sb.append(r.template(), last, m.start());
            String value;
            if (target && !registry && targetFor(r.template()) != null) {
                value = targetFor(r.template());
            } else {
                value = pick(registry ? INVALID_NAMES : ODD);
                if (!m.group(2).isEmpty() && random.nextBoolean()) {
                    value = value + "/" + pick(registry ? INVALID_NAMES : ODD) + ":"
                            + pick(List.of("latest", "UPPER", "%00"));
                }
            }
            sb.append(value);
            last = m.end();
        }
        sb.append(r.template().substring(last));
        return sb.toString();
    }

    private static String targetFor(String template) {
        if (template.startsWith("/containers/{id}")) {
            return TARGET_CTR;
        }
        if (template.startsWith("/images/{name*}")) {
            return URLEncoder.encode(TARGET_IMAGE, StandardCharsets.UTF_8);
        }
        if (template.startsWith("/networks/{id}")) {
            return TARGET_NET;
        }
        if (template.startsWith("/volumes/{name}")) {
            return TARGET_VOL;
        }
        return null;
    }

    private static final List<String> QUERY_NAMES = List.of("all", "limit", "size", "filters", "force", "v", "t",
            "timeout", "signal", "h", "w", "name", "fromImage", "tag", "repo", "term", "stream", "stdout", "stderr",
            "follow", "since", "until", "tail", "timestamps", "condition", "reference", "changes", "noprune", "ignore",
            "link", "detachKeys", "logs", "quiet", "platform", "digests", "dangling", "new-runtime", "depth",
            "interval", "%00", "a%5Bb%5D", "");
    private static final List<String> QUERY_VALUES = List.of("", "-1", "1e99", "99999999999999999999", "%00", "%ff",
            "%7Bbad", "%5B1%5D", "maybe", "x".repeat(3000), "0x10", "%201", "-9223372036854775809", "NaN",
            enc("{\"label\":5}"), enc("{\"until\":[\"x\"]}"), enc("{\"status\":[\"sleeping\"]}"), enc("{\"id\":[[]]}"),
            enc("{\"label\":[\"\\u0000\"]}"), enc("{\"dangling\":[\"maybe\"]}"), enc("{\"reference\":[\"..\"]}"),
            enc("[" .repeat(2000)), "%zz", "SIGFOO", "RTMIN+99", "bridge%00");

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private String query(Route r, int n) {
        if (n == 0) {
            return "";
        }
        boolean registry = REGISTRY.stream().anyMatch(r.template()::contains);
        StringBuilder sb = new StringBuilder("?");
        for (int i = 0; i < n; i++) {
            String name = pick(QUERY_NAMES);
            String value = registry && List.of("fromImage", "term", "reference", "tag", "repo").contains(name)
                    ? pick(INVALID_NAMES) : pick(QUERY_VALUES);
            sb.append(i == 0 ? "" : "&").append(name).append('=').append(value);
        }
        return sb.toString();
    }

    private static final List<String> MALFORMED = List.of("{", "{\"Image\": \"busybox\", \"Cmd\": [\"true\"",
            "not json at all", "{\"a\":}", "{\"a\" 1}", "{,}", "[1,,2]", "{\"a\": tru}", "{'a': 1}", "{\"a\": 1}}",
            "\u0000", "{\"a\": \"\\uZZZZ\"}", "{\"a\": 01}", "{\"a\": .5}", "{\"a\": NaN}", "/* c */ {}",
            "{\"a\":\"b\"",
            "\"unterminated", "[", "}{");

    private String malformed() {
        return pick(MALFORMED);
    }

    /** Fields both API families read, so that wrong types reach the code that reads them. */
    private static final List<String> FIELDS = List.of("Image", "Cmd", "Entrypoint", "Env", "Labels", "HostConfig",
            "PortBindings", "HostPort", "HostIp", "Binds", "Mounts", "RestartPolicy", "Name", "MaximumRetryCount",
            "NetworkMode", "NetworkingConfig", "EndpointsConfig", "IPAMConfig", "IPv4Address", "MacAddress",
            "StopSignal", "StopTimeout", "Tty", "OpenStdin", "ExposedPorts", "Volumes", "WorkingDir", "User",
            "Hostname", "Driver", "DriverOpts", "Options", "IPAM", "Config", "Subnet", "Gateway", "IPRange",
            "Internal", "Container", "EndpointConfig", "Force", "AttachStdin", "AttachStdout", "AttachStderr",
            "Detach", "DetachKeys", "Privileged", "WorkingDir", "ConsoleSize", "Healthcheck", "username", "password",
            "serveraddress", "email", "identitytoken", "image", "command", "entrypoint", "env", "labels", "name",
            "netns", "nsmode", "value", "portmappings", "host_port", "container_port", "range", "protocol", "host_ip",
            "mounts", "volumes", "anonymous_volumes", "restart_policy", "restart_tries", "stop_signal",
            "stop_timeout", "terminal", "stdin", "remove", "rootfs", "networks", "Networks", "static_ips",
            "static_mac", "subnets", "driver", "options", "internal", "dns_enabled", "Dest", "destination",
            "source", "type", "publish_image_ports", "oci_runtime", "annotations", "work_dir", "hostname", "user");

    private Object wrongTypes(Route r, int depth) {
        boolean registry = REGISTRY.stream().anyMatch(r.template()::contains);
        List<Object[]> fields = new ArrayList<>();
        int n = 1 + random.nextInt(6);
        for (int i = 0; i < n; i++) {
            fields.add(new Object[] {pick(FIELDS), value(r, registry, depth)});
        }
        if (registry && depth == 0) {
            // last, so it wins over one picked above: a login without a registry's name is docker.io's
            fields.add(new Object[] {"serveraddress", pick(INVALID_NAMES)});
        }
        return fields;
    }

    private Object value(Route r, boolean registry, int depth) {
        return switch (random.nextInt(depth > 2 ? 9 : 12)) {
            case 0 -> registry ? pick(INVALID_NAMES) : pick(ODD);
            case 1 -> registry ? pick(INVALID_NAMES) : pick(List.of("", "\u0000", "a\u0000b", "\uFFFF", "\n", "/", "/a/../..", "99999",
                    "-1", "on-failure", "SIGKILL", "80/tcp", "tcp,udp", "none", "host", "container:", "bind"));
            case 2 -> random.nextLong();
            case 3 -> pick(List.of(0L, -1L, 65536L, 99999L, Long.MAX_VALUE, Long.MIN_VALUE, 2147483648L));
            case 4 -> pick(List.of(1.5, -0.0, 1e300, Double.MIN_VALUE));
            case 5 -> new java.math.BigInteger("123456789012345678901234567890");
            case 6 -> random.nextBoolean();
            case 7 -> null;
            case 8 -> java.util.Arrays.asList(value(r, registry, depth + 1), value(r, registry, depth + 1));
            default -> wrongTypes(r, depth + 1);
        };
    }

    /** Renders what {@link #wrongTypes} makes: lists of key-value pairs are objects (keys may repeat). */
    private static String jsonText(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof String s) {
            return ApiSocket.JSON.getNodeFactory().textNode(s).toString();
        }
        if (v instanceof Double d) {
            return Double.isFinite(d) ? d.toString() : "1e999";
        }
        if (v instanceof List<?> l && !l.isEmpty() && l.get(0) instanceof Object[]) {
            StringBuilder sb = new StringBuilder("{");
            for (Object o : l) {
                Object[] kv = (Object[]) o;
                sb.append(sb.length() > 1 ? "," : "").append(jsonText(kv[0])).append(':').append(jsonText(kv[1]));
            }
            return sb.append('}').toString();
        }
        if (v instanceof List<?> l) {
            StringBuilder sb = new StringBuilder("[");
            for (Object o : l) {
                sb.append(sb.length() > 1 ? "," : "").append(jsonText(o));
            }
            return sb.append(']').toString();
        }
        return v.toString();
    }

    /** Bodies a route takes, which {@link #mutated} changes a field or more of: they reach past the first check. */
    private static final java.util.Map<String, String> BASES = java.util.Map.of(
            "docker /containers/create",
            "{\"Image\": \"busybox\", \"Cmd\": [\"true\"], \"HostConfig\": {\"NetworkMode\": \"none\"}}",
            "libpod /containers/create",
            "{\"image\": \"busybox\", \"command\": [\"true\"], \"netns\": {\"nsmode\": \"none\"}}",
            "docker /volumes/create", "{\"Name\": \"fuzz-made-vol\"}",
            "libpod /volumes/create", "{\"Name\": \"fuzz-made-vol\"}",
            "docker /networks/create", "{\"Name\": \"fuzz-made-net\"}",
            "libpod /networks/create", "{\"name\": \"fuzz-made-net\"}",
            "docker /containers/{id}/exec", "{\"Cmd\": [\"true\"], \"AttachStdout\": true}",
            "libpod /containers/{id}/exec", "{\"Cmd\": [\"true\"], \"AttachStdout\": true}",
            "docker /networks/{id}/connect", "{\"Container\": \"" + TARGET_CTR + "\"}",
            "libpod /pods/create", "{\"name\": \"fuzz-made-pod\"}");
    /** Where a mutation puts its value: fields of the bodies above, nested ones by dots. */
    private static final List<String> PATHS = List.of("Cmd", "Entrypoint", "Env", "Labels", "WorkingDir", "User",
            "Hostname", "StopSignal", "StopTimeout", "Tty", "OpenStdin", "ExposedPorts", "Volumes", "MacAddress",
            "HostConfig.Binds", "HostConfig.Mounts", "HostConfig.PortBindings", "HostConfig.PortBindings.80/tcp",
            "HostConfig.RestartPolicy", "HostConfig.RestartPolicy.Name", "HostConfig.RestartPolicy.MaximumRetryCount",
            "HostConfig.NetworkMode", "HostConfig.AutoRemove", "HostConfig.PublishAllPorts", "HostConfig.Runtime",
            "HostConfig.Dns", "HostConfig.DnsSearch", "HostConfig.DnsOptions", "dns_server", "dns_search", "dns_option",
            "NetworkingConfig.EndpointsConfig", "name", "env", "labels", "annotations", "command", "work_dir",
            "hostname", "stop_signal", "stop_timeout", "restart_policy", "restart_tries", "portmappings", "mounts",
            "volumes", "anonymous_volumes", "netns.nsmode", "netns.value", "Networks", "Name", "Driver", "Labels",
            "Options", "IPAM", "IPAM.Config", "DriverOpts", "driver", "subnets", "internal", "options",
            "Container", "EndpointConfig", "EndpointConfig.IPAMConfig.IPv4Address", "AttachStdin", "Tty",
            "WorkingDir", "Privileged", "User", "DetachKeys", "infra", "no_infra", "hostname", "share");
    /**
     * Values of a field's type but out of its bounds, each sent to the route whose base body the key names (e.g.
     * {@code docker /containers/create}): {route, path, JSON value, what the 400's message must say (null: any
     * 4xx)}.
     */
    private static final List<String[]> BOUNDARY = List.of(
            b("docker /containers/create", "HostConfig.Dns", "[\"1.2.3.999\"]",
                    "HostConfig.Dns: 1.2.3.999 is not an ip address"),
            b("docker /containers/create", "HostConfig.DnsSearch", "[\"a..b\"]",
                    "HostConfig.DnsSearch: a..b is not a valid domain"),
            b("libpod /containers/create", "dns_option", "[\"ndots:1\\nnameserver 6.6.6.6\"]",
                    "dns_option: "),
            b("libpod /pods/create", "dns_server", "[\"::1::\"]", "dns_server: ::1:: is not an ip address"),
            b("docker /containers/create", "HostConfig.PortBindings", "{\"80/tcp\": [{\"HostPort\": \"99999\"}]}",
                    "host port 99999"),
            b("docker /containers/create", "HostConfig.PortBindings", "{\"99999/tcp\": [{\"HostPort\": \"80\"}]}",
                    "invalid container port 99999/tcp"),
            b("docker /containers/create", "HostConfig.PortBindings",
                    "{\"80/tcp\": [{\"HostIp\": \"1.2.3.999\", \"HostPort\": \"8080\"}]}",
                    "host IP \"1.2.3.999\""),
            b("docker /containers/create", "HostConfig.PortBindings", "{\"80/icmp\": [{}]}",
                    "protocol \"icmp\""),
            b("docker /containers/create", "HostConfig.PortBindings", "{\"80/tcp\": [{\"HostPort\": \"8080-8090\"}]}",
                    "is a range"),
            b("docker /containers/create", "HostConfig.PortBindings", "{\"80/tcp\": [{\"HostPort\": \"-1\"}]}",
                    "HostPort -1 is not a port number"),
            b("docker /containers/create", "HostConfig.PortBindings", "{\"80/tcp\": [{\"HostPort\": 4294967376}]}",
                    "is not a port number"),
            b("docker /containers/create", "HostConfig.Binds", "[\"/tmp:/x:bogus\"]",
                    "mount option \"bogus\""),
            b("docker /containers/create", "HostConfig.Binds", "[\"/tmp:rel\"]",
                    "mount destination \"rel\""),
            b("docker /containers/create", "HostConfig.Binds", "[\"/tmp:/\"]",
                    "container's root"),
            b("docker /containers/create", "HostConfig.Binds", "[\"/tmp:/x\", \"/tmp:/x\"]",
                    "/x is mounted twice"),
            b("docker /containers/create", "HostConfig.Mounts", "[{\"Type\": \"npipe\", \"Target\": \"/t\"}]",
                    "Type npipe is not supported"),
            b("docker /containers/create", "HostConfig.Mounts",
                    "[{\"Type\": \"bind\", \"Source\": \"/tmp\", \"Target\": \"x\"}]",
                    "mount destination \"x\""),
            b("docker /containers/create", "HostConfig.Mounts",
                    "[{\"Type\": \"volume\", \"Source\": \"bad/name\", \"Target\": \"/v\"}]",
                    "volume name \"bad/name\""),
            b("docker /containers/create", "HostConfig.RestartPolicy",
                    "{\"Name\": \"always\", \"MaximumRetryCount\": 5}",
                    "only apply to the on-failure policy"),
            b("docker /containers/create", "HostConfig.RestartPolicy",
                    "{\"Name\": \"on-failure\", \"MaximumRetryCount\": -1}",
                    "restart retries -1 is negative"),
            b("docker /containers/create", "HostConfig.RestartPolicy", "{\"Name\": \"sometimes\"}",
                    "restart policy \"sometimes\""),
            b("docker /containers/create", "HostConfig.RestartPolicy.MaximumRetryCount", "1e30",
                    "MaximumRetryCount must be a whole number"),
            b("docker /containers/create", "Env", "[\"=x\"]",
                    "environment entry \"=x\""),
            b("docker /containers/create", "Env", "[\"A\\u0000B=1\"]",
                    "NUL"),
            b("docker /containers/create", "Labels", "{\"\": \"v\"}",
                    "label with an empty key"),
            b("docker /containers/create", "Labels", "{\"a=b\": \"v\"}",
                    "label key \"a=b\""),
            b("docker /containers/create", "StopSignal", "\"SIGFOO\"",
                    "StopSignal SIGFOO is not a signal"),
            b("docker /containers/create", "StopTimeout", "-5",
                    "stop timeout -5"),
            b("docker /containers/create", "StopTimeout", "99999999999999999999",
                    "StopTimeout must be a whole number"),
            b("docker /containers/create", "WorkingDir", "\"relative/dir\"",
                    "working directory relative/dir"),
            b("docker /containers/create", "Hostname", "\"" + "h".repeat(65) + "\"",
                    "65 characters"),
            b("docker /containers/create", "Cmd", "[\"a\\u0000b\"]",
                    "command argument"),
            b("docker /containers/create", "Volumes", "{\"rel\": {}}",
                    "mount destination \"rel\""),
            b("libpod /containers/create", "name", "\"" + "n".repeat(300) + "\"",
                    "300 characters"),
            b("libpod /containers/create", "portmappings", "[{\"host_port\": 99999, \"container_port\": 80}]",
                    "host_port must be a whole number from 0 to 65535"),
            b("libpod /containers/create", "portmappings", "[{\"container_port\": 0}]",
                    "container port 0"),
            b("libpod /containers/create", "portmappings",
                    "[{\"container_port\": 80, \"host_port\": 65535, \"range\": 9}]",
                    "go past 65535"),
            b("libpod /containers/create", "portmappings", "[{\"container_port\": 80, \"protocol\": \"icmp\"}]",
                    "protocol \"icmp\""),
            b("libpod /containers/create", "portmappings", "[{\"container_port\": 80, \"host_ip\": \"localhost\"}]",
                    "host IP \"localhost\""),
            b("libpod /containers/create", "portmappings", "[{\"container_port\": 80, \"range\": -1}]",
                    "range must be a whole number"),
            b("libpod /containers/create", "mounts",
                    "[{\"source\": \"/tmp\", \"destination\": \"/x\", \"options\": [\"ro\", \"rw\"]}]",
                    "conflict"),
            b("libpod /containers/create", "mounts",
                    "[{\"source\": \"/tmp\", \"destination\": \"/x\", \"options\": [\"bogus\"]}]",
                    "mount option \"bogus\""),
            b("libpod /containers/create", "mounts", "[{\"source\": \"/no/such/dir\", \"destination\": \"/x\"}]",
                    "/no/such/dir does not exist"),
            b("libpod /containers/create", "volumes", "[{\"Name\": \"bad/name\", \"Dest\": \"/v\"}]",
                    "volume name \"bad/name\""),
            b("libpod /containers/create", "anonymous_volumes", "[{\"Dest\": \"rel\"}]",
                    "mount destination \"rel\""),
            b("libpod /containers/create", "env", "{\"\": \"x\"}",
                    "environment entry \"=x\""),
            b("libpod /containers/create", "env", "{\"A\": \"\\u0000\"}",
                    "NUL"),
            b("libpod /containers/create", "labels", "{\"a\\nb\": \"v\"}",
                    "label key"),
            b("libpod /containers/create", "stop_signal", "99",
                    "stop signal 99"),
            b("libpod /containers/create", "stop_signal", "-1",
                    "stop signal -1"),
            b("libpod /containers/create", "stop_timeout", "-1",
                    "stop timeout -1"),
            b("libpod /containers/create", "restart_policy", "\"sometimes\"",
                    "restart policy \"sometimes\""),
            b("libpod /containers/create", "restart_tries", "4294967296",
                    "restart_tries must be a whole number"),
            b("libpod /containers/create", "netns.nsmode", "\"nonsense\"",
                    "netns mode nonsense"),
            b("docker /networks/create", "IPAM", "{\"Config\": [{\"Subnet\": \"10.0.0.0/33\"}]}",
                    null),
            b("docker /networks/create", "Driver", "\"macvlan\"",
                    null),
            b("libpod /networks/create", "subnets", "[{\"subnet\": \"300.0.0.0/8\"}]",
                    null),
            b("docker /volumes/create", "Name", "\"bad/name\"",
                    null),
            b("docker /networks/{id}/connect", "EndpointConfig", "{\"IPAMConfig\": {\"IPv4Address\": \"10.0.0.999\"}}",
                    null));

    private static String[] b(String route, String path, String json, String says) {
        return new String[] {route, path, json, says};
    }

    /** The route's base body with each of its boundary values in turn, one field at a time. */
    private static List<String> boundaries(String route, String base) throws IOException {
        List<String> out = new ArrayList<>();
        for (String[] e : BOUNDARY) {
            if (e[0].equals(route)) {
                out.add(set((ObjectNode) ApiSocket.JSON.readTree(base), e[1],
                        ApiSocket.JSON.readTree(e[2])).toString());
            }
        }
        return out;
    }

    private static ObjectNode set(ObjectNode body, String dotted, JsonNode value) {
        String[] path = dotted.split("\\.");
        ObjectNode at = body;
        for (int k = 0; k < path.length - 1; k++) {
            JsonNode next = at.get(path[k]);
            at = next instanceof ObjectNode o ? o : at.putObject(path[k]);
        }
        at.set(path[path.length - 1], value);
        return body;
    }

    /** The route's base body with one to three fields set to odd values (a nested field's parents are made). */
    private String mutated(Route r, String base) throws IOException {
        ObjectNode body =
                (ObjectNode) ApiSocket.JSON.readTree(base);
        boolean registry = REGISTRY.stream().anyMatch(r.template()::contains);
        int n = 1 + random.nextInt(3);
        for (int i = 0; i < n; i++) {
            set(body, pick(PATHS), ApiSocket.JSON.readTree(jsonText(value(r, registry, 1))));
        }
        return body.toString();
    }

    private byte[] deep() {
        int levels = 100_000;
        String open = random.nextBoolean() ? "[" : "{\"a\":";
        String close = open.equals("[") ? "]" : "}";
        return (open.repeat(levels) + "1" + close.repeat(levels)).getBytes(StandardCharsets.UTF_8);
    }

    private byte[] invalidUtf8() {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes("{\"Image\": \"".getBytes(StandardCharsets.US_ASCII));
        b.writeBytes(new byte[] {(byte) 0xff, (byte) 0xfe, (byte) 0xc3, 0x28, (byte) 0xed, (byte) 0xa0, (byte) 0x80});
        b.writeBytes("\", \"Name\": \"\u00e9\", \"name\": \"".getBytes(StandardCharsets.ISO_8859_1));
        b.writeBytes(new byte[] {(byte) 0xc0, (byte) 0xaf, (byte) 0xf8, (byte) 0x88, (byte) 0x80, (byte) 0x80});
        b.writeBytes("\"}".getBytes(StandardCharsets.US_ASCII));
        return b.toByteArray();
    }

    private static byte[] huge;

    /** 20 MiB of JSON: a label of 20 MiB. */
    private static byte[] huge() {
        if (huge != null) {
            return huge;
        }
        int size = 20 << 20;
        byte[] body = new byte[size];
        byte[] head = "{\"Labels\": {\"big\": \"".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(head, 0, body, 0, head.length);
        java.util.Arrays.fill(body, head.length, size - 3, (byte) 'x');
        body[size - 3] = '"';
        body[size - 2] = '}';
        body[size - 1] = '}';
        huge = body;
        return body;
    }

    private <T> T pick(List<T> from) {
        return from.get(random.nextInt(from.size()));
    }

    // ------------------------------------------------------------------------------------ odd paths

    private void oddPaths() throws Exception {
        List<String> paths = new ArrayList<>(List.of("/..", "/../../etc/passwd", "/v1.44/../../etc/passwd",
                "/%00", "/v1.44/%00/json", "/v1.44/containers/%2e%2e/json", "/v1.44/containers/..%2f..%2f/json",
                "//containers//json", "/v999/_ping", "/v99999999999999999999/_ping", "/v1.44.1.2.3/_ping", "/v-1/_ping",
                "/v1.44/libpod/containers/json", "/libpod/libpod/containers/json", "/v1.44/containers/json/",
                "/v4.3.1/libpod/v1.44/_ping", "/%ff%fe", "/v1.44/containers/" + "a".repeat(60_000) + "/json",
                "/" + "b/".repeat(20_000), "/v1.44/images/" + "c/".repeat(3000) + "json", "/v1.44/containers/json?"
                        + "a=1&".repeat(5000), "/v1.44/containers/json?%", "/v1.44/containers/json?&&&=&=",
                "/v1.44/_ping#frag", "/v1.44/containers/json;jsessionid=1", "/v1.44/containers/%3Bx/json",
                "/v1.44/containers/a%2Fb/json", "/v1.44/images/%2F%2F/json", "/v1.44/volumes/%2e", "/v1./_ping",
                "/v.1/_ping", "/v1.44/exec/%00/json", "*"));
        Collections.shuffle(paths, random);
        for (String p : paths) {
            for (String method : List.of("GET", "POST", "DELETE", "PUT", "PATCH", "OPTIONS", "TRACE", "FOO")) {
                send(null, method + " " + p, ApiSocket.request(method, p, null, List.of()));
            }
        }
        // bytes that are not UTF-8 in the request line itself, and a control character
        for (byte[] raw : List.of(new byte[] {(byte) 0xff, (byte) 0xfe}, new byte[] {0x01, 0x7f}, new byte[] {0})) {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            b.writeBytes("GET /v1.44/containers/".getBytes(StandardCharsets.US_ASCII));
            b.writeBytes(raw);
            b.writeBytes("/json HTTP/1.1\r\nHost: d\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            send(null, "raw bytes " + java.util.HexFormat.of().formatHex(raw) + " in the path", b.toByteArray());
        }
        keepTargets();
    }

    // ------------------------------------------------------------------------------------ targets and state

    /** Things of the test's own that routes may name: they get requests that reach past the lookup. */
    private void makeTargets() throws Exception {
        keepTargets();
    }

    /** An image of its own (imported, so another ID than busybox's): removing it by any name leaves busybox. */
    private static String importTargetImage() throws Exception {
        JpodService.Result imported = jpod.run(List.of("curl", "-sS", "--unix-socket", jpod.socket.toString(), "-X",
                "POST", "--data-binary", "@" + jpod.home.resolve("etc/busybox.tar"), "http://d/v4.3.1/libpod/images/"
                        + "import?reference=" + enc(TARGET_IMAGE)), 60);
        assertTrue("import of the target image: " + imported, imported.out().contains("\"Id\""));
        return ApiSocket.JSON.readTree(imported.out()).path("Id").asText();
    }

    /** Makes again what a request removed or stopped of the targets. */
    private void keepTargets() throws Exception {
        if (ApiSocket.call("GET", "/v1.44/containers/" + ANCHOR_CTR + "/json", null).status() == 404) {
            // keeps busybox in use, whatever is pruned
            create(ANCHOR_CTR);
        }
        if (!ApiSocket.call("GET", "/v1.44/containers/" + ANCHOR_CTR + "/json", null).json().path("State")
                .path("Running").asBoolean()) {
            ApiSocket.call("POST", "/v1.44/containers/" + ANCHOR_CTR + "/start", null);
        }
        if (ApiSocket.call("GET", "/v1.44/containers/" + TARGET_CTR + "/json", null).status() == 404) {
            create(TARGET_CTR);
        }
        if (ApiSocket.call("GET", "/v1.44/volumes/" + TARGET_VOL, null).status() == 404) {
            expect(201, ApiSocket.call("POST", "/v1.44/volumes/create", "{\"Name\": \"" + TARGET_VOL + "\"}"));
        }
        if (ApiSocket.call("GET", "/v1.44/networks/" + TARGET_NET, null).status() == 404) {
            expect(201, ApiSocket.call("POST", "/v1.44/networks/create", "{\"Name\": \"" + TARGET_NET + "\"}"));
        }
        if (ApiSocket.call("GET", "/v1.44/images/" + enc(TARGET_IMAGE) + "/json", null).status() == 404) {
            if (targetImageId != null) {
                // untagged, not removed: its image goes too
                ApiSocket.call("DELETE", "/v1.44/images/" + targetImageId + "?force=1", null);
            }
            targetImageId = importTargetImage();
        }
    }

    private static void create(String name) throws IOException {
        expect(201, ApiSocket.call("POST", "/v1.44/containers/create?name=" + name, """
                {"Image": "busybox", "Cmd": ["sleep", "100000"], "StopSignal": "SIGKILL",
                 "HostConfig": {"NetworkMode": "none"}}"""));
    }

    private static void expect(int status, Answer a) {
        assertEquals(a.toString(), status, a.status());
    }

    private void removeTargets() throws IOException {
        for (String c : List.of(TARGET_CTR, ANCHOR_CTR)) {
            ApiSocket.call("DELETE", "/v1.44/containers/" + c + "?force=1", null);
        }
        ApiSocket.call("DELETE", "/v1.44/volumes/" + TARGET_VOL + "?force=1", null);
        ApiSocket.call("DELETE", "/v1.44/networks/" + TARGET_NET, null);
        ApiSocket.call("DELETE", "/v1.44/images/" + enc(TARGET_IMAGE) + "?force=1", null);
        if (targetImageId != null) {
            ApiSocket.call("DELETE", "/v1.44/images/" + targetImageId + "?force=1", null);
            targetImageId = null;
        }
    }

    record Snapshot(Set<String> containers, Set<String> volumes, Set<String> networks, Set<String> images,
            Set<String> pods) {
    }

    /** Every container ID and network name a snapshot saw: the host's networking of them is this test's. */
    private static final Set<String> SEEN = new TreeSet<>();
    private static Set<String> firstNetworks;

    /** The host networking that names a container or network of this service (other tests run beside it). */
    private static List<String> ownNetworking() throws Exception {
        snapshot();
        return hostNetworking().stream().filter(l -> l.startsWith("netns ") || SEEN.stream().anyMatch(l::contains))
                .toList();
    }

    private static Snapshot snapshot() throws IOException {
        Set<String> containers = new TreeSet<>();
        for (JsonNode c : list("/v1.44/containers/json?all=1")) {
            SEEN.add(c.path("Id").asText());
            containers.add(c.path("Names").path(0).asText().replaceFirst("^/", "") + " " + c.path("Id").asText());
        }
        Set<String> volumes = new TreeSet<>();
        for (JsonNode v : list("/v1.44/volumes").path("Volumes")) {
            volumes.add(v.path("Name").asText());
        }
        Set<String> networks = new TreeSet<>();
        for (JsonNode n : list("/v1.44/networks")) {
            networks.add(n.path("Name").asText());
        }
        if (firstNetworks == null) {
            firstNetworks = Set.copyOf(networks);
        }
        // the default network is every service's: only the networks made here tell this test's rules
        networks.stream().filter(n -> !firstNetworks.contains(n)).forEach(n -> SEEN.add("\"" + n + "\""));
        Set<String> images = new TreeSet<>();
        for (JsonNode i : list("/v1.44/images/json?all=1")) {
            images.add(i.path("Id").asText());
            i.path("RepoTags").forEach(t -> images.add(t.asText()));
        }
        Set<String> pods = new TreeSet<>();
        Answer p = ApiSocket.call("GET", "/v4.3.1/libpod/pods/json", null);
        if (p.status() == 200) {
            p.json().forEach(pod -> pods.add(pod.path("Name").asText()));
        }
        return new Snapshot(containers, volumes, networks, images, pods);
    }

    private static JsonNode list(String path) throws IOException {
        Answer a = ApiSocket.call("GET", path, null);
        assertEquals(path + ": " + a, 200, a.status());
        return a.json();
    }

    /**
     * After a route's cases: what is new but the targets was made by a 2xx answer (removed now) or left behind by
     * a refused request (a problem).
     */
    private void cleanUpAfter(Route r, Snapshot before, boolean madeSomething) throws Exception {
        Snapshot now = snapshot();
        Set<String> targets = Set.of(TARGET_CTR, ANCHOR_CTR, TARGET_VOL, TARGET_NET, TARGET_IMAGE);
        List<String> left = new ArrayList<>();
        if (!diff(before.containers(), now.containers()).isEmpty()) {
            // what was made must be listed by every client: docker ps reads ports as 16-bit numbers
            JpodService.Result ps = jpod.docker("ps", "-a", "--no-trunc");
            if (ps.code() != 0) {
                problems.add(r + ": docker ps -a fails after what it made: " + ps);
            }
        }
        for (String c : diff(before.containers(), now.containers())) {
            if (!targets.contains(c.split(" ")[0])) {
                left.add("container " + c);
                ApiSocket.call("DELETE", "/v1.44/containers/" + c.split(" ")[1] + "?force=1", null);
            }
        }
        for (String pod : diff(before.pods(), now.pods())) {
            left.add("pod " + pod);
            ApiSocket.call("DELETE", "/v4.3.1/libpod/pods/" + enc(pod) + "?force=1", null);
        }
        for (String v : diff(before.volumes(), now.volumes())) {
            if (!targets.contains(v)) {
                left.add("volume " + v);
                ApiSocket.call("DELETE", "/v1.44/volumes/" + enc(v) + "?force=1", null);
            }
        }
        for (String n : diff(before.networks(), now.networks())) {
            if (!targets.contains(n)) {
                left.add("network " + n);
                ApiSocket.call("DELETE", "/v1.44/networks/" + enc(n), null);
            }
        }
        String targetImage = imageId(TARGET_IMAGE);
        for (String i : diff(before.images(), now.images())) {
            if (!targets.contains(i) && !i.equals(targetImage)) {
                left.add("image " + i);
                ApiSocket.call("DELETE", "/v1.44/images/" + enc(i) + (i.startsWith("sha256:") ? "?force=1" : ""),
                        null);
            }
        }
        if (!left.isEmpty() && !madeSomething) {
            problems.add(r + ": refused requests left " + left);
        }
    }

    private static String imageId(String name) throws IOException {
        Answer a = ApiSocket.call("GET", "/v1.44/images/" + enc(name) + "/json", null);
        return a.status() == 200 ? a.json().path("Id").asText() : "";
    }

    private static List<String> diff(Set<String> before, Set<String> now) {
        List<String> out = new ArrayList<>(now);
        out.removeAll(before);
        return out;
    }

    private void check(String what, java.util.Collection<String> before, java.util.Collection<String> after) {
        List<String> added = new ArrayList<>(after);
        added.removeAll(before);
        List<String> gone = new ArrayList<>(before);
        gone.removeAll(after);
        if (!added.isEmpty() || !gone.isEmpty()) {
            problems.add(what + " differ after the run: new " + added + ", gone " + gone);
        }
    }

    /** The files under the service's directory, but its logs and the test's own output files. */
    private static List<String> files() throws IOException {
        Set<String> out = new LinkedHashSet<>();
        try (Stream<Path> all = Files.walk(jpod.dir)) {
            all.map(p -> jpod.dir.relativize(p).toString())
                    .filter(p -> !p.matches("(out|err)\\d+\\.txt") && !p.startsWith("service."))
                    .sorted().forEach(out::add);
        }
        return new ArrayList<>(out);
    }
}
