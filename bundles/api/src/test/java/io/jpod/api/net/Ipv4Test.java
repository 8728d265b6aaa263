package io.jpod.api.net;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.Optional;
import org.junit.Test;

public class Ipv4Test {
    private static Ipv4Address ip(String s) {
        return Ipv4Address.parse(s);
    }

    private static Ipv4Subnet net(String s) {
        return Ipv4Subnet.parse(s);
    }

    private static AddressFormatException refusedIp(String s) {
        return assertThrows(AddressFormatException.class, () -> Ipv4Address.parse(s));
    }

    private static AddressFormatException refusedNet(String s) {
        return assertThrows(AddressFormatException.class, () -> Ipv4Subnet.parse(s));
    }

    @Test
    public void addressesParseAndPrint() {
        assertEquals(0x0a580001L, ip("10.88.0.1").value());
        assertEquals("10.88.0.1", ip("10.88.0.1").toString());
        assertEquals("0.0.0.0", ip("0.0.0.0").toString());
        assertEquals(Ipv4Address.MAX_VALUE, ip("255.255.255.255").value());
        assertEquals(ip("10.0.0.0"), Ipv4Address.of(10, 0, 0, 0));
        assertArrayEquals(new int[] {192, 168, 7, 255}, ip("192.168.7.255").octets());
    }

    @Test
    public void leadingZerosAreRefusedWithTheReasonAndTheFix() {
        for (String s : new String[] {"10.0.0.05", "010.0.0.1", "10.00.0.1", "10.0.0.000", "01.2.3.4"}) {
            AddressFormatException e = refusedIp(s);
            assertTrue(s, e.leadingZero());
            assertEquals(s, e.input());
        }
        AddressFormatException e = refusedIp("10.90.0.05");
        assertEquals("invalid IPv4 address \"10.90.0.05\": leading zeros are refused (10.90.0.05), as Go's"
                + " net.ParseIP and podman refuse them, because other tools read them as octal: write 10.90.0.5",
                e.getMessage());
        assertTrue(refusedNet("10.90.01.0/24").leadingZero());
        assertTrue(refusedIp("10.0.0.0300").leadingZero());
        assertFalse(refusedIp("10.0.0.0300").getMessage(), refusedIp("10.0.0.0300").getMessage().contains("write"));
        assertTrue(refusedIp("10.0.0.0128").getMessage().endsWith("write 10.0.0.128"));
        assertTrue(refusedNet("10.90.0.0/024").leadingZero());
        assertEquals("invalid subnet \"10.90.0.0/033\": prefix length 033 is over 32",
                refusedNet("10.90.0.0/033").getMessage());
        assertTrue(refusedNet("10.90.0.0/08").leadingZero());
        assertTrue(refusedNet("10.90.0.0/08").getMessage().endsWith("write /8"));
        // zero itself is no leading zero
        assertEquals("10.0.0.0/8", net("10.0.0.0/8").toString());
        assertEquals("0.0.0.0/0", net("0.0.0.0/0").toString());
    }

    @Test
    public void badAddressesAreRefusedWithAClearMessage() {
        assertEquals("invalid IPv4 address \"10.97.0.300\": 300 is over 255", refusedIp("10.97.0.300").getMessage());
        assertEquals("invalid IPv4 address \"10.97.0.1000\": 1000 is over 255", refusedIp("10.97.0.1000").getMessage());
        assertEquals("invalid IPv4 address \"1.2.3.99999999999999999999\": 99999999999999999999 is over 255",
                refusedIp("1.2.3.99999999999999999999").getMessage());
        assertFalse(refusedIp("10.97.0.300").leadingZero());
        for (String s : new String[] {"", "10.88.0", "10.88.0.1.2", "10.88..1", "10.88.0.1.", ".10.88.0.1",
            " 10.88.0.1", "10.88.0.1 ", "+1.2.3.4", "-1.2.3.4", "0x0a.0.0.1", "1e2.0.0.1", "::1",
            "10.88.0.1/16", "jpod.example", "\u0661.2.3.4", "10.88.0.a"}) {
            AddressFormatException e = refusedIp(s);
            assertFalse(s, e.leadingZero());
            assertTrue(e.getMessage(), e.getMessage().startsWith("invalid IPv4 address \"" + s + "\": "));
        }
        assertEquals("invalid IPv4 address \"null\": no address", refusedIp(null).getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Ipv4Address(-1));
        assertThrows(IllegalArgumentException.class, () -> new Ipv4Address(1L << 32));
        assertThrows(IllegalArgumentException.class, () -> Ipv4Address.of(1, 2, 3, 256));
    }

