package io.jpod.oci.conmon.internal;

import io.jpod.api.AttachStreams;
import io.jpod.linux.SeqPacketSocket;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * conmon's attach protocol: each packet conmon sends is one read of the container's output, prefixed by a
 * byte naming the stream (2 stdout, 3 stderr; conmon's stdpipe_t); what the client writes goes to the
 * container's stdin as it is, and the client's end of writing closes that stdin (when conmon was started
 * with {@code -i}).
 */
final class Attach {
    private static final Logger LOG = LoggerFactory.getLogger(Attach.class);
    static final int STDOUT = 2, STDERR = 3;
    /** conmon sends at most 8192 bytes of output plus its prefix byte per packet. */
    private static final int PACKET = 64 * 1024, POLL_MILLIS = 200;

    private Attach() {
    }

    /**
     * Copies the container's output to the client's streams until conmon ends it (the container exited and
     * its output is drained) or a client stream fails; feeds stdin meanwhile when {@code withStdin}.
     */
    static void copy(SeqPacketSocket s, AttachStreams streams, boolean withStdin, boolean tty)
            throws InterruptedException {
        Future<?> feeding = withStdin && streams.stdin() != null ? feed(s, streams.stdin()) : null;
        try {
            streams.signalAttached();
            byte[] buf = new byte[PACKET];
            while (true) {
                int n = s.read(buf, POLL_MILLIS);
                if (n < 0) {
                    if (Thread.interrupted()) {
                        throw new InterruptedException("attach interrupted");
                    }
                    continue;
                }
                if (n == 0) {
                    return;
                }
                OutputStream to = tty || buf[0] == STDOUT ? streams.stdout() : buf[0] == STDERR ? streams.stderr() : null;
                if (to != null && n > 1) {
                    try {
                        to.write(buf, 1, n - 1);
                        to.flush();
                    } catch (IOException e) {
                        LOG.debug("the attached client went away: {}", e.getMessage());
                        return;
                    }
                }
            }
        } catch (IOException e) {
            LOG.debug("reading conmon's attach socket: {}", e.getMessage());
        } finally {
            s.close();
            if (feeding != null) {
                feeding.cancel(true);
            }
        }
    }

    /** Feeds {@code in} to the socket in the background; at its end, shuts down the socket's writing side. */
    static Future<?> feed(SeqPacketSocket s, InputStream in) {
        return Io.POOL.submit(() -> {
            byte[] buf = new byte[8192];
            try {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    if (n > 0) {
                        s.write(buf, n);
                    }
                }
                s.shutdown(SeqPacketSocket.SHUT_WR);
            } catch (IOException e) {
                LOG.debug("feeding stdin: {}", e.getMessage());
            }
        });
    }

    /** Reads and drops what conmon sends until it ends the stream; then closes the socket. */
    static void drain(SeqPacketSocket s) {
        byte[] buf = new byte[PACKET];
        try {
            while (s.read(buf, POLL_MILLIS) != 0) {
                // dropped: the exec log has it
            }
        } catch (IOException e) {
            LOG.debug("draining an attach socket: {}", e.getMessage());
        } finally {
            s.close();
        }
    }
}
