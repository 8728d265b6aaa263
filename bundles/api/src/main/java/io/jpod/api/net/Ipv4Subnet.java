package io.jpod.api.net;

/**
 * An IPv4 subnet in CIDR notation, {@code 10.88.0.0/16}: its network address (host bits clear) and its
 * prefix length. The text follows {@link Ipv4Address}'s rule, the prefix length too (decimal 0 to 32, no
 * leading zero: {@code /08} is refused, as Go's {@code netip.ParsePrefix} refuses it).
 *
 * @param network      the first address, with no bit set past the prefix
 * @param prefixLength 0 to 32
 */
public record Ipv4Subnet(Ipv4Address network, int prefixLength) {
    /** @throws IllegalArgumentException for a prefix length out of 0..32, or host bits set in {@code network} */
    public Ipv4Subnet {
        if (network == null) {
            throw new IllegalArgumentException("a subnet needs its network address");
        }
        if (prefixLength < 0 || prefixLength > 32) {
            throw new IllegalArgumentException("a prefix length is 0 to 32, not " + prefixLength);
        }
        if ((network.value() & ~mask(prefixLength)) != 0) {
            throw new IllegalArgumentException(network + " has bits set past the prefix length " + prefixLength
                    + ": the subnet is " + new Ipv4Address(network.value() & mask(prefixLength)) + "/" + prefixLength);
        }
    }

    /** The subnet of {@code prefixLength} that holds {@code address}: {@code of(10.88.3.4, 16)} is {@code 10.88.0.0/16}. */
    public static Ipv4Subnet of(Ipv4Address address, int prefixLength) {
        if (prefixLength < 0 || prefixLength > 32) {
            throw new IllegalArgumentException("a prefix length is 0 to 32, not " + prefixLength);
        }
        return new Ipv4Subnet(new Ipv4Address(address.value() & mask(prefixLength)), prefixLength);
    }

    /**
     * The subnet that {@code text} spells as {@code a.b.c.d/len}. Host bits are cleared, as Go's
     * {@code net.ParseCIDR} clears them ({@code 10.88.3.4/16} is {@code 10.88.0.0/16}); use
     * {@link #parseAddress(String)} for the address that such text names.
     *
     * @throws AddressFormatException saying what is wrong
     */
    public static Ipv4Subnet parse(String text) {
        int slash = text == null ? -1 : text.indexOf('/');
        if (slash < 0) {
            throw new AddressFormatException("subnet", String.valueOf(text), "give it as a.b.c.d/len, such as"
                    + " 10.88.0.0/16", false);
        }
        long address = Ipv4Address.parseValue(text.substring(0, slash), "subnet", text);
        return of(new Ipv4Address(address), prefixLength(text.substring(slash + 1), text));
    }

    /**
     * The address of {@code a.b.c.d/len} (an interface's address with its subnet's length, as CNI results
     * give it), or of a bare {@code a.b.c.d}: {@code parseAddress("10.88.3.4/16")} is {@code 10.88.3.4}.
     *
     * @throws AddressFormatException saying what is wrong with either part
     */
    public static Ipv4Address parseAddress(String text) {
        int slash = text == null ? -1 : text.indexOf('/');
        if (slash < 0) {
            return Ipv4Address.parse(text);
        }
        long address = Ipv4Address.parseValue(text.substring(0, slash), "IPv4 address", text);
        prefixLength(text.substring(slash + 1), text);
        return new Ipv4Address(address);
    }

    /**
     * The smallest subnet that holds both addresses: for {@code 10.88.0.129} and {@code 10.88.0.254},
     * {@code 10.88.0.128/25}.
     */
    public static Ipv4Subnet smallestContaining(Ipv4Address a, Ipv4Address b) {
        int prefix = 32;
        while (prefix > 0 && (a.value() & mask(prefix)) != (b.value() & mask(prefix))) {
            prefix--;
        }
        return of(a, prefix);
    }

    /** The netmask, {@code 255.255.0.0} for a /16. */
    public Ipv4Address mask() {
        return new Ipv4Address(mask(prefixLength));
    }

    /** How many addresses it has, network and broadcast included: 2<sup>32-prefix</sup>. */
    public long size() {
        return 1L << (32 - prefixLength);
    }

    /** Its last address, {@code 10.88.255.255} for {@code 10.88.0.0/16}. */
    public Ipv4Address broadcast() {
        return new Ipv4Address(network.value() + size() - 1);
    }

    /**
     * Its first host address: the one after the network address, or for a /31 (RFC 3021) and a /32, which
     * have no network or broadcast address, its first address.
     */
    public Ipv4Address firstHost() {
        return prefixLength >= 31 ? network : network.next();
    }

    /** Its last host address: the one before the broadcast address, or for a /31 and a /32 its last address. */
    public Ipv4Address lastHost() {
        return prefixLength >= 31 ? broadcast() : broadcast().previous();
    }

    /** The gateway podman gives a bridge network when none is asked for: the {@link #firstHost() first host}. */
    public Ipv4Address gateway() {
        return firstHost();
    }

    /** Its host addresses, {@link #firstHost()} to {@link #lastHost()}. */
    public Ipv4Range hosts() {
        return new Ipv4Range(firstHost(), lastHost());
    }

    /** All its addresses, {@link #network()} to {@link #broadcast()}. */
    public Ipv4Range addresses() {
        return new Ipv4Range(network, broadcast());
    }

    /** True if {@code address} is in it (its network and broadcast addresses too). */
    public boolean contains(Ipv4Address address) {
        return (address.value() & mask(prefixLength)) == network.value();
    }

    /** True if every address of {@code other} is in it. */
    public boolean contains(Ipv4Subnet other) {
        return other.prefixLength >= prefixLength && contains(other.network);
    }

    /** True if {@code address} is in it and, in a subnet larger than a /31, is neither its network nor its broadcast address. */
    public boolean isHost(Ipv4Address address) {
        return contains(address) && (prefixLength >= 31 || !address.equals(network) && !address.equals(broadcast()));
    }

    /** True if the two share an address (one of two CIDR subnets that overlap holds the other). */
    public boolean overlaps(Ipv4Subnet other) {
        return contains(other) || other.contains(this);
    }

    /** {@code 10.88.0.0/16}: the only text {@link #parse(String)} gives this subnet for. */
    @Override
    public String toString() {
        return network + "/" + prefixLength;
    }

    private static long mask(int prefixLength) {
        return prefixLength == 0 ? 0 : (Ipv4Address.MAX_VALUE << (32 - prefixLength)) & Ipv4Address.MAX_VALUE;
    }

    private static int prefixLength(String p, String whole) {
        if (!Ipv4Address.decimal(p)) {
            throw new AddressFormatException("subnet", whole, "the prefix length after the / is a number from 0"
                    + " to 32", false);
        }
        String digits = p.replaceFirst("^0+(?=.)", "");
        if (digits.length() > 2 || Integer.parseInt(digits) > 32) {
            throw new AddressFormatException("subnet", whole, "prefix length " + p + " is over 32", false);
        }
        int n = Integer.parseInt(digits);
        if (p.length() > 1 && p.charAt(0) == '0') {
            throw new AddressFormatException("subnet", whole, Ipv4Address.leadingZeroReason("/" + p, "/" + n), true);
        }
        return n;
    }
}
