package io.jpod.network.cni.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jpod.api.Container;
import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;
import io.jpod.api.Network;
import io.jpod.api.NetworkAttachment;
import io.jpod.api.PerNetworkOptions;
import io.jpod.api.net.Ipv4Subnet;
import io.jpod.spi.ProviderContext;
import io.jpod.spi.network.NetworkBackend;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.After;
import org.junit.Assume;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The real plugins of /usr/lib/cni on a network namespace and a bridge of the test's own (jpodtest0 on
 * 10.93.0.0/24, jpodtest1 on 10.93.1.0/24); traffic only to that bridge's gateway.
 */
public class CniNetworkBackendTest {
    static final String PLUGIN_DIR = "/usr/lib/cni";
    static final String NET = "jpodtest";
    static final String BRIDGE = "jpodtest0";
    static final String SUBNET = "10.93.0.0/24";
    static final String FAIL_NET = "jpodfail";
    static final String FAIL_BRIDGE = "jpodtest1";

    @Rule
    public final TemporaryFolder tmp = new TemporaryFolder();

    private final ObjectMapper json = new ObjectMapper();
    private final CniNetworkProvider provider = new CniNetworkProvider();
    private final List<NetworkBackend> opened = new ArrayList<>();
    private final List<Runnable> undo = new ArrayList<>();
    private String netns;

    @Before
    public void names() {
        byte[] r = new byte[4];
        new SecureRandom().nextBytes(r);
        netns = "jpod-test-" + HexFormat.of().formatHex(r);
    }

    @After
    public void cleanUp() {
        // A failed test still tears down what it attached, so no rule outlives it.
        undo.forEach(Runnable::run);
        opened.forEach(NetworkBackend::close);
        Sh.run("ip", "netns", "del", netns);
        Sh.run("ip", "link", "del", BRIDGE);
        Sh.run("ip", "link", "del", FAIL_BRIDGE);
    }

    /** True if the address of {@code cidr} (an interface's a.b.c.d/len) is in {@code subnet}. */
    private static boolean inSubnet(String subnet, String cidr) {
        return Ipv4Subnet.parse(subnet).contains(Ipv4Subnet.parseAddress(cidr));
    }

    @Test
    public void openWritesTheDefaultNetworkOnceAndListsNetworks() throws IOException {
        Path root = tmp.getRoot().toPath();
        Assume.assumeTrue("needs " + PLUGIN_DIR, Files.isExecutable(Path.of(PLUGIN_DIR, "bridge")));
        ProviderContext ctx = Contexts.context(root, List.of("/nonexistent", PLUGIN_DIR), "jpod", "10.90.0.0/16");
        NetworkBackend b = open(ctx);
        assertEquals("cni", b.name());
        Path file = root.resolve("net.d/jpod.conflist");
        JsonNode conf = json.readTree(file.toFile());
        assertEquals("1.0.0", conf.get("cniVersion").asText());
        assertEquals("jpod", conf.get("name").asText());
        List<String> types = new ArrayList<>();
        conf.get("plugins").forEach(p -> types.add(p.get("type").asText()));
        assertEquals(List.of("bridge", "portmap", "firewall", "tuning"), types);
        JsonNode br = conf.get("plugins").get(0);
        assertEquals("jpod0", br.get("bridge").asText());
        assertTrue(br.get("isGateway").asBoolean() && br.get("ipMasq").asBoolean()
                && br.get("hairpinMode").asBoolean());
        JsonNode ipam = br.get("ipam");
        assertEquals("host-local", ipam.get("type").asText());
        assertEquals("10.90.0.0/16", ipam.at("/ranges/0/0/subnet").asText());
        assertEquals("10.90.0.1", ipam.at("/ranges/0/0/gateway").asText());
        assertEquals("0.0.0.0/0", ipam.at("/routes/0/dst").asText());
        assertEquals(root.resolve("cni/networks").toString(), ipam.get("dataDir").asText());
        assertTrue(conf.get("plugins").get(1).at("/capabilities/portMappings").asBoolean());

        // Not rewritten once there: an operator's edit stays.
        ((ObjectNode) conf).put("x-edited", true);
        json.writeValue(file.toFile(), conf);
        Files.writeString(root.resolve("net.d/other.conflist"), "{}");
        NetworkBackend again = open(ctx);
        assertTrue(json.readTree(file.toFile()).get("x-edited").asBoolean());
        assertEquals(List.of("jpod", "other"), ((CniDefinitions) again.definitions()).names());
    }

