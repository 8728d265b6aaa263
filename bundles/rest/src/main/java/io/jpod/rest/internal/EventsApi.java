package io.jpod.rest.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.jpod.api.EventReadOptions;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** {@code GET /events} of both families: the engine's events as JSON lines, read or followed. */
final class EventsApi {
    private final Services services;
    private final EventView eventView;

    EventsApi(Services services, Shapes shapes) {
        this.services = services;
        this.eventView = new EventView(shapes);
    }

    void register(Router docker, Router libpod) {
        for (Router r : List.of(docker, libpod)) {
            r.add("GET", "/events", this::events);
        }
    }

    /** Streams events as JSON lines; without {@code until} it follows until the client goes. */
    private void events(Exchange x) throws Exception {
        EngineServices e = services.engine();
        Instant since = Inputs.parseTime(x.query("since"), "since");
        Instant until = Inputs.parseTime(x.query("until"), "until");
        if (since == null && until == null) {
            // as podman's and docker's: the past only when since or until asks for it
            since = Instant.now();
        }
        String untilText = x.query("until");
        if (until != null && untilText.trim().matches("\\d+")) {
            // the docker CLI sends whole seconds ("--until 0s" is now): the whole second counts
            until = until.plusNanos(999_999_999);
        }
        boolean follow = x.libpod ? x.bool("stream", true) && until == null : until == null;
        List<String> filters = new ArrayList<>();
        JsonNode f = Filters.parse(x.query("filters"), x.json);
        for (Iterator<Map.Entry<String, JsonNode>> it = f.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> en = it.next();
            for (String v : Filters.values(en.getValue())) {
                boolean eventKey = en.getKey().equals("event") || en.getKey().equals("status");
                filters.add(en.getKey() + "=" + (!x.libpod && eventKey && v.equals("die") ? "died" : v));
            }
        }
        EventReadOptions options = new EventReadOptions(filters, since, until, follow);
        x.noIdleTimeout();
        Runnable unwatch = follow ? x.interruptWhenClientGoes() : () -> {
        };
        try (OutputStream out = x.startStream(200, "application/json")) {
            try {
                e.events().readEvents(options, ev -> {
                    try {
                        Streams.jsonLine(x, out, eventView.event(ev, x.libpod));
                        return true;
                    } catch (IOException gone) {
                        throw new UncheckedIOException(gone);
                    }
                });
            } catch (UncheckedIOException clientGone) {
                // the client stopped listening
            }
        } finally {
            unwatch.run();
        }
    }

}
