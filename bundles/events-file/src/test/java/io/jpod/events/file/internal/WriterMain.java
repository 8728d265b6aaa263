package io.jpod.events.file.internal;

import io.jpod.api.Event;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

/** A second process that appends events: {@code WriterMain <file> <tag> <count> <padding>}. */
public final class WriterMain {
    private WriterMain() {
    }

    public static void main(String[] args) {
        FileEventer e = new FileEventer(Path.of(args[0]), 0);
        int count = Integer.parseInt(args[2]);
        String pad = "x".repeat(Integer.parseInt(args[3]));
        for (int i = 0; i < count; i++) {
            e.write(new Event(Event.Type.CONTAINER, "start", Instant.now(), args[1] + "-" + i, args[1], "busybox",
                    null, Map.of("pad", pad)));
        }
        e.close();
    }
}