    @Test
    public void openWithoutThePluginsNamesTheDirsAndThePackage() {
        Path root = tmp.getRoot().toPath();
        String empty = root.resolve("empty").toString();
        try {
            provider.open(Contexts.context(root, List.of(empty), "jpod", "10.90.0.0/16"));
            fail("opened without plugins");
        } catch (JpodException e) {
            assertEquals(ErrorCode.CONFIG_INVALID, e.code());
            assertTrue(e.getMessage(), e.getMessage().contains(empty));
            assertTrue(e.getMessage(), e.getMessage().contains("containernetworking-plugins"));
        }
        assertFalse(Files.exists(root.resolve("net.d")));
    }

    @Test
    public void unknownNetworkIsNoSuchNetworkAndRunsNothing() {
        Path root = tmp.getRoot().toPath();
        Assume.assumeTrue("needs " + PLUGIN_DIR, Files.isExecutable(Path.of(PLUGIN_DIR, "bridge")));
        NetworkBackend b = open(Contexts.context(root, List.of(PLUGIN_DIR), "jpod", "10.90.0.0/16"));
        Container ctr = Contexts.container(List.of("jpod", "nosuchnet"));
        try {
            b.networking().setup(ctr, "/run/netns/none-such");
            fail("set up an unknown network");
        } catch (JpodException e) {
            assertEquals(ErrorCode.NO_SUCH_NETWORK, e.code());
            assertTrue(e.getMessage(), e.getMessage().contains("nosuchnet"));
        }
        assertFalse(Files.exists(root.resolve("cni/results")));
    }

    @Test
    public void setupAndTeardownWithTheRealPlugins() throws IOException {
        assumeRealNetworking();
        Path root = tmp.getRoot().toPath();
        writeTestNetwork(root);
        ProviderContext ctx = Contexts.context(root, List.of(PLUGIN_DIR), NET, SUBNET);
        List<String> rulesBefore = cniRules();
        Sh.ok("ip", "netns", "add", netns);
        String nsPath = "/run/netns/" + netns;
        Container ctr = Contexts.container(List.of());

        NetworkBackend b = open(ctx);
        undo.add(() -> b.networking().teardown(ctr, nsPath));
        Map<String, List<String>> addrs = b.networking().setup(ctr, nsPath);
        assertEquals(List.of(NET), List.copyOf(addrs.keySet()));
        assertEquals(1, addrs.get(NET).size());
        String cidr = addrs.get(NET).get(0);
        assertTrue(cidr, cidr.endsWith("/24") && inSubnet(SUBNET, cidr));
        String ip = cidr.substring(0, cidr.indexOf('/'));
        assertTrue(Sh.ok("ip", "netns", "exec", netns, "ip", "-4", "addr", "show", "eth0").contains(cidr));
        assertEquals(0, Sh.run("ip", "link", "show", BRIDGE).exit());
        assertFalse("a veth on " + BRIDGE, vethsOn(BRIDGE).isEmpty());
        Sh.ok("ip", "netns", "exec", netns, "busybox", "ping", "-c1", "-W1", Ipv4Subnet.parse(SUBNET).gateway().toString());
        Path cache = root.resolve("cni/results/" + NET + "-" + ctr.id() + "-eth0.json");
        assertTrue(Files.exists(cache));
        assertNotEquals("the masquerade chain is there while attached", rulesBefore, cniRules());

        // A new backend (the service restarted) tears down from the cache.
        NetworkBackend restarted = open(ctx);
        restarted.networking().teardown(ctr, nsPath);
        assertTrue("veths left: " + vethsOn(BRIDGE), vethsOn(BRIDGE).isEmpty());
        assertFalse(Files.exists(cache));
        assertNotEquals("eth0 still in the netns", 0, Sh.run("ip", "netns", "exec", netns, "ip", "link", "show",
                "eth0").exit());
        assertEquals(rulesBefore, cniRules());
        assertFalse(Sh.ok("iptables-save").contains(ip + "/32"));
        assertFalse("IP still reserved", Files.exists(root.resolve("cni/networks/" + NET + "/" + ip)));

        // Idempotent: again, and with the netns gone.
        restarted.networking().teardown(ctr, nsPath);
        Sh.ok("ip", "netns", "del", netns);
        restarted.networking().teardown(ctr, nsPath);
        assertEquals(rulesBefore, cniRules());
    }

