package io.jpod.rest.internal;

import io.jpod.api.LogLine;
import io.jpod.spi.events.EventTimes;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** A container's or an exec session's output as attach, logs and exec send it. */
final class Streams {
    private Streams() {
    }

    /** stdout and stderr in frames unless a terminal merges them; Docker clients before 1.42 read them raw. */
    static boolean multiplexed(Exchange x, boolean tty) {
        return !tty && (x.libpod || Frames.MULTIPLEXED.equals(Frames.contentType(false, x.version)));
    }

    static boolean write(LogLine line, boolean timestamps, OutputStream to) {
        if (to == null) {
            return true;
        }
        try {
            String text = (timestamps ? EventTimes.format(line.time()) + " " : "") + line.text() + "\n";
            to.write(text.getBytes(StandardCharsets.UTF_8));
            return true;
        } catch (IOException gone) {
            throw new UncheckedIOException(gone);
        }
    }

    /**
     * One line of a JSON stream, its newline in the same write and flushed: clients that decode each chunk
     * they read (docker-compose) fail on a chunk that is only the newline.
     */
    static void jsonLine(Exchange x, OutputStream out, Object value) throws IOException {
        byte[] json = x.json.writeValueAsBytes(value);
        byte[] line = java.util.Arrays.copyOf(json, json.length + 1);
        line[json.length] = '\n';
        out.write(line);
        out.flush();
    }

    /** A plain text line, as one write and flushed. */
    static void textLine(OutputStream out, String text) throws IOException {
        out.write((text + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
