package io.jpod.runtime.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;
import io.jpod.api.Network;
import io.jpod.api.PerNetworkOptions;
import java.util.List;
import java.util.Map;
import org.junit.Test;

public class StaticAddressesTest {
    private static final Network JPOD = new Network("jpod", "id", "bridge", "jpod0", null,
            List.of(new Network.Subnet("10.90.0.0/16", "10.90.0.1", null)), false, Map.of(), Map.of());
    private static final Network RANGED = new Network("ranged", "id2", "bridge", "jpod7", null,
            List.of(new Network.Subnet("10.97.3.0/24", "10.97.3.1", "10.97.3.128/25")), false, Map.of(), Map.of());

    private static PerNetworkOptions ip(String... ips) {
        return new PerNetworkOptions(List.of(ips), null);
    }

    private static Map<String, PerNetworkOptions> check(String mode, List<String> nets, Map<String, PerNetworkOptions> o) {
        return StaticAddresses.check(mode, nets, o, n -> switch (n) {
            case "jpod" -> JPOD;
            case "ranged" -> RANGED;
            default -> throw new JpodException(ErrorCode.NO_SUCH_NETWORK, "unable to find network with name or ID " + n);
        });
    }

    private static String refused(String mode, List<String> nets, Map<String, PerNetworkOptions> o) {
        try {
            check(mode, nets, o);
            fail("accepted " + o);
            return null;
        } catch (JpodException e) {
            assertEquals(e.getMessage(), ErrorCode.INVALID_ARG, e.code());
            return e.getMessage();
        }
    }

    @Test
    public void anAddressInTheSubnetAndAMacAreKeptInCanonicalForm() {
        Map<String, PerNetworkOptions> out = check("bridge", List.of("jpod"),
                Map.of("jpod", new PerNetworkOptions(List.of(" 10.90.3.4 "), "02-42-0A-5A-03-04")));
        assertEquals(new PerNetworkOptions(List.of("10.90.3.4"), "02:42:0a:5a:03:04"), out.get("jpod"));
        assertEquals("02:42:0a:5a:03:04", StaticAddresses.mac("0242.0a5a.0304"));
        assertEquals(Map.of(), check("bridge", List.of("jpod"), Map.of("jpod", PerNetworkOptions.NONE)));
        assertEquals("10.97.3.200", check("", List.of("ranged"), Map.of("ranged", ip("10.97.3.200")))
                .get("ranged").staticIps().get(0));
    }

    @Test
    public void podmansWordsForAnAddressOutsideTheSubnetAndAMalformedOne() {
        assertEquals("requested static ip 10.91.0.5 not in any subnet on network jpod",
                refused("bridge", List.of("jpod"), Map.of("jpod", ip("10.91.0.5"))));
        assertEquals("requested static ip fd00::5 not in any subnet on network jpod",
                refused("bridge", List.of("jpod"), Map.of("jpod", ip("fd00::5"))));
        assertEquals("\"10.90.0.300\" is not an ip address",
                refused("bridge", List.of("jpod"), Map.of("jpod", ip("10.90.0.300"))));
        assertEquals("\"10.90.0.05\" is not an ip address",
                refused("bridge", List.of("jpod"), Map.of("jpod", ip("10.90.0.05"))));
        assertEquals("\"jpod.example\" is not an ip address",
                refused("bridge", List.of("jpod"), Map.of("jpod", ip("jpod.example"))));
        assertEquals("\"1::2::3\" is not an ip address",
                refused("bridge", List.of("jpod"), Map.of("jpod", ip("1::2::3"))));
        assertEquals("address 02:42:zz:00:00:01: invalid MAC address", refused("bridge", List.of("jpod"),
                Map.of("jpod", new PerNetworkOptions(List.of(), "02:42:zz:00:00:01"))));
        assertEquals("address 02:42:00:00:01: invalid MAC address", refused("bridge", List.of("jpod"),
                Map.of("jpod", new PerNetworkOptions(List.of(), "02:42:00:00:01"))));
    }

    @Test
    public void addressesHostLocalNeverHandsOutAreNamed() {
        assertTrue(refused("bridge", List.of("jpod"), Map.of("jpod", ip("10.90.0.1"))).contains("is the gateway of"));
        assertTrue(refused("bridge", List.of("jpod"), Map.of("jpod", ip("10.90.0.0"))).contains("network address"));
        assertTrue(refused("bridge", List.of("jpod"), Map.of("jpod", ip("10.90.255.255"))).contains("broadcast"));
        String m = refused("bridge", List.of("ranged"), Map.of("ranged", ip("10.97.3.5")));
        assertTrue(m, m.contains("outside the ip range 10.97.3.128/25"));
        m = refused("bridge", List.of("jpod"), Map.of("jpod", ip("10.90.0.5", "10.90.0.6")));
        assertTrue(m, m.contains("takes one static IPv4 address"));
        m = refused("bridge", List.of("jpod"), Map.of("jpod", new PerNetworkOptions(List.of(), "03:00:00:00:00:01")));
        assertTrue(m, m.contains("multicast"));
        m = refused("bridge", List.of("jpod"), Map.of("jpod", new PerNetworkOptions(List.of(), "00:00:00:00:00:00")));
        assertTrue(m, m.contains("cannot be used"));
    }

    @Test
    public void onlyOnTheContainersOwnBridgeNetworks() {
        assertTrue(refused("none", List.of("jpod"), Map.of("jpod", ip("10.90.0.5")))
                .startsWith("cannot set static IP or MAC address if not creating a network namespace"));
        assertTrue(refused("host", List.of("jpod"), Map.of("host", new PerNetworkOptions(List.of(), "02:00:00:00:00:01")))
                .startsWith("cannot set static IP or MAC address if not creating a network namespace"));
        String m = refused("bridge", List.of("jpod"), Map.of("ranged", ip("10.97.3.200")));
        assertTrue(m, m.contains("network ranged, which the container does not join"));
        try {
            check("bridge", List.of("nosuch"), Map.of("nosuch", ip("10.90.0.5")));
            fail("an unknown network");
        } catch (JpodException e) {
            assertEquals(ErrorCode.NO_SUCH_NETWORK, e.code());
        }
    }

    @Test
    public void aliasesAreKeptAndMustBeNames() {
        PerNetworkOptions kept = StaticAddresses.checkOne(JPOD, new PerNetworkOptions(List.of(), null,
                List.of("web", "0123456789ab", "web")));
        assertEquals(List.of("web", "0123456789ab"), kept.aliases());
        for (String bad : List.of("two words", "line\nbreak", "-dash", "", "a".repeat(300))) {
            JpodException e = org.junit.Assert.assertThrows(JpodException.class, () -> StaticAddresses.checkOne(JPOD,
                    new PerNetworkOptions(List.of(), null, List.of(bad))));
            org.junit.Assert.assertTrue(e.getMessage(), e.getMessage().contains("is not a valid name"));
        }
    }
}
