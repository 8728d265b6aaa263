package io.jpod.api.net;

/**
 * Text that is not an IPv4 address, subnet or range as {@link Ipv4Address#parse(String)} and
 * {@link Ipv4Subnet#parse(String)} take them. The message names the input and says what is wrong with it.
 */
public final class AddressFormatException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String input;
    private final String reason;
    private final boolean leadingZero;

    AddressFormatException(String what, String input, String reason, boolean leadingZero) {
        super("invalid " + what + " \"" + input + "\": " + reason);
        this.input = input;
        this.reason = reason;
        this.leadingZero = leadingZero;
    }

    /** The text that was refused (null as "null"). */
    public String input() {
        return input;
    }

    /** What is wrong with it, e.g. {@code 300 is over 255}, without the input. */
    public String reason() {
        return reason;
    }

    /**
     * True when the text would be an address but for a leading zero (as {@code 10.0.0.05}): a caller that
     * keeps another tool's wording for bad input (podman's {@code "x" is not an ip address}) adds
     * {@link #reason()} then, since the input looks right to the eye.
     */
    public boolean leadingZero() {
        return leadingZero;
    }
}
