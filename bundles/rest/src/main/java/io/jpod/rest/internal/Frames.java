package io.jpod.rest.internal;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Docker's multiplexed stream: each write becomes a frame with an 8-byte header (stream type, three
 * zero bytes, the payload size as a big-endian uint32). Type 1 is stdout, 2 stderr, 3 a system error.
 */
final class Frames extends OutputStream {
    static final int STDOUT = 1;
    static final int STDERR = 2;
    static final String MULTIPLEXED = "application/vnd.docker.multiplexed-stream";
    static final String RAW = "application/vnd.docker.raw-stream";

    private final OutputStream out;
    private final int type;
    private final boolean flushEach;

    Frames(OutputStream out, int type) {
        this(out, type, true);
    }

    /** {@code flushEach} false: frames go out as the stream's buffer fills (a log read once, not followed). */
    Frames(OutputStream out, int type, boolean flushEach) {
        this.out = out;
        this.type = type;
        this.flushEach = flushEach;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return;
        }
        byte[] frame = new byte[8 + len];
        frame[0] = (byte) type;
        frame[4] = (byte) (len >>> 24);
        frame[5] = (byte) (len >>> 16);
        frame[6] = (byte) (len >>> 8);
        frame[7] = (byte) len;
        System.arraycopy(b, off, frame, 8, len);
        // one write per frame, so that frames of two streams sharing the connection never interleave
        synchronized (out) {
            out.write(frame);
            if (flushEach) {
                out.flush();
            }
        }
    }

    @Override
    public void flush() throws IOException {
        synchronized (out) {
            out.flush();
        }
    }

    @Override
    public void close() {
        // the shared connection is closed by its owner
    }

    /** A frame of no bytes: readers of the stream write nothing for it. */
    static byte[] empty(int type) {
        return new byte[] {(byte) type, 0, 0, 0, 0, 0, 0, 0};
    }

    /** The content type of an attach or log stream: multiplexed without a TTY from API 1.42 on. */
    static String contentType(boolean tty, String apiVersion) {
        if (tty) {
            return RAW;
        }
        return apiVersion == null || Versions.atLeast(apiVersion, "1.42") ? MULTIPLEXED : RAW;
    }
}