    @Test
    public void aMacvlanNetworkGivesTheContainerAnInterfaceOnItsParent() throws IOException {
        assumeRealNetworking();
        Assume.assumeTrue("needs the macvlan plugin", Files.isExecutable(Path.of(PLUGIN_DIR, "macvlan")));
        Path root = tmp.getRoot().toPath();
        NetworkBackend b = open(Contexts.context(root, List.of(PLUGIN_DIR), NET, SUBNET));
        JpodException noParent = assertThrows(JpodException.class, () -> b.definitions().create(new Network("mv",
                null, "macvlan", null, null, List.of(), false, Map.of(), Map.of())));
        assertEquals(ErrorCode.INVALID_ARG, noParent.code());
        assertTrue(noParent.getMessage(), noParent.getMessage().contains("parent"));

        // one end of a veth pair of the test's own as the parent (no dummy driver here): no traffic leaves the host
        String parent = "jpodmv" + netns.substring(netns.length() - 6);
        Sh.ok("ip", "link", "add", parent, "type", "veth", "peer", "name", parent + "p");
        Sh.ok("ip", "link", "set", parent, "up");
        Sh.ok("ip", "link", "set", parent + "p", "up");
        Network n = b.definitions().create(new Network("mv", null, "macvlan", null, null,
                List.of(new Network.Subnet("10.97.5.0/24", null, null)), false, Map.of(), Map.of("parent", parent)));
        assertEquals("macvlan", n.driver());
        assertEquals(parent, n.networkInterface());
        Sh.ok("ip", "netns", "add", netns);
        String nsPath = "/run/netns/" + netns;
        Container ctr = Contexts.container(List.of("mv"));
        undo.add(() -> b.networking().teardown(ctr, nsPath));
        undo.add(() -> Sh.run("ip", "link", "del", parent));
        List<String> rulesBefore = cniRules();

        String cidr = b.networking().setup(ctr, nsPath).get("mv").get(0);
        assertTrue(cidr, inSubnet("10.97.5.0/24", cidr));
        String link = Sh.ok("ip", "netns", "exec", netns, "ip", "-d", "link", "show", "eth0");
        assertTrue(link, link.contains("macvlan") && link.contains("@if"));
        String ip = cidr.substring(0, cidr.indexOf('/'));
        assertTrue("reserved while attached", Files.exists(root.resolve("cni/networks/mv/" + ip)));

        b.networking().teardown(ctr, nsPath);
        assertNotEquals("eth0 gone", 0, Sh.run("ip", "netns", "exec", netns, "ip", "link", "show", "eth0").exit());
        assertFalse("IP released", Files.exists(root.resolve("cni/networks/mv/" + ip)));
        assertEquals(rulesBefore, cniRules());
        b.definitions().remove("mv");
        assertFalse(((CniDefinitions) b.definitions()).names().contains("mv"));
    }

    @Test
    public void teardownAfterTheNetnsIsGoneStillReleasesEverything() throws IOException {
        assumeRealNetworking();
        Path root = tmp.getRoot().toPath();
        writeTestNetwork(root);
        NetworkBackend b = open(Contexts.context(root, List.of(PLUGIN_DIR), NET, SUBNET));
        List<String> rulesBefore = cniRules();
        Sh.ok("ip", "netns", "add", netns);
        Container ctr = Contexts.container(List.of(NET));
        undo.add(() -> b.networking().teardown(ctr, "/run/netns/" + netns));
        String ip = b.networking().setup(ctr, "/run/netns/" + netns).get(NET).get(0).split("/")[0];
        Sh.ok("ip", "netns", "del", netns);
        b.networking().teardown(ctr, "/run/netns/" + netns);
        assertEquals(rulesBefore, cniRules());
        assertFalse("IP still reserved", Files.exists(root.resolve("cni/networks/" + NET + "/" + ip)));
        assertTrue(vethsOn(BRIDGE).isEmpty());
    }