    @Test
    public void nextAndPreviousStopAtTheEnds() {
        assertEquals(ip("10.88.1.0"), ip("10.88.0.255").next());
        assertEquals(ip("10.88.0.255"), ip("10.88.1.0").previous());
        assertEquals(ip("10.88.0.10"), ip("10.88.0.1").plus(9));
        assertThrows(ArithmeticException.class, () -> ip("255.255.255.255").next());
        assertThrows(ArithmeticException.class, () -> ip("0.0.0.0").previous());
        assertTrue(ip("9.255.255.255").compareTo(ip("10.0.0.0")) < 0);
        assertTrue(ip("200.0.0.0").compareTo(ip("10.0.0.0")) > 0);
    }

    @Test
    public void subnetsParseClearingHostBitsAsGoDoes() {
        Ipv4Subnet s = net("10.90.3.4/16");
        assertEquals(ip("10.90.0.0"), s.network());
        assertEquals(16, s.prefixLength());
        assertEquals("10.90.0.0/16", s.toString());
        assertEquals(ip("255.255.0.0"), s.mask());
        assertEquals(65536, s.size());
        assertEquals(ip("10.90.255.255"), s.broadcast());
        assertEquals(ip("10.90.0.1"), s.firstHost());
        assertEquals(ip("10.90.0.1"), s.gateway());
        assertEquals(ip("10.90.255.254"), s.lastHost());
        assertEquals(new Ipv4Range(ip("10.90.0.1"), ip("10.90.255.254")), s.hosts());
        assertEquals(new Ipv4Range(ip("10.90.0.0"), ip("10.90.255.255")), s.addresses());
        assertEquals(ip("0.0.0.0"), net("0.0.0.0/0").mask());
        assertEquals(1L << 32, net("0.0.0.0/0").size());
        assertEquals(ip("255.255.255.255"), net("0.0.0.0/0").broadcast());
    }

    @Test
    public void smallSubnetsHaveNoNetworkOrBroadcastAddress() {
        Ipv4Subnet p31 = net("10.0.0.2/31");
        assertEquals(ip("10.0.0.2"), p31.firstHost());
        assertEquals(ip("10.0.0.3"), p31.lastHost());
        assertTrue(p31.isHost(ip("10.0.0.2")));
        Ipv4Subnet p32 = net("10.0.0.7/32");
        assertEquals(ip("10.0.0.7"), p32.firstHost());
        assertEquals(ip("10.0.0.7"), p32.lastHost());
        assertEquals(1, p32.size());
        Ipv4Subnet p30 = net("10.0.0.4/30");
        assertEquals(ip("10.0.0.5"), p30.firstHost());
        assertEquals(ip("10.0.0.6"), p30.lastHost());
    }

    @Test
    public void containsHostsAndOverlaps() {
        Ipv4Subnet s = net("10.90.0.0/16");
        assertTrue(s.contains(ip("10.90.0.0")));
        assertTrue(s.contains(ip("10.90.255.255")));
        assertFalse(s.contains(ip("10.91.0.0")));
        assertFalse(s.contains(ip("10.89.255.255")));
        assertTrue(s.contains(net("10.90.5.0/24")));
        assertTrue(s.contains(s));
        assertFalse(s.contains(net("10.0.0.0/8")));
        assertFalse(s.contains(net("10.91.0.0/24")));
        assertTrue(s.isHost(ip("10.90.0.1")));
        assertFalse(s.isHost(ip("10.90.0.0")));
        assertFalse(s.isHost(ip("10.90.255.255")));
        assertFalse(s.isHost(ip("10.91.0.1")));
        assertTrue(s.overlaps(net("10.0.0.0/8")));
        assertTrue(net("10.0.0.0/8").overlaps(s));
        assertTrue(s.overlaps(net("10.90.7.0/24")));
        assertFalse(s.overlaps(net("10.91.0.0/16")));
        assertTrue(net("0.0.0.0/0").overlaps(s));
        assertTrue(net("0.0.0.0/0").contains(ip("255.255.255.255")));
    }

