package io.jpod.api.net;

import java.util.Optional;

/**
 * A range of IPv4 addresses, {@code first} to {@code last}, both in it: libpod's lease range
 * ({@code start_ip}, {@code end_ip}), host-local's {@code rangeStart} and {@code rangeEnd}.
 *
 * @param first its first address
 * @param last  its last address, not before {@code first}
 */
public record Ipv4Range(Ipv4Address first, Ipv4Address last) {
    /** @throws IllegalArgumentException when {@code last} is before {@code first} */
    public Ipv4Range {
        if (first == null || last == null) {
            throw new IllegalArgumentException("a range needs its first and its last address");
        }
        if (last.compareTo(first) < 0) {
            throw new IllegalArgumentException("the range " + first + "-" + last + " ends before it starts");
        }
    }

    /**
     * The range {@code a.b.c.d-e.f.g.h}.
     *
     * @throws AddressFormatException saying what is wrong with it
     */
    public static Ipv4Range parse(String text) {
        int dash = text == null ? -1 : text.indexOf('-');
        if (dash < 0) {
            throw new AddressFormatException("address range", String.valueOf(text), "give it as first-last, such as"
                    + " 10.88.0.10-10.88.0.99", false);
        }
        Ipv4Address a = new Ipv4Address(Ipv4Address.parseValue(text.substring(0, dash), "address range", text));
        Ipv4Address b = new Ipv4Address(Ipv4Address.parseValue(text.substring(dash + 1), "address range", text));
        if (b.compareTo(a) < 0) {
            throw new AddressFormatException("address range", text, "it ends before it starts", false);
        }
        return new Ipv4Range(a, b);
    }

    /** True if {@code address} is in it. */
    public boolean contains(Ipv4Address address) {
        return address.compareTo(first) >= 0 && address.compareTo(last) <= 0;
    }

    /** True if the two share an address. */
    public boolean overlaps(Ipv4Range other) {
        return first.compareTo(other.last) <= 0 && other.first.compareTo(last) <= 0;
    }

    /** How many addresses it has. */
    public long size() {
        return last.value() - first.value() + 1;
    }

    /** The subnet whose addresses are exactly this range's, if there is one. */
    public Optional<Ipv4Subnet> asSubnet() {
        Ipv4Subnet s = Ipv4Subnet.smallestContaining(first, last);
        return s.network().equals(first) && s.broadcast().equals(last) ? Optional.of(s) : Optional.empty();
    }

    /** {@code 10.88.0.10-10.88.0.99}, as {@link #parse(String)} takes it. */
    @Override
    public String toString() {
        return first + "-" + last;
    }
}