    @Test
    public void aMissingPluginMidAddRollsBackAndLeavesNothing() throws IOException {
        assumeRealNetworking();
        Path root = tmp.getRoot().toPath();
        ObjectNode conf = Conflists.bridgeConflist(json, FAIL_NET, FAIL_BRIDGE, "10.93.1.0/24",
                root.resolve("cni/networks"));
        conf.withArray("plugins").insertObject(1).put("type", "jpod-no-such-plugin");
        writeConflist(root, FAIL_NET, conf);
        NetworkBackend b = open(Contexts.context(root, List.of(PLUGIN_DIR), FAIL_NET, "10.93.1.0/24"));
        List<String> rulesBefore = cniRules();
        Sh.ok("ip", "netns", "add", netns);
        Container ctr = Contexts.container(List.of());
        try {
            b.networking().setup(ctr, "/run/netns/" + netns);
            fail("set up with a missing plugin");
        } catch (JpodException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("jpod-no-such-plugin"));
            assertTrue(e.getMessage(), e.getMessage().contains(PLUGIN_DIR));
        }
        assertTrue("veths left: " + vethsOn(FAIL_BRIDGE), vethsOn(FAIL_BRIDGE).isEmpty());
        assertTrue(Sh.run("ip", "netns", "exec", netns, "ip", "link", "show", "eth0").exit() != 0);
        assertFalse(Files.exists(root.resolve("cni/results/" + FAIL_NET + "-" + ctr.id() + "-eth0.json")));
        assertEquals(rulesBefore, cniRules());
        assertEquals("no address left reserved", List.of(), reservedIps(root.resolve("cni/networks/" + FAIL_NET)));
    }

    @Test
    public void aPluginErrorIsReportedWithItsMessage() throws IOException {
        assumeRealNetworking();
        Path root = tmp.getRoot().toPath();
        ObjectNode conf = Conflists.bridgeConflist(json, FAIL_NET, FAIL_BRIDGE, "10.93.1.0/24",
                root.resolve("cni/networks"));
        // tuning refuses a sysctl outside net.*: the failure comes after bridge, portmap and firewall ran.
        ((ObjectNode) conf.withArray("plugins").get(3)).putObject("sysctl").put("kernel.jpod_not_net", "1");
        writeConflist(root, FAIL_NET, conf);
        NetworkBackend b = open(Contexts.context(root, List.of(PLUGIN_DIR), FAIL_NET, "10.93.1.0/24"));
        List<String> rulesBefore = cniRules();
        Sh.ok("ip", "netns", "add", netns);
        Container ctr = Contexts.container(List.of());
        try {
            b.networking().setup(ctr, "/run/netns/" + netns);
            fail("tuning accepted a non-net sysctl");
        } catch (JpodException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("CNI plugin tuning"));
            assertTrue(e.getMessage(), e.getMessage().contains("kernel.jpod_not_net"));
        }
        assertTrue("veths left: " + vethsOn(FAIL_BRIDGE), vethsOn(FAIL_BRIDGE).isEmpty());
        assertEquals(rulesBefore, cniRules());
        assertEquals(List.of(), reservedIps(root.resolve("cni/networks/" + FAIL_NET)));
    }

    @Test
    public void twoNetworksOneOfThemCni040GetEth0AndEth1AndCheckSeesABrokenOne() throws IOException {
        assumeRealNetworking();
        Path root = tmp.getRoot().toPath();
        writeTestNetwork(root);
        writeCni040Network(root);
        CniNetworkBackend b = (CniNetworkBackend) open(Contexts.context(root, List.of(PLUGIN_DIR), NET, SUBNET));
        List<String> rulesBefore = cniRules();
        Sh.ok("ip", "netns", "add", netns);
        String nsPath = "/run/netns/" + netns;
        Container ctr = Contexts.container(List.of(NET, "jpodtest4"));
        undo.add(() -> b.networking().teardown(ctr, nsPath));

        Map<String, List<String>> addrs = b.networking().setup(ctr, nsPath);
        assertEquals(List.of(NET, "jpodtest4"), List.copyOf(addrs.keySet()));
        assertTrue(inSubnet(SUBNET, addrs.get(NET).get(0)));
        assertTrue(inSubnet("10.93.1.0/24", addrs.get("jpodtest4").get(0)));
        assertTrue(Sh.ok("ip", "netns", "exec", netns, "ip", "-4", "addr", "show", "eth0")
                .contains(addrs.get(NET).get(0)));
        assertTrue(Sh.ok("ip", "netns", "exec", netns, "ip", "-4", "addr", "show", "eth1")
                .contains(addrs.get("jpodtest4").get(0)));
        Sh.ok("ip", "netns", "exec", netns, "busybox", "ping", "-c1", "-W1", "10.93.1.1");
        b.networking().check(ctr, nsPath);

        Sh.ok("ip", "netns", "exec", netns, "ip", "link", "del", "eth1");
        try {
            b.networking().check(ctr, nsPath);
            fail("CHECK passed without eth1");
        } catch (JpodException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("CHECK on network jpodtest4"));
        }

        b.networking().teardown(ctr, nsPath);
        assertTrue(vethsOn(BRIDGE).isEmpty());
        assertTrue(vethsOn(FAIL_BRIDGE).isEmpty());
        assertEquals(rulesBefore, cniRules());
        assertEquals(List.of(), reservedIps(root.resolve("cni/networks/" + NET)));
        assertEquals(List.of(), reservedIps(root.resolve("cni/networks/jpodtest4")));
        try (Stream<Path> s = Files.list(root.resolve("cni/results"))) {
            assertEquals(0, s.count());
        }
    }

    @Test
    public void aFailingSecondNetworkRollsBackTheFirst() throws IOException {
        assumeRealNetworking();
        Path root = tmp.getRoot().toPath();
        writeTestNetwork(root);
        ObjectNode conf = Conflists.bridgeConflist(json, FAIL_NET, FAIL_BRIDGE, "10.93.1.0/24",
                root.resolve("cni/networks"));
        conf.withArray("plugins").addObject().put("type", "jpod-no-such-plugin");
        writeConflist(root, FAIL_NET, conf);
        NetworkBackend b = open(Contexts.context(root, List.of(PLUGIN_DIR), NET, SUBNET));
        List<String> rulesBefore = cniRules();
        Sh.ok("ip", "netns", "add", netns);
        Container ctr = Contexts.container(List.of(NET, FAIL_NET));
        try {
            b.networking().setup(ctr, "/run/netns/" + netns);
            fail("set up with a missing plugin");
        } catch (JpodException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("jpod-no-such-plugin"));
        }
        assertTrue(vethsOn(BRIDGE).isEmpty());
        assertTrue(vethsOn(FAIL_BRIDGE).isEmpty());
        assertEquals(rulesBefore, cniRules());
        assertEquals(List.of(), reservedIps(root.resolve("cni/networks/" + NET)));
        assertEquals(List.of(), reservedIps(root.resolve("cni/networks/" + FAIL_NET)));
        try (Stream<Path> s = Files.list(root.resolve("cni/results"))) {
            assertEquals(0, s.count());
        }
    }

    @Test
    public void parallelContainersOnOneNetworkGetDistinctAddressesAndLeaveNothing() throws Exception {
        assumeRealNetworking();
        Path root = tmp.getRoot().toPath();
        writeTestNetwork(root);
        NetworkBackend b = open(Contexts.context(root, List.of(PLUGIN_DIR), NET, SUBNET));
        List<String> rulesBefore = cniRules();
        int n = 4;
        List<String> namespaces = new ArrayList<>();
        List<Container> ctrs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String ns = netns + "-" + i;
            Sh.ok("ip", "netns", "add", ns);
            namespaces.add(ns);
            Container c = Contexts.container(List.of());
            ctrs.add(c);
            undo.add(() -> b.networking().teardown(c, "/run/netns/" + ns));
            undo.add(() -> Sh.run("ip", "netns", "del", ns));
        }
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Future<Map<String, List<String>>>> fs = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                Container c = ctrs.get(i);
                String ns = "/run/netns/" + namespaces.get(i);
                fs.add(pool.submit(() -> b.networking().setup(c, ns)));
            }
            Set<String> ips = new HashSet<>();
            for (var f : fs) {
                ips.add(f.get().get(NET).get(0));
            }
            assertEquals("distinct addresses " + ips, n, ips.size());
            assertEquals(n, vethsOn(BRIDGE).size());
            // The containers reach each other over the bridge.
            String peer = fs.get(1).get().get(NET).get(0).split("/")[0];
            Sh.ok("ip", "netns", "exec", namespaces.get(0), "busybox", "ping", "-c1", "-W1", peer);
            List<Future<?>> ts = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                Container c = ctrs.get(i);
                String ns = "/run/netns/" + namespaces.get(i);
                ts.add(pool.submit(() -> b.networking().teardown(c, ns)));
            }
            for (var t : ts) {
                t.get();
            }
        } finally {
            pool.shutdown();
        }
        assertTrue(vethsOn(BRIDGE).isEmpty());
        assertEquals(rulesBefore, cniRules());
        assertEquals(List.of(), reservedIps(root.resolve("cni/networks/" + NET)));
    }

    @Test
    public void aStaticAddressAndMacAreExactlyWhatTheContainerGetsAndATakenOneLeavesNothing() throws IOException {
        assumeRealNetworking();
        Path root = tmp.getRoot().toPath();
        writeTestNetwork(root);
        // a network written by an older jpod (or podman): CNI 0.4.0, no capabilities beyond portMappings
        writeCni040Network(root);
        CniNetworkBackend b = (CniNetworkBackend) open(Contexts.context(root, List.of(PLUGIN_DIR), NET, SUBNET));
        List<String> rulesBefore = cniRules();
        String ns1 = "/run/netns/" + netns;
        String other = netns + "-2";
        String ns2 = "/run/netns/" + other;
        Sh.ok("ip", "netns", "add", netns);
        Sh.ok("ip", "netns", "add", other);
        undo.add(() -> Sh.run("ip", "netns", "del", other));
        String mac = "02:42:0a:5d:00:4d";
        Container first = withOptions(Contexts.container(List.of(NET)), NET,
                new PerNetworkOptions(List.of("10.93.0.77"), mac));
        undo.add(() -> b.networking().teardown(first, ns1));

        assertEquals(Map.of(NET, List.of("10.93.0.77/24")), b.networking().setup(first, ns1));
        assertTrue(Sh.ok("ip", "netns", "exec", netns, "ip", "-4", "-o", "addr", "show", "eth0")
                .contains("inet 10.93.0.77/24"));
        assertEquals(mac, Sh.ok("ip", "netns", "exec", netns, "cat", "/sys/class/net/eth0/address").strip());
        assertEquals(new NetworkAttachment(NET, "eth0", List.of("10.93.0.77/24"), "10.93.0.1", mac),
                b.networking().attachments(first).get(NET));
        Sh.ok("ip", "netns", "exec", netns, "busybox", "ping", "-c1", "-W1", "10.93.0.1");
        b.networking().check(first, ns1);

        // The same address for another container: refused before any plugin runs, naming the holder.
        Container second = withOptions(Contexts.container(List.of(NET)), NET, new PerNetworkOptions(
                List.of("10.93.0.77"), null));
        undo.add(() -> b.networking().teardown(second, ns2));
        String m = setupRefused(b, second, ns2);
        assertTrue(m, m.contains("requested static ip 10.93.0.77 is already in use on network " + NET
                + " by container " + first.id().substring(0, 12)));
        assertLeftNothing(root, second, other, 1);

        // Held where only host-local knows (no cached result): its refusal, rolled back, in the same words.
        Path cache = b.cacheFile(NET, first.id(), "eth0");
        Path aside = cache.resolveSibling("aside");
        Files.move(cache, aside);
        try {
            m = setupRefused(b, second, ns2);
            assertTrue(m, m.startsWith("requested static ip 10.93.0.77 is already in use on network " + NET + ":"));
            assertLeftNothing(root, second, other, 1);
        } finally {
            Files.move(aside, cache);
        }

        // connect: a static address on a second, older network
        Container joined = withOptions(first.withConfig(first.config().withNetworks(List.of(NET, "jpodtest4"))),
                "jpodtest4", new PerNetworkOptions(List.of("10.93.1.9"), null));
        assertEquals(List.of("10.93.1.9/24"), b.networking().connect(joined, ns1, "jpodtest4"));
        assertTrue(Sh.ok("ip", "netns", "exec", netns, "ip", "-4", "-o", "addr", "show", "eth1")
                .contains("inet 10.93.1.9/24"));
        assertEquals("10.93.1.1", b.networking().attachments(joined).get("jpodtest4").gateway());

        b.networking().teardown(joined, ns1);
        assertTrue(vethsOn(BRIDGE).isEmpty());
        assertTrue(vethsOn(FAIL_BRIDGE).isEmpty());
        assertEquals(rulesBefore, cniRules());
        assertEquals(List.of(), reservedIps(root.resolve("cni/networks/" + NET)));
        assertEquals(List.of(), reservedIps(root.resolve("cni/networks/jpodtest4")));
        assertTuningRestoredEverything(first);

        // released: the second container gets the address now
        assertEquals(Map.of(NET, List.of("10.93.0.77/24")), b.networking().setup(second, ns2));
        b.networking().teardown(second, ns2);
        assertEquals(rulesBefore, cniRules());
    }

    private static Container withOptions(Container c, String network, PerNetworkOptions o) {
        return c.withConfig(c.config().toBuilder().networkOptions(Map.of(network, o)).build());
    }

    private static String setupRefused(NetworkBackend b, Container c, String ns) {
        try {
            b.networking().setup(c, ns);
            fail("a taken static address was given");
            return null;
        } catch (JpodException e) {
            return e.getMessage();
        }
    }

    /** No interface, cached result or reservation of {@code c}; {@code veths} veths on the bridge (the holder's). */
    private void assertLeftNothing(Path root, Container c, String ns, int veths) throws IOException {
        assertEquals(vethsOn(BRIDGE).toString(), veths, vethsOn(BRIDGE).size());
        assertNotEquals("eth0 left in " + ns, 0, Sh.run("ip", "netns", "exec", ns, "ip", "link", "show", "eth0")
                .exit());
        assertFalse(Files.exists(root.resolve("cni/results/" + NET + "-" + c.id() + "-eth0.json")));
        assertEquals(List.of("10.93.0.77"), reservedIps(root.resolve("cni/networks/" + NET)));
        assertFalse("a firewall rule of " + c.id(), Sh.ok("iptables-save").contains(c.id()));
    }

    /** tuning keeps the interface's old settings under /run/cni/tuning until DEL puts them back. */
    private static void assertTuningRestoredEverything(Container c) throws IOException {
        Path dir = Path.of("/run/cni/tuning");
        if (Files.isDirectory(dir)) {
            try (Stream<Path> s = Files.list(dir)) {
                assertEquals(List.of(), s.map(Path::toString).filter(p -> p.contains(c.id())).toList());
            }
        }
    }

    private NetworkBackend open(ProviderContext ctx) {
        NetworkBackend b = provider.open(ctx);
        opened.add(b);
        return b;
    }

    /** The test's own bridge network NET on BRIDGE and SUBNET. */
    private void writeTestNetwork(Path root) throws IOException {
        writeConflist(root, NET, Conflists.bridgeConflist(json, NET, BRIDGE, SUBNET,
                root.resolve("cni/networks")));
    }

    /** "jpodtest4" on FAIL_BRIDGE, 10.93.1.0/24, in CNI 0.4.0 as an older jpod (or podman) wrote it. */
    private void writeCni040Network(Path root) throws IOException {
        ObjectNode old = Conflists.bridgeConflist(json, "jpodtest4", FAIL_BRIDGE, "10.93.1.0/24",
                root.resolve("cni/networks"));
        old.put("cniVersion", "0.4.0");
        writeConflist(root, "jpodtest4", old);
    }

    private void writeConflist(Path root, String name, ObjectNode conf) throws IOException {
        Files.createDirectories(root.resolve("net.d"));
        json.writeValue(root.resolve("net.d/" + name + ".conflist").toFile(), conf);
    }

    private static void assumeRealNetworking() {
        Assume.assumeTrue("needs the plugins in " + PLUGIN_DIR, Files.isExecutable(Path.of(PLUGIN_DIR, "bridge")));
        Assume.assumeTrue("needs root for netns", Sh.run("id", "-u").text().strip().equals("0"));
    }

    /** The host's CNI iptables lines, without the firewall plugin's shared chains that outlive every DEL. */
    private static List<String> cniRules() {
        List<String> out = new ArrayList<>();
        for (String line : Sh.ok("iptables-save").split("\n")) {
            if (line.contains("CNI-") && !line.startsWith(":CNI-FORWARD") && !line.startsWith(":CNI-ADMIN")
                    && !line.contains("CNI firewall plugin")) {
                out.add(line.replaceAll("\\[\\d+:\\d+\\]", ""));
            }
        }
        out.sort(null);
        return out;
    }

    private static List<String> vethsOn(String bridge) {
        Sh.Out o = Sh.run("ip", "-o", "link", "show", "master", bridge);
        return o.exit() != 0 ? List.of() : o.text().lines().filter(l -> !l.isBlank()).toList();
    }

    private static List<String> reservedIps(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.matches("\\d+\\.\\d+\\.\\d+\\.\\d+"))
                    .toList();
        }
    }
}