    @Test
    public void badSubnetsAreRefused() {
        assertEquals("invalid subnet \"10.90.0.0\": give it as a.b.c.d/len, such as 10.88.0.0/16",
                refusedNet("10.90.0.0").getMessage());
        assertEquals("invalid subnet \"10.90.0.0/33\": prefix length 33 is over 32", refusedNet("10.90.0.0/33").getMessage());
        assertEquals("invalid subnet \"10.91.300.0/24\": 300 is over 255", refusedNet("10.91.300.0/24").getMessage());
        for (String s : new String[] {"10.90.0.0/", "10.90.0.0/-1", "10.90.0.0/+8", "10.90.0.0/100", "10.90.0.0/999999999999", "10.90.0.0/8/8",
            "/8", "10.90.0/16", " 10.90.0.0/16", "10.90.0.0/16 ", "fd00::/64", "10.90.0.0/a"}) {
            assertFalse(s, refusedNet(s).leadingZero());
        }
        refusedNet(null);
        assertThrows(IllegalArgumentException.class, () -> new Ipv4Subnet(ip("10.90.0.1"), 16));
        assertThrows(IllegalArgumentException.class, () -> new Ipv4Subnet(ip("10.90.0.0"), 33));
        assertThrows(IllegalArgumentException.class, () -> Ipv4Subnet.of(ip("10.90.0.0"), -1));
        assertEquals(net("10.90.0.0/16"), Ipv4Subnet.of(ip("10.90.7.7"), 16));
    }

    @Test
    public void theAddressOfAnInterfaceWithItsPrefix() {
        assertEquals(ip("10.90.3.4"), Ipv4Subnet.parseAddress("10.90.3.4/16"));
        assertEquals(ip("10.90.3.4"), Ipv4Subnet.parseAddress("10.90.3.4"));
        assertTrue(assertThrows(AddressFormatException.class, () -> Ipv4Subnet.parseAddress("10.90.3.04/16"))
                .leadingZero());
        assertThrows(AddressFormatException.class, () -> Ipv4Subnet.parseAddress("10.90.3.4/40"));
    }

    @Test
    public void smallestContainingSubnet() {
        assertEquals(net("10.88.0.128/25"), Ipv4Subnet.smallestContaining(ip("10.88.0.129"), ip("10.88.0.254")));
        assertEquals(net("10.88.0.5/32"), Ipv4Subnet.smallestContaining(ip("10.88.0.5"), ip("10.88.0.5")));
        assertEquals(net("0.0.0.0/0"), Ipv4Subnet.smallestContaining(ip("1.0.0.0"), ip("200.0.0.0")));
        assertEquals(net("10.88.0.0/23"), Ipv4Subnet.smallestContaining(ip("10.88.1.0"), ip("10.88.0.255")));
    }

    @Test
    public void ranges() {
        Ipv4Range r = Ipv4Range.parse("10.88.0.10-10.88.0.99");
        assertEquals(90, r.size());
        assertTrue(r.contains(ip("10.88.0.10")));
        assertTrue(r.contains(ip("10.88.0.99")));
        assertFalse(r.contains(ip("10.88.0.100")));
        assertFalse(r.contains(ip("10.88.0.9")));
        assertTrue(r.overlaps(Ipv4Range.parse("10.88.0.99-10.88.1.0")));
        assertFalse(r.overlaps(Ipv4Range.parse("10.88.0.100-10.88.1.0")));
        assertEquals("10.88.0.10-10.88.0.99", r.toString());
        assertEquals(Optional.empty(), r.asSubnet());
        assertEquals(Optional.of(net("10.88.0.128/25")), Ipv4Range.parse("10.88.0.128-10.88.0.255").asSubnet());
        assertEquals(Optional.of(net("0.0.0.0/0")), new Ipv4Range(ip("0.0.0.0"), ip("255.255.255.255")).asSubnet());
        assertEquals("invalid address range \"10.88.0.99-10.88.0.10\": it ends before it starts",
                assertThrows(AddressFormatException.class, () -> Ipv4Range.parse("10.88.0.99-10.88.0.10")).getMessage());
        assertTrue(assertThrows(AddressFormatException.class, () -> Ipv4Range.parse("10.88.0.1-10.88.0.010"))
                .leadingZero());
        assertThrows(AddressFormatException.class, () -> Ipv4Range.parse("10.88.0.1"));
        assertThrows(AddressFormatException.class, () -> Ipv4Range.parse("10.88.0.1-"));
        assertThrows(IllegalArgumentException.class, () -> new Ipv4Range(ip("10.0.0.2"), ip("10.0.0.1")));
    }
}
