package io.jpod.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import io.jpod.api.Container;
import io.jpod.api.ContainerConfig;
import io.jpod.api.ContainerStatus;
import io.jpod.api.EngineSystem;
import io.jpod.api.Images;
import io.jpod.api.JpodException;
import io.jpod.api.Mount;
import io.jpod.api.Network;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.After;
import org.junit.Assume;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;

/**
 * Provider bundles updated (Bundle.update) one after the other while a real container runs: each time
 * the engine is taken down and assembled again, and the container keeps running with its state. The
 * container exits while the OCI runtime bundle is stopped; its exit code is recorded once the engine
 * is back.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class HotSwapIT extends ItestSupport {

    /** The test's own network and bridge: not jpod0/10.90.0.0/16, not podman's 10.88, not other tests'. */
    private static final String NET = "jpod-hotswap";
    private static final String BRIDGE = "jpodhs0";
    private static final String SUBNET = "10.94.6.0/24";
    private static final String PAGE = "served through every swap\n";

    private EngineServices engine;

    /** busybox with the applets these tests use, and a page for httpd. */
    private void importBusybox() throws Exception {
        Path root = busyboxRootfs(List.of("sh", "sleep", "test", "httpd"));
        Files.createDirectories(root.resolve("www"));
        Files.writeString(root.resolve("www/index.html"), PAGE);
        importBusybox(root, "CMD [\"sh\"]");
    }

    @Test
    public void providerBundlesAreUpdatedWhileAContainerRuns() throws Exception {
        configure("mapdb", "shm", "file", "runc", "vfs", "", Map.of());
        engine = awaitEngine();
        importBusybox();
        Path out = dir.resolve("out");
        Files.createDirectories(out);
        // runs until the test creates /out/stop, then exits 42
        Container c = engine.containers().createContainer(images().withImageDefaults(ContainerConfig.builder().name("survivor")
                .image("busybox").networkMode("none").labels(Map.of("kept", "yes"))
                .mounts(List.of(new Mount("bind", out.toString(), "/out", List.of("rbind", "rw"))))
                .command(List.of("sh", "-c", "while ! test -f /out/stop; do sleep 0.1; done; exit 42")).build()));
        engine.containers().start(c.id());
        Container running = engine.containers().container(c.id());
        assertEquals(ContainerStatus.RUNNING, running.state().status());
        int pid = running.state().pid();

        // the bundles of the providers in use: each update takes the engine down and brings it back
        for (String bsn : List.of("jpod-state-mapdb", "jpod-lock-shm", "jpod-events-file", "jpod-oci-conmon",
                "jpod-storage-vfs")) {
            EngineServices old = engine;
            bundle(bsn).update();
            engine = awaitNewEngine(old);
            Container now = engine.containers().container(c.id());
            assertEquals(bsn + " updated: still running", ContainerStatus.RUNNING, now.state().status());
            assertEquals(bsn + " updated: same process", pid, now.state().pid());
            assertEquals("survivor", now.name());
            assertEquals("yes", now.config().labels().get("kept"));
            assertTrue("the process is alive", Files.exists(Path.of("/proc/" + pid)));
        }
        // a provider bundle the engine does not use (the network here is the stand-in): no harm either
        bundle("jpod-network-cni").update();
        awaitStatus(s -> s.assembled());
        engine = awaitEngine();
        assertEquals(ContainerStatus.RUNNING, engine.containers().container(c.id()).state().status());

        // the container exits while the OCI runtime bundle is stopped: conmon records it, the engine reads it back
        Bundle oci = bundle("jpod-oci-conmon");
        EngineServices old = engine;
        oci.stop();
        awaitStatus(s -> !s.assembled() && s.missing().contains("oci-runtime:runc"));
        Files.writeString(out.resolve("stop"), "");
        long end = System.currentTimeMillis() + TIMEOUT_MS;
        while (Files.exists(Path.of("/proc/" + pid)) && System.currentTimeMillis() < end) {
            Thread.sleep(100);
        }
        oci.start();
        engine = awaitNewEngine(old);
        assertEquals(42, engine.containers().waitFor(c.id(), Set.of(), 50));
        Container after = engine.containers().container(c.id());
        assertEquals(ContainerStatus.EXITED, after.state().status());
        assertEquals(42, after.state().exitCode());
        engine.containers().removeContainer(c.id(), false);
    }

    /**
     * The real cni backend: a container serving HTTP on a bridge network of the test's own while the network
     * bundle and every other provider bundle are updated. Its process, address, veth and namespace stay,
     * and it answers from the host after each update; once removed, nothing of its network is left.
     */
    @Test
    public void theCniBackendAndEveryProviderAreUpdatedWhileAContainerServesOnItsBridge() throws Exception {
        Assume.assumeTrue("needs Debian's containernetworking-plugins", Files.isExecutable(Path.of("/usr/lib/cni/bridge")));
        assertFalse("bridge " + BRIDGE + " is left from an earlier run", Files.exists(Path.of("/sys/class/net", BRIDGE)));
        configure("mapdb", "shm", "file", "runc", "vfs", """
                network_backend = "cni"
                cni_plugin_dirs = ["/usr/lib/cni"]
                network_config_dir = "%s/networks"
                """.formatted(dir), "", Map.of());
        engine = awaitEngine();
        engine.networks().createNetwork(new Network(NET, null, "bridge", BRIDGE, null,
                List.of(new Network.Subnet(SUBNET, null, null)), false, Map.of(), Map.of()));
        Set<String> chainsBefore = cniChains();
        importBusybox();
        Container c = engine.containers().createContainer(images().withImageDefaults(ContainerConfig.builder().name("server")
                .image("busybox").networkMode("bridge").networks(List.of(NET))
                .command(List.of("httpd", "-f", "-p", "8080", "-h", "/www")).build()));
        engine.containers().start(c.id());
        Container running = engine.containers().container(c.id());
        assertEquals(ContainerStatus.RUNNING, running.state().status());
        int pid = running.state().pid();
        String netns = running.state().netNsPath();
        assertTrue("netns " + netns, netns != null && Files.exists(Path.of(netns)));
        List<String> cidrs = engine.networks().networkAddresses(c.id()).get(NET);
        assertEquals(1, cidrs.size());
        String ip = cidrs.get(0).substring(0, cidrs.get(0).indexOf('/'));
        assertTrue(ip, ip.startsWith("10.94.6."));
        Path reservation = dir.resolve("run/cni/networks").resolve(NET).resolve(ip);
        assertTrue("host-local's reservation " + reservation, Files.exists(reservation));
        List<String> veths = vethsOn(BRIDGE);
        assertEquals(veths.toString(), 1, veths.size());
        assertEquals(PAGE, httpGet(ip));
        assertFalse("the container's own iptables rules", iptablesLines(c.id(), ip).isEmpty());

        for (String bsn : List.of("jpod-network-cni", "jpod-state-mapdb", "jpod-lock-shm", "jpod-events-file",
                "jpod-oci-conmon", "jpod-storage-vfs", "jpod-network-cni")) {
            EngineServices old = engine;
            bundle(bsn).update();
            engine = awaitNewEngine(old);
            Container now = engine.containers().container(c.id());
            assertEquals(bsn + " updated: still running", ContainerStatus.RUNNING, now.state().status());
            assertEquals(bsn + " updated: same process", pid, now.state().pid());
            assertEquals(bsn + " updated: same netns", netns, now.state().netNsPath());
            assertEquals(bsn + " updated: same address", cidrs, engine.networks().networkAddresses(c.id()).get(NET));
            assertEquals(bsn + " updated: same veth", veths, vethsOn(BRIDGE));
            assertEquals(bsn + " updated: still answers", PAGE, httpGet(ip));
        }

        engine.containers().stop(c.id(), 2);
        assertEquals("stopped: the veth is gone", List.of(), vethsOn(BRIDGE));
        engine.containers().removeContainer(c.id(), false);
        assertFalse("the netns is gone", Files.exists(Path.of(netns)));
        assertFalse("the address is free again", Files.exists(reservation));
        assertEquals("no iptables rule names the container or its address", List.of(), iptablesLines(c.id(), ip));
        Set<String> left = cniChains();
        left.removeAll(chainsBefore);
        left.removeIf(ch -> ch.equals("CNI-FORWARD") || ch.equals("CNI-ADMIN") || ch.startsWith("CNI-HOSTPORT-"));
        assertEquals("the container's own chains are gone", Set.of(), left);
        engine.networks().removeNetwork(NET, false);
        assertFalse("the bridge went with the network", Files.exists(Path.of("/sys/class/net", BRIDGE)));
    }

    /** GET / from the host; the first answer may take a moment while httpd starts. */
    private static String httpGet(String ip) throws Exception {
        long end = System.currentTimeMillis() + 10_000;
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(ip, 8080), 2000);
                s.setSoTimeout(5000);
                s.getOutputStream().write("GET /index.html HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                int body = answer.indexOf("\r\n\r\n");
                assertTrue(answer, answer.startsWith("HTTP/1.") && answer.contains(" 200 ") && body > 0);
                return answer.substring(body + 4);
            } catch (IOException e) {
                if (System.currentTimeMillis() > end) {
                    throw new AssertionError("no answer from " + ip + ":8080: " + e, e);
                }
                Thread.sleep(100);
            }
        }
    }

    private static List<String> vethsOn(String bridge) throws Exception {
        List<String> out = new ArrayList<>();
        for (String line : run("ip", "-o", "link", "show", "master", bridge).split("\n")) {
            String[] f = line.split(":\\s+");
            if (f.length > 1) {
                out.add(f[1].replaceAll("@.*", ""));
            }
        }
        return out;
    }

    private static List<String> iptablesLines(String id, String ip) throws Exception {
        List<String> out = new ArrayList<>();
        for (String line : run("iptables-save").split("\n")) {
            if (line.contains(id) || line.contains(" " + ip + "/32")) {
                out.add(line);
            }
        }
        return out;
    }

    private static Set<String> cniChains() throws Exception {
        Set<String> out = new TreeSet<>();
        for (String line : run("iptables-save").split("\n")) {
            if (line.startsWith(":CNI-")) {
                out.add(line.substring(1, line.indexOf(' ')));
            }
        }
        return out;
    }

    private static String run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(String.join(" ", cmd) + ": " + out, 0, p.waitFor());
        return out;
    }

    @After
    public void removeContainers() throws Exception {
        for (Bundle b : context.getBundles()) {
            if (b.getSymbolicName() != null && b.getSymbolicName().startsWith("jpod-") && b.getState() == Bundle.RESOLVED
                    && b.getHeaders().get("Fragment-Host") == null) {
                b.start();
            }
        }
        if (engine == null) {
            return;
        }
        try {
            awaitStatus(s -> s.assembled());
            engine = awaitEngine();
            for (Container c : engine.containers().containers(null)) {
                engine.containers().removeContainer(c.id(), true);
            }
        } catch (JpodException | AssertionError e) {
            System.err.println("cleanup: " + e.getMessage());
        }
        engine = null;
        if (Files.exists(Path.of("/sys/class/net", BRIDGE))) {
            // a failed test: the bridge plugin never removes its bridge
            new ProcessBuilder("ip", "link", "del", BRIDGE).inheritIO().start().waitFor();
        }
    }
}
