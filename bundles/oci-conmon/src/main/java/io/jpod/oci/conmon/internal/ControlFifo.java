package io.jpod.oci.conmon.internal;

import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;
import io.jpod.linux.ErrnoException;
import io.jpod.linux.Linux;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * conmon's control FIFO, {@code ctl} in the bundle directory it was given: a line {@code 1 <rows> <columns>}
 * resizes the terminal of the process it watches, as libpod writes it. Opened without blocking
 * ({@link Linux#writeFifo}), so that a conmon that is gone gives an error instead of a writer waiting for a
 * reader forever.
 */
final class ControlFifo {
    private static final int RESIZE = 1;

    private ControlFifo() {
    }

    static void resize(Path bundleDir, String what, int rows, int columns) {
        Path ctl = bundleDir.resolve("ctl");
        if (!Files.exists(ctl)) {
            throw new JpodException(ErrorCode.CTR_STATE_INVALID, "cannot resize the terminal of " + what + ": conmon's "
                    + ctl + " is not there (is it running?)");
        }
        byte[] line = (RESIZE + " " + rows + " " + columns + "\n").getBytes(StandardCharsets.US_ASCII);
        try {
            Linux.writeFifo(ctl, line);
        } catch (ErrnoException e) {
            if (e.call().equals("open")) {
                throw new JpodException(ErrorCode.CTR_STATE_INVALID, "cannot resize the terminal of " + what + ": "
                        + e.getMessage() + " (its conmon is gone?)");
            }
            throw new JpodException(ErrorCode.OCI_RUNTIME, "cannot resize the terminal of " + what + ": "
                    + e.getMessage());
        } catch (IOException e) {
            throw new JpodException(ErrorCode.OCI_RUNTIME, "cannot resize the terminal of " + what + ": "
                    + e.getMessage());
        }
    }
}
