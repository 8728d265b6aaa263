package io.jpod.api.net;

/**
 * An IPv4 address, as an unsigned 32-bit number.
 *
 * <p>The one rule on its text, in every part of jpod: four decimal numbers from 0 to 255 separated by dots,
 * and no number with a leading zero ({@code 10.0.0.05} and {@code 010.0.0.1} are refused; {@code 10.0.0.0}
 * is fine). That is what Go's {@code net.ParseIP} does since Go 1.17, and so what podman does: other tools
 * (inet_aton, ping, older Go and Java) read {@code 010} as octal 8, so such text names different addresses
 * to different programs. Nothing else is taken either: no white space, signs, fewer than four parts,
 * hexadecimal, or IPv6.
 *
 * @param value the address, 0 to 2<sup>32</sup>-1 ({@code 10.0.0.1} is {@code 0x0a000001})
 */
public record Ipv4Address(long value) implements Comparable<Ipv4Address> {
    /** The largest value, {@code 255.255.255.255}. */
    public static final long MAX_VALUE = 0xffffffffL;

    /** @throws IllegalArgumentException when {@code value} is not 0 to 2<sup>32</sup>-1 */
    public Ipv4Address {
        if (value < 0 || value > MAX_VALUE) {
            throw new IllegalArgumentException("an IPv4 address is 0 to " + MAX_VALUE + ", not " + value);
        }
    }

    /**
     * The address that {@code text} spells, under the rule of this class: {@code 10.88.0.1} is one,
     * {@code 10.88.0.01}, {@code 10.88.0.256}, {@code 10.88.1}, {@code " 10.88.0.1"} and {@code ::1} are not.
     *
     * @throws AddressFormatException saying what is wrong; {@link AddressFormatException#leadingZero()} when
     *                                it is a leading zero
     */
    public static Ipv4Address parse(String text) {
        return new Ipv4Address(parseValue(text, "IPv4 address", text));
    }

    /** The address of these four numbers, each 0 to 255: {@code of(10, 88, 0, 1)} is {@code 10.88.0.1}. */
    public static Ipv4Address of(int a, int b, int c, int d) {
        long v = 0;
        for (int octet : new int[] {a, b, c, d}) {
            if (octet < 0 || octet > 255) {
                throw new IllegalArgumentException("a number of an IPv4 address is 0 to 255, not " + octet);
            }
            v = v << 8 | octet;
        }
        return new Ipv4Address(v);
    }

    /** The four numbers, most significant first. */
    public int[] octets() {
        return new int[] {(int) (value >>> 24) & 255, (int) (value >>> 16) & 255, (int) (value >>> 8) & 255,
            (int) value & 255};
    }

    /**
     * The address {@code n} after this one ({@code n} may be negative).
     *
     * @throws ArithmeticException past {@code 255.255.255.255} or before {@code 0.0.0.0}
     */
    public Ipv4Address plus(long n) {
        long v = value + n;
        if (v < 0 || v > MAX_VALUE) {
            throw new ArithmeticException(this + (n < 0 ? " - " + -n : " + " + n) + " is not an IPv4 address");
        }
        return new Ipv4Address(v);
    }

    /**
     * The next address.
     *
     * @throws ArithmeticException after {@code 255.255.255.255}
     */
    public Ipv4Address next() {
        return plus(1);
    }

    /**
     * The address before this one.
     *
     * @throws ArithmeticException before {@code 0.0.0.0}
     */
    public Ipv4Address previous() {
        return plus(-1);
    }

    @Override
    public int compareTo(Ipv4Address o) {
        return Long.compare(value, o.value);
    }

    /** Dotted decimal, {@code 10.88.0.1}: the only text {@link #parse(String)} takes for it. */
    @Override
    public String toString() {
        return (value >>> 24 & 255) + "." + (value >>> 16 & 255) + "." + (value >>> 8 & 255) + "." + (value & 255);
    }

    /** {@code address} of the rule above as a number; errors name {@code what} and {@code whole}. */
    static long parseValue(String address, String what, String whole) {
        if (address == null || address.isEmpty()) {
            throw new AddressFormatException(what, String.valueOf(whole), "no address", false);
        }
        String[] parts = address.split("\\.", -1);
        if (parts.length != 4) {
            throw notFourNumbers(what, whole);
        }
        long v = 0;
        boolean leadingZero = false;
        boolean over = false;
        StringBuilder fixed = new StringBuilder();
        for (String p : parts) {
            if (!decimal(p)) {
                throw notFourNumbers(what, whole);
            }
            leadingZero |= p.length() > 1 && p.charAt(0) == '0';
            long n = p.length() > 9 ? Long.MAX_VALUE : Long.parseLong(p);
            if (n > 255 && !leadingZero) {
                throw new AddressFormatException(what, whole, (p.length() > 9 ? p : String.valueOf(n))
                        + " is over 255", false);
            }
            over |= n > 255;
            fixed.append(fixed.length() == 0 ? "" : ".").append(n);
            v = v << 8 | n;
        }
        if (leadingZero) {
            throw new AddressFormatException(what, whole, leadingZeroReason(address, over ? null : fixed.toString()),
                    true);
        }
        return v;
    }

    /** True for one or more of the ASCII digits 0 to 9 (and nothing else: no sign, no other script's digits). */
    static boolean decimal(String p) {
        return !p.isEmpty() && p.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    /** Why a leading zero is refused, and the text to write instead ({@code fixed}, when there is one). */
    static String leadingZeroReason(String given, String fixed) {
        return "leading zeros are refused (" + given + "), as Go's net.ParseIP and podman refuse them, because"
                + " other tools read them as octal" + (fixed == null ? "" : ": write " + fixed);
    }

    private static AddressFormatException notFourNumbers(String what, String whole) {
        return new AddressFormatException(what, whole, "give four numbers from 0 to 255 separated by dots,"
                + " such as 10.88.0.1", false);
    }
}
