package io.jpod.oci.conmon.internal;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;

/**
 * conmon's control FIFO, {@code ctl} in the bundle directory it was given: a line {@code 1 <rows> <columns>}
 * resizes the terminal of the process it watches, as libpod writes it. Opened without blocking, so that a
 * conmon that is gone gives an error instead of a writer waiting for a reader forever.
 */
final class ControlFifo {
    private static final int O_WRONLY = 1, O_NONBLOCK = 0x800, O_CLOEXEC = 0x80000;
    private static final int RESIZE = 1;

    private ControlFifo() {
    }

    static void resize(Path bundleDir, String what, int rows, int columns) {
        Path ctl = bundleDir.resolve("ctl");
        if (!Files.exists(ctl)) {
            throw new JpodException(ErrorCode.CTR_STATE_INVALID, "cannot resize the terminal of " + what + ": conmon's "
                    + ctl + " is not there (is it running?)");
        }
        SeqPacketSocket.LibC c = SeqPacketSocket.libc();
        int fd = c.open(ctl.toString(), O_WRONLY | O_NONBLOCK | O_CLOEXEC);
        if (fd < 0) {
            throw new JpodException(ErrorCode.CTR_STATE_INVALID, "cannot resize the terminal of " + what + ": opening "
                    + ctl + " failed with errno " + jnr.ffi.Runtime.getSystemRuntime().getLastError()
                    + " (its conmon is gone?)");
        }
        try {
            byte[] line = (RESIZE + " " + rows + " " + columns + "\n").getBytes(StandardCharsets.US_ASCII);
            if (c.write(fd, line, line.length) != line.length) {
                throw new JpodException(ErrorCode.OCI_RUNTIME, "cannot resize the terminal of " + what + ": writing to "
                        + ctl + " failed with errno " + jnr.ffi.Runtime.getSystemRuntime().getLastError());
            }
        } finally {
            c.close(fd);
        }
    }
}
