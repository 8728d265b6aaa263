package io.jpod.network.cni.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;
import io.jpod.api.Network;
import io.jpod.api.PortMapping;
import io.jpod.spi.network.NetworkBackend;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.Assume;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** network create, inspect, ls, rm as definitions: what is checked, what is written, what is refused. */
public class NetworkManagementTest {
    @Rule
    public final TemporaryFolder tmp = new TemporaryFolder();

    private NetworkBackend backend;
    private Path root;

    @Before
    public void open() {
        Assume.assumeTrue("needs the plugins in /usr/lib/cni", Files.isExecutable(Path.of("/usr/lib/cni/bridge")));
        root = tmp.getRoot().toPath();
        backend = new CniNetworkProvider().open(Contexts.context(root, List.of("/usr/lib/cni"), "jpod", "10.90.0.0/16"));
    }

    private static Network spec(String name, String subnet, String gateway, String range) {
        return new Network(name, null, "bridge", null, null,
                subnet == null ? List.of() : List.of(new Network.Subnet(subnet, gateway, range)), false, Map.of(),
                Map.of());
    }

    private static ErrorCode code(Runnable r) {
        return assertThrows(JpodException.class, r::run).code();
    }

    @Test
    public void createPicksAFreeSubnetAndBridgeAndListsIt() {
        Network a = backend.definitions().create(spec(null, null, null, null));
        assertEquals("jpod1", a.name());
        assertEquals("10.91.0.0/24", a.subnets().get(0).subnet());
        assertEquals("10.91.0.1", a.subnets().get(0).gateway());
        assertEquals("bridge", a.driver());
        assertFalse(a.networkInterface().isEmpty());
        assertEquals(64, a.id().length());
        Network b = backend.definitions().create(new Network("backend", null, "bridge", null, null, List.of(), true,
                Map.of("team", "db"), Map.of("mtu", "1400")));
        assertEquals("10.91.1.0/24", b.subnets().get(0).subnet());
        assertTrue(b.internal());
        assertEquals(Map.of("team", "db"), b.labels());
        assertEquals(List.of("backend", "jpod", "jpod1"), backend.definitions().list().stream().map(Network::name).sorted().toList());
        assertEquals("backend", backend.definitions().inspect(b.id().substring(0, 12)).name());
        assertEquals("10.90.0.0/16", backend.definitions().inspect("jpod").subnets().get(0).subnet());
        backend.definitions().remove("backend");
        assertEquals(ErrorCode.NO_SUCH_NETWORK, code(() -> backend.definitions().inspect("backend")));
    }

    @Test
    public void givenSubnetGatewayAndRangeAreWrittenForHostLocal() throws Exception {
        Network n = backend.definitions().create(spec("ranged", "10.95.3.0/24", "10.95.3.254", "10.95.3.128/25"));
        assertEquals(new Network.Subnet("10.95.3.0/24", "10.95.3.254", "10.95.3.128/25"), n.subnets().get(0));
        String conf = Files.readString(root.resolve("net.d/ranged.conflist"));
        assertTrue(conf, conf.contains("\"rangeStart\" : \"10.95.3.129\"") && conf.contains("\"rangeEnd\" : \"10.95.3.254\""));
    }

    @Test
    public void leadingZerosAreRefusedInSubnetGatewayAndRange() {
        for (Network n : List.of(spec("zeros", "10.97.05.0/24", null, null), spec("zeros", "10.97.5.0/024", null, null),
                spec("zeros", "10.97.5.0/24", "10.97.5.01", null), spec("zeros", "10.97.5.0/24", null, "10.97.5.0128/25"))) {
            JpodException e = assertThrows(JpodException.class, () -> backend.definitions().create(n));
            assertEquals(ErrorCode.INVALID_ARG, e.code());
            assertTrue(e.getMessage(), e.getMessage().contains("leading zeros are refused"));
        }
        assertEquals(ErrorCode.NO_SUCH_NETWORK, code(() -> backend.definitions().inspect("zeros")));
    }

    @Test
    public void badNetworksAreRefusedAndWriteNothing() {
        backend.definitions().create(spec("first", "10.96.0.0/24", null, null));
        assertEquals(ErrorCode.NETWORK_EXISTS, code(() -> backend.definitions().create(spec("first", "10.96.9.0/24", null, null))));
        JpodException overlap = assertThrows(JpodException.class,
                () -> backend.definitions().create(spec("second", "10.96.0.128/25", null, null)));
        assertTrue(overlap.getMessage(), overlap.getMessage().contains("overlaps with network first"));
        assertTrue(assertThrows(JpodException.class, () -> backend.definitions().create(spec("third", "10.90.5.0/24", null, null)))
                .getMessage().contains("overlaps with network jpod"));
        assertEquals(ErrorCode.INVALID_ARG, code(() -> backend.definitions().create(spec("bad", "10.97.0.0/33", null, null))));
        assertEquals(ErrorCode.INVALID_ARG, code(() -> backend.definitions().create(spec("bad", "300.1.0.0/16", null, null))));
        assertTrue(assertThrows(JpodException.class,
                () -> backend.definitions().create(spec("bad", "10.97.0.0/24", "10.98.0.1", null))).getMessage()
                .contains("is not a host address of subnet"));
        assertEquals(ErrorCode.INVALID_ARG, code(() -> backend.definitions().create(spec("bad", "10.97.0.0/24", "10.97.0.0", null))));
        assertEquals(ErrorCode.INVALID_ARG, code(() -> backend.definitions().create(spec("bad", "10.97.0.0/24", null, "10.97.1.0/25"))));
        assertEquals(ErrorCode.INVALID_ARG, code(() -> backend.definitions().create(spec("bad name!", null, null, null))));
        assertEquals(ErrorCode.INVALID_ARG, code(() -> backend.definitions().create(new Network("bad", null, "overlay", null, null,
                List.of(), false, Map.of(), Map.of()))));
        assertEquals(ErrorCode.INVALID_ARG, code(() -> backend.definitions().create(new Network("bad", null, "bridge", null, null,
                List.of(), false, Map.of(), Map.of("colour", "red")))));
        assertFalse(Files.exists(root.resolve("net.d/bad.conflist")));
        assertEquals(ErrorCode.INVALID_ARG, code(() -> backend.definitions().remove("jpod")));
        assertEquals(ErrorCode.NO_SUCH_NETWORK, code(() -> backend.definitions().remove("nosuch")));
    }

    @Test
    public void aTakenHostPortIsRefusedBeforeAnythingRuns() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            PortMapping m = new PortMapping("127.0.0.1", taken.getLocalPort(), 80, "tcp", 1);
            JpodException e = assertThrows(JpodException.class, () -> HostPorts.checkFree(List.of(m)));
            assertTrue(e.getMessage(), e.getMessage().contains("host port " + taken.getLocalPort() + "/tcp"));
        }
        assertEquals(ErrorCode.INVALID_ARG, code(() -> HostPorts.checkFree(List.of(new PortMapping("", 70000, 80, "tcp", 1)))));
        assertEquals(ErrorCode.INVALID_ARG, code(() -> HostPorts.checkFree(List.of(new PortMapping("", 8080, 80, "icmp", 1)))));
    }
}
