package io.jpod.api;

import java.util.Objects;

/**
 * The one exception type of the engine. Its {@link #code()} says what kind of failure it is; its
 * message is the sentence shown to the user, naming the problem and, where possible, what to do.
 */
public class JpodException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;

    public JpodException(ErrorCode code, String message) {
        super(message);
        this.code = Objects.requireNonNull(code, "code");
    }

    public JpodException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = Objects.requireNonNull(code, "code");
    }

    public ErrorCode code() {
        return code;
    }

    /** Shorthand for a message of the form libpod writes: {@code "<detail>: <code text>"}. */
    public static JpodException of(ErrorCode code, String detail) {
        return new JpodException(code, detail + ": " + code.text());
    }

    /** True if {@code t} is a JpodException with the given code. */
    public static boolean is(Throwable t, ErrorCode code) {
        return t instanceof JpodException je && je.code == code;
    }
}
