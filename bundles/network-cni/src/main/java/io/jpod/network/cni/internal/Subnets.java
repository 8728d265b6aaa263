package io.jpod.network.cni.internal;

import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/** IPv4 subnet arithmetic for network definitions. */
final class Subnets {
    private static final Pattern CIDR = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})/(\\d{1,2})");

    private Subnets() {
    }

    /** The subnet in canonical form (host bits cleared), e.g. {@code 10.90.0.0/16}. */
    static String canonical(String cidr) {
        long[] p = parse(cidr);
        return format(p[0]) + "/" + p[1];
    }

    /** The first host of the subnet, the gateway podman gives a bridge network. */
    static String firstHost(String cidr) {
        long[] p = parse(cidr);
        if (p[1] > 30) {
            throw new JpodException(ErrorCode.INVALID_ARG, "subnet " + cidr + " is too small for a bridge network:"
                    + " give a prefix length of 30 or less");
        }
        return format(p[0] + 1);
    }

    /** True if {@code ip} (with or without a prefix length) is inside {@code cidr}. */
    static boolean contains(String cidr, String ip) {
        long[] p = parse(cidr);
        String bare = ip.contains("/") ? ip.substring(0, ip.indexOf('/')) : ip;
        long[] a = parse(bare + "/32");
        long mask = p[1] == 0 ? 0 : (0xffffffffL << (32 - p[1])) & 0xffffffffL;
        return (a[0] & mask) == p[0];
    }

    private static long[] parse(String cidr) {
        var m = cidr == null ? null : CIDR.matcher(cidr.strip());
        if (m == null || !m.matches()) {
            throw new JpodException(ErrorCode.INVALID_ARG, "invalid subnet " + cidr + ": give it as a.b.c.d/len");
        }
        long addr = 0;
        for (int i = 1; i <= 4; i++) {
            int octet = Integer.parseInt(m.group(i));
            if (octet > 255) {
                throw new JpodException(ErrorCode.INVALID_ARG, "invalid subnet " + cidr + ": octet " + octet
                        + " is over 255");
            }
            addr = (addr << 8) | octet;
        }
        int len = Integer.parseInt(m.group(5));
        if (len > 32) {
            throw new JpodException(ErrorCode.INVALID_ARG, "invalid subnet " + cidr + ": prefix length " + len
                    + " is over 32");
        }
        long mask = len == 0 ? 0 : (0xffffffffL << (32 - len)) & 0xffffffffL;
        return new long[] {addr & mask, len};
    }

    private static String format(long addr) {
        byte[] b = {(byte) (addr >>> 24), (byte) (addr >>> 16), (byte) (addr >>> 8), (byte) addr};
        try {
            return ((Inet4Address) InetAddress.getByAddress(b)).getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalStateException("four bytes are always an address", e);
        }
    }

    /** True if the two subnets share an address. */
    static boolean overlap(String a, String b) {
        long[] x = parse(a);
        long[] y = parse(b);
        long len = Math.min(x[1], y[1]);
        long mask = len == 0 ? 0 : (0xffffffffL << (32 - len)) & 0xffffffffL;
        return (x[0] & mask) == (y[0] & mask);
    }

    /** The prefix length of a CIDR. */
    static int prefix(String cidr) {
        return (int) parse(cidr)[1];
    }

    /** The last host of the subnet (the broadcast address minus one). */
    static String lastHost(String cidr) {
        long[] p = parse(cidr);
        long size = 1L << (32 - p[1]);
        return format(p[0] + size - 2);
    }

    /** True if {@code ip} is the subnet's network or broadcast address. */
    static boolean isNetworkOrBroadcast(String cidr, String ip) {
        long[] p = parse(cidr);
        long a = parse(ip + "/32")[0];
        long size = 1L << (32 - p[1]);
        return a == p[0] || a == p[0] + size - 1;
    }
}
