package io.jpod.cli;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.Test;

/** The SpecGenerator's netns and Networks from --network, --ip and --mac-address, as podman 4.3 makes them. */
public class NetworkFlagsTest {
    private static String spec(List<String> network, String ip, String mac) {
        ObjectNode s = Api.JSON.createObjectNode();
        NetworkFlags.apply(s, network, ip, mac);
        return s.toString();
    }

    private static String refused(List<String> network, String ip, String mac) {
        try {
            NetworkFlags.apply(Api.JSON.createObjectNode(), network, ip, mac);
            fail("accepted " + network + " " + ip + " " + mac);
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    @Test
    public void staticAddressAndMacGoToTheOneNetwork() {
        assertEquals("{\"netns\":{\"nsmode\":\"bridge\"},\"Networks\":{\"n1\":{\"static_ips\":[\"10.97.0.5\"],"
                + "\"static_mac\":\"02:42:0a:61:00:05\"}}}", spec(List.of("n1"), "10.97.0.5", "02:42:0a:61:00:05"));
        // without --network: podman's "default", which the service resolves
        assertEquals("{\"netns\":{\"nsmode\":\"bridge\"},\"Networks\":{\"default\":{\"static_ips\":[\"10.90.0.9\"]}}}",
                spec(List.of(), "10.90.0.9", null));
        assertEquals("{\"netns\":{\"nsmode\":\"bridge\"},\"Networks\":{\"default\":{\"static_mac\":\"02:00:00:00:00:01\"}}}",
                spec(List.of("bridge"), null, "02:00:00:00:00:01"));
        // per network options in --network
        assertEquals("{\"netns\":{\"nsmode\":\"bridge\"},\"Networks\":{\"a\":{\"static_ips\":[\"10.97.0.5\"]},\"b\":{}}}",
                spec(List.of("a:ip=10.97.0.5", "b"), null, null));
        assertEquals("{\"netns\":{\"nsmode\":\"bridge\"},\"Networks\":{\"a\":{},\"b\":{}}}", spec(List.of("a,b"), null, null));
    }

    @Test
    public void modesAsBefore() {
        assertEquals("{}", spec(List.of(), null, null));
        assertEquals("{\"netns\":{\"nsmode\":\"none\"}}", spec(List.of("none"), null, null));
        assertEquals("{\"netns\":{\"nsmode\":\"host\"}}", spec(List.of("host"), null, null));
        assertEquals("{\"netns\":{\"nsmode\":\"path\",\"value\":\"/run/netns/x\"}}", spec(List.of("ns:/run/netns/x"), null, null));
        assertEquals("{\"netns\":{\"nsmode\":\"bridge\"},\"Networks\":{\"default\":{}}}", spec(List.of("bridge"), null, null));
    }

    @Test
    public void podmansMessages() {
        assertEquals("--ip can only be set for a single network: invalid argument",
                refused(List.of("a", "b"), "10.97.0.5", null));
        assertEquals("--mac-address can only be set for a single network: invalid argument",
                refused(List.of("a,b"), null, "02:00:00:00:00:01"));
        assertEquals("--ip can only be set when the network mode is bridge: invalid argument",
                refused(List.of("none"), "10.97.0.5", null));
        assertEquals("--ip can only be set when the network mode is bridge: invalid argument",
                refused(List.of("host"), "10.97.0.5", "02:00:00:00:00:01"));
        assertEquals("\"10.97.0.300\" is not an ip address", refused(List.of("a"), "10.97.0.300", null));
        assertEquals("address 02:00:00:00:01: invalid MAC address", refused(List.of("a"), null, "02:00:00:00:01"));
        assertEquals("cannot set multiple networks without bridge network mode, selected mode none: invalid argument",
                refused(List.of("none", "a"), null, null));
        assertEquals("can only set extra network names, selected mode host conflicts with bridge: invalid argument",
                refused(List.of("a", "host"), null, null));
        assertEquals("invalid option for network a: unknown bridge network option: speed",
                refused(List.of("a:speed=9"), null, null));
    }

    @Test
    public void leadingZerosAreRefusedSayingWhy() {
        String m = refused(List.of("a"), "10.97.0.05", null);
        assertTrue(m, m.startsWith("\"10.97.0.05\" is not an ip address: leading zeros are refused"));
        assertTrue(m, m.endsWith("write 10.97.0.5"));
        String o = refused(List.of("a:ip=010.97.0.5"), null, null);
        assertTrue(o, o.startsWith("invalid option for network a: invalid ip address \"010.97.0.5\": leading zeros"));
    }
}
