package io.jpod.cli;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The 8-byte multiplexed stream of logs, attach and exec: {@code [type, 0, 0, 0, size (uint32 BE)]}
 * then size bytes; type 1 stdout, 2 stderr, 3 an error of the service. A TTY stream is raw bytes.
 */
final class Frames {
    private Frames() {
    }

    /** Copies frames to out/err until the end of the stream; returns the text of a type-3 frame, if any. */
    static String demux(InputStream in, OutputStream out, OutputStream err) throws IOException {
        DataInputStream data = new DataInputStream(in);
        byte[] header = new byte[8];
        byte[] buf = new byte[8192];
        StringBuilder system = new StringBuilder();
        while (true) {
            int first = data.read();
            if (first < 0) {
                return system.length() == 0 ? null : system.toString();
            }
            header[0] = (byte) first;
            try {
                data.readFully(header, 1, 7);
            } catch (EOFException e) {
                throw new IOException("the stream ended inside a frame header", e);
            }
            long size = ((header[4] & 0xffL) << 24) | ((header[5] & 0xff) << 16) | ((header[6] & 0xff) << 8) | (header[7] & 0xff);
            OutputStream target = switch (header[0]) {
                case 0, 1 -> out;
                case 2 -> err;
                case 3 -> null;
                default -> throw new IOException("not a multiplexed stream (frame type " + (header[0] & 0xff) + ")");
            };
            while (size > 0) {
                int n = data.read(buf, 0, (int) Math.min(buf.length, size));
                if (n < 0) {
                    throw new IOException("the stream ended inside a frame");
                }
                if (target == null) {
                    system.append(new String(buf, 0, n, java.nio.charset.StandardCharsets.UTF_8));
                } else {
                    target.write(buf, 0, n);
                }
                size -= n;
            }
            if (target != null) {
                target.flush();
            }
        }
    }

    /** A raw (TTY) stream to out. */
    static void raw(InputStream in, OutputStream out) throws IOException {
        byte[] buf = new byte[8192];
        int n;
        while ((n = in.read(buf)) >= 0) {
            out.write(buf, 0, n);
            out.flush();
        }
    }
}
