package io.jpod.rest.internal;

import io.jpod.api.Container;
import io.jpod.api.LogOptions;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;

/** A container's log, read once or followed. */
final class LogsApi {
    private final Services services;

    LogsApi(Services services) {
        this.services = services;
    }

    void register(Router docker, Router libpod) {
        for (Router r : List.of(docker, libpod)) {
            r.add("GET", "/containers/{id}/logs", this::logs);
        }
    }

    private void logs(Exchange x) throws Exception {
        EngineServices e = services.engine();
        Container c = e.containers().container(x.param("id"));
        boolean out = x.bool("stdout", false);
        boolean err = x.bool("stderr", false);
        if (!out && !err) {
            throw ApiException.badRequest("Bad parameters: you must choose at least one stream (stdout=1 or stderr=1)");
        }
        boolean follow = x.bool("follow", false);
        boolean timestamps = x.bool("timestamps", false);
        String tailQ = x.query("tail");
        int tail;
        if (tailQ == null || tailQ.isEmpty() || tailQ.equalsIgnoreCase("all")) {
            tail = -1;
        } else {
            try {
                tail = Integer.parseInt(tailQ.trim());
            } catch (NumberFormatException nan) {
                throw ApiException.badRequest("tail=" + tailQ + " is not a number: give a line count or all");
            }
        }
        Instant since = Inputs.optionalTime(x.query("since"), "since");
        Instant until = Inputs.optionalTime(x.query("until"), "until");
        boolean tty = c.config().terminal();
        boolean multiplexed = Streams.multiplexed(x, tty);
        if (follow) {
            x.noIdleTimeout();
        }
        Runnable unwatch = follow ? x.interruptWhenClientGoes() : () -> {
        };
        try (OutputStream conn = x.startStream(200, multiplexed ? Frames.MULTIPLEXED : Frames.RAW)) {
            // a log read once goes out as the buffer fills; a followed one line by line
            OutputStream o = out ? (multiplexed ? new Frames(conn, Frames.STDOUT, follow) : conn) : null;
            OutputStream r = err ? (multiplexed ? new Frames(conn, Frames.STDERR, follow) : conn) : null;
            try {
                e.containers().logs(c.id(), new LogOptions(tail, since, until, follow), line -> {
                    boolean ok = Streams.write(line, timestamps, "stderr".equals(line.stream()) ? r : o);
                    if (follow) {
                        try {
                            conn.flush();
                        } catch (IOException gone) {
                            throw new UncheckedIOException(gone);
                        }
                    }
                    return ok;
                });
            } catch (UncheckedIOException clientGone) {
                // the client stopped reading
            }
        } finally {
            unwatch.run();
        }
    }
}
