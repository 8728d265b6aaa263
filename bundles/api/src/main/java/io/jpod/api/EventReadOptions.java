package io.jpod.api;

import java.time.Instant;
import java.util.List;

/**
 * What to read, as libpod's events.ReadOptions.
 *
 * @param filters podman's filters, {@code key=value}: type, event (or status), container, image, pod,
 *                volume, network, label, id, name
 * @param since   only events at or after this time, or null
 * @param until   only events at or before this time, or null
 * @param follow  keep reading new events
 */
public record EventReadOptions(List<String> filters, Instant since, Instant until, boolean follow) {
    public EventReadOptions {
        filters = filters == null ? List.of() : List.copyOf(filters);
    }

    public static EventReadOptions all() {
        return new EventReadOptions(List.of(), null, null, false);
    }
}
