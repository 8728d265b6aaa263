package io.jpod.network.cni.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.jpod.api.Container;
import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;
import io.jpod.api.Network;
import io.jpod.spi.network.NetworkBackend;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.After;
import org.junit.Assume;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * A network's bridge name against the host's interfaces: a name that cannot be an interface and a bridge the
 * host has are refused at create, and rm deletes only the bridge jpod made for that network. The host
 * bridge is the test's own ({@value #HOST_BRIDGE}), made and removed here; so is the netns.
 */
public class HostBridgesTest {
    static final String HOST_BRIDGE = "jpodtesthb0";
    static final String OWN_BRIDGE = "jpodtestown0";

    @Rule
    public final TemporaryFolder tmp = new TemporaryFolder();

    private final ObjectMapper json = new ObjectMapper();
    private NetworkBackend backend;
    private Path root;
    private String netns;

    @Before
    public void open() {
        Assume.assumeTrue("needs the plugins in /usr/lib/cni", Files.isExecutable(Path.of("/usr/lib/cni/bridge")));
        Assume.assumeTrue("needs root for links and netns", Sh.run("id", "-u").text().strip().equals("0"));
        root = tmp.getRoot().toPath();
        backend = new CniNetworkProvider().open(Contexts.context(root, List.of("/usr/lib/cni"), "jpod", "10.90.0.0/16"));
        byte[] r = new byte[4];
        new SecureRandom().nextBytes(r);
        netns = "jpod-test-" + HexFormat.of().formatHex(r);
    }

    @After
    public void cleanUp() {
        if (backend != null) {
            backend.close();
        }
        Sh.run("ip", "netns", "del", netns);
        Sh.run("ip", "link", "del", HOST_BRIDGE);
        Sh.run("ip", "link", "del", OWN_BRIDGE);
    }

    private static Network bridge(String name, String iface, String subnet) {
        return new Network(name, null, "bridge", iface, null,
                subnet == null ? List.of() : List.of(new Network.Subnet(subnet, null, null)), false, Map.of(), Map.of());
    }

    private JpodException refused(Network spec) {
        JpodException e = assertThrows(JpodException.class, () -> backend.definitions().create(spec));
        assertEquals(e.getMessage(), ErrorCode.INVALID_ARG, e.code());
        assertFalse("nothing written for " + spec.name(), Files.exists(root.resolve("net.d/" + spec.name() + ".conflist")));
        return e;
    }

    private static void hostBridge() {
        Sh.ok("ip", "link", "add", HOST_BRIDGE, "type", "bridge");
    }

    private static boolean linkExists(String name) {
        return Sh.run("ip", "link", "show", "dev", name).exit() == 0;
    }

    @Test
    public void aNameThatCannotBeAnInterfaceIsRefused() {
        for (String bad : List.of("sixteen-chars-xx", ".", "..", "../../etc", "eth0/x", "br 0", "br:0", "brü")) {
            JpodException e = refused(bridge("badname", bad, null));
            assertTrue(e.getMessage(), e.getMessage().contains("invalid bridge name \"" + bad + "\"")
                    && e.getMessage().contains("1 to 15 letters"));
        }
        JpodException macvlan = assertThrows(JpodException.class, () -> backend.definitions().create(new Network("mv",
                null, "macvlan", null, null, List.of(), false, Map.of(), Map.of("parent", "../../../etc"))));
        assertEquals(ErrorCode.INVALID_ARG, macvlan.code());
        assertTrue(macvlan.getMessage(), macvlan.getMessage().contains("invalid macvlan parent"));
        Network fifteen = backend.definitions().create(bridge("longest", "jpodtest-15char", null));
        assertEquals("jpodtest-15char", fifteen.networkInterface());
    }

    @Test
    public void aBridgeTheHostHasIsRefusedAndSurvives() {
        hostBridge();
        JpodException e = refused(bridge("takeover", HOST_BRIDGE, null));
        assertTrue(e.getMessage(), e.getMessage().contains("bridge " + HOST_BRIDGE + " already exists on the host"));
        assertTrue(e.getMessage(), e.getMessage().contains("give another bridge name"));
        for (String host : List.of("lo", "eth0")) {
            if (linkExists(host)) {
                assertTrue(refused(bridge("takeover", host, null)).getMessage().contains("already exists on the host"));
            }
        }
        assertTrue(HOST_BRIDGE + " is still there", linkExists(HOST_BRIDGE));
    }

    @Test
    public void rmLeavesABridgeJpodDidNotMake() throws Exception {
        // a network defined while the name was free, whose bridge the host then made itself
        backend.definitions().create(bridge("early", HOST_BRIDGE, "10.98.77.0/24"));
        hostBridge();
        backend.definitions().remove("early");
        assertTrue("a bridge jpod did not make survives rm", linkExists(HOST_BRIDGE));

        // a conflist written by hand (or by podman) that names the host's bridge
        Files.createDirectories(root.resolve("net.d"));
        json.writeValue(root.resolve("net.d/handmade.conflist").toFile(),
                Conflists.bridgeConflist(json, "handmade", HOST_BRIDGE, "10.98.78.0/24", root.resolve("cni/networks")));
        assertEquals(HOST_BRIDGE, backend.definitions().inspect("handmade").networkInterface());
        backend.definitions().remove("handmade");
        assertTrue("a bridge jpod did not make survives rm", linkExists(HOST_BRIDGE));
        assertFalse(Files.exists(root.resolve("net.d/handmade.conflist")));

        // one jpod made for another network is not this one's either
        Sh.ok("ip", "link", "set", "dev", HOST_BRIDGE, "alias", HostBridges.mark(Conflists.idOf("other")));
        json.writeValue(root.resolve("net.d/handmade.conflist").toFile(),
                Conflists.bridgeConflist(json, "handmade", HOST_BRIDGE, "10.98.78.0/24", root.resolve("cni/networks")));
        backend.definitions().remove("handmade");
        assertTrue(linkExists(HOST_BRIDGE));
    }

    @Test
    public void theBridgeJpodMadeForANetworkGoesWithIt() {
        Network n = backend.definitions().create(bridge("ownbr", OWN_BRIDGE, "10.98.79.0/24"));
        assertFalse(linkExists(OWN_BRIDGE));
        Sh.ok("ip", "netns", "add", netns);
        String nsPath = "/run/netns/" + netns;
        Container ctr = Contexts.container(List.of("ownbr"));
        backend.networking().setup(ctr, nsPath);
        try {
            assertTrue("the bridge plugin made it", linkExists(OWN_BRIDGE));
            assertTrue(Sh.ok("ip", "-d", "link", "show", "dev", OWN_BRIDGE), HostBridges.madeFor(OWN_BRIDGE, n.id()));
            assertTrue(Sh.ok("ip", "link", "show", "dev", OWN_BRIDGE).contains("alias jpod network " + n.id()));
        } finally {
            backend.networking().teardown(ctr, nsPath);
        }
        backend.definitions().remove("ownbr");
        assertFalse("rm deletes the bridge jpod made for the network", linkExists(OWN_BRIDGE));
    }
}
