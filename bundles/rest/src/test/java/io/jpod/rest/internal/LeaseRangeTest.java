package io.jpod.rest.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

public class LeaseRangeTest {
    private static ApiException refused(String start, String end) {
        ApiException e = assertThrows(ApiException.class, () -> NetworksApi.leaseCidr(start, end));
        assertEquals(400, e.status);
        return e;
    }

    @Test
    public void podmansIpRangeComesBackAsItsCidr() {
        // podman's --ip-range 10.89.0.128/25 sends the first host and the last address
        assertEquals("10.89.0.128/25", NetworksApi.leaseCidr("10.89.0.129", "10.89.0.255"));
        assertEquals("10.89.0.128/25", NetworksApi.leaseCidr("10.89.0.128", "10.89.0.255"));
        assertEquals("10.89.0.128/25", NetworksApi.leaseCidr("10.89.0.129", "10.89.0.254"));
        assertEquals("10.89.0.0/16", NetworksApi.leaseCidr("10.89.0.1", "10.89.255.255"));
        assertEquals("10.89.0.7/32", NetworksApi.leaseCidr("10.89.0.7", "10.89.0.7"));
    }

    @Test
    public void otherRangesAndBadAddressesAreRefused() {
        assertEquals("lease_range 10.89.0.10 - 10.89.0.99 is not a CIDR block: jpod takes address ranges as CIDRs"
                + " (--ip-range 10.89.0.128/25)", refused("10.89.0.10", "10.89.0.99").getMessage());
        refused("10.89.0.255", "10.89.0.129");
        refused("10.89.0.300", "10.89.0.255");
        refused("", "10.89.0.255");
        refused("fd00::1", "fd00::ff");
    }

    @Test
    public void leadingZerosAreRefusedSayingSo() {
        ApiException e = refused("10.89.0.0129", "10.89.0.255");
        assertTrue(e.getMessage(), e.getMessage().startsWith("lease_range 10.89.0.0129 - 10.89.0.255: invalid IPv4"
                + " address \"10.89.0.0129\": leading zeros are refused"));
        refused("10.89.0.129", "10.89.0.0255");
    }
}
