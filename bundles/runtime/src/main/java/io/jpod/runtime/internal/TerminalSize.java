package io.jpod.runtime.internal;

import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;

/** The rule on terminal sizes a client may ask for, containers' and exec sessions' alike. */
final class TerminalSize {
    private TerminalSize() {
    }

    static void check(int height, int width) {
        if (height < 1 || width < 1 || height > 0xFFFF || width > 0xFFFF) {
            throw new JpodException(ErrorCode.INVALID_ARG, "a terminal size of " + height + " rows and " + width
                    + " columns is invalid: both must be between 1 and 65535");
        }
    }
}
