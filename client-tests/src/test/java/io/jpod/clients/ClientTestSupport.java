package io.jpod.clients;

import static org.junit.Assert.assertEquals;

import io.jpod.clients.JpodService.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.AfterClass;
import org.junit.BeforeClass;

/** One service per test class, on the socket the build's DOCKER_HOST names. */
abstract class ClientTestSupport {
    static JpodService jpod;

    @BeforeClass
    public static void startService() throws Exception {
        jpod = new JpodService();
    }

    static final long DEADLINE_MS = 60_000;

    /** Polls until {@code condition} holds, with a generous deadline; never asserts how long it took. */
    static void await(String what, Callable<Boolean> condition) throws Exception {
        long end = System.currentTimeMillis() + DEADLINE_MS;
        while (!condition.call()) {
            if (System.currentTimeMillis() > end) {
                throw new AssertionError("not within " + DEADLINE_MS + " ms: " + what);
            }
            Thread.sleep(200);
        }
    }

    @AfterClass
    public static void stopService() throws Exception {
        if (jpod != null) {
            jpod.close();
            jpod = null;
        }
    }

    private static final Pattern CNI_CHAIN = Pattern.compile("CNI-[A-Za-z0-9-]+");

    /**
     * What the host has that container networking could leave behind: veths, jpod bridges, the CNI
     * plugins' iptables lines (but the shared chains of the firewall and portmap plugins, made on first
     * use and kept as podman's are), and the service's network namespaces.
     */
    static List<String> hostNetworking() throws Exception {
        List<String> out = new ArrayList<>();
        for (String l : jpod.run(List.of("ip", "-o", "link", "show"), 10).out().split("\n")) {
            String name = l.replaceFirst("^\\d+: ([^:@]+).*", "$1");
            if (name.startsWith("veth") || name.startsWith("jpod")) {
                out.add("link " + name);
            }
        }
        for (String l : jpod.run(List.of("iptables-save"), 10).out().split("\n")) {
            if (l.contains("CNI-") && !onlySharedChains(l)) {
                out.add(l.replaceAll("\\[\\d+:\\d+\\]", ""));
            }
        }
        Path netns = jpod.dir.resolve("run/netns");
        if (Files.isDirectory(netns)) {
            try (Stream<Path> s = Files.list(netns)) {
                s.forEach(p -> out.add("netns " + p.getFileName()));
            }
        }
        out.sort(null);
        return out;
    }

    private static boolean onlySharedChains(String line) {
        Matcher m = CNI_CHAIN.matcher(line);
        while (m.find()) {
            String chain = m.group();
            if (!chain.equals("CNI-FORWARD") && !chain.equals("CNI-ADMIN") && !chain.startsWith("CNI-HOSTPORT-")) {
                return false;
            }
        }
        return true;
    }

    /** A docker CLI command that must succeed. */
    static Result ok(String... args) throws Exception {
        Result r = jpod.docker(args);
        assertEquals("docker " + String.join(" ", args) + ": " + r, 0, r.code());
        return r;
    }

    /** podman-remote on jpod's socket. */
    static Result podman(String... args) throws Exception {
        return jpod.podman(args);
    }

    /** A podman-remote command that must succeed. */
    static Result podmanOk(String... args) throws Exception {
        Result r = jpod.podman(args);
        assertEquals("podman " + String.join(" ", args) + ": " + r, 0, r.code());
        return r;
    }

    /** The host's own podman, the reference (see {@link JpodService#reference}). */
    static Result reference(String... args) throws Exception {
        return jpod.reference(args);
    }

    /** A jpod CLI command that must succeed. */
    static Result jpodOk(String... args) throws Exception {
        Result r = jpod.jpod(args);
        assertEquals("jpod " + String.join(" ", args) + ": " + r, 0, r.code());
        return r;
    }
}
