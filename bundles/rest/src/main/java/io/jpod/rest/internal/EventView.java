package io.jpod.rest.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jpod.api.Event;

/** An event as both API families stream it. */
final class EventView {
    private final Shapes shapes;

    EventView(Shapes shapes) {
        this.shapes = shapes;
    }

    /**
     * An event as both APIs stream it (Docker's events.Message). Docker names a container's exit
     * {@code die}, libpod {@code died}; podman's clients drop an event without {@code containerExitCode}.
     */
    ObjectNode event(Event e, boolean libpod) {
        ObjectNode o = shapes.object();
        String type = e.type().word();
        String action = !libpod && "died".equals(e.status()) ? "die" : e.status();
        if (!libpod && "health_status".equals(action)) {
            // Docker's action names the status: "health_status: healthy"
            action = action + ": " + e.attributes().getOrDefault("health_status", "");
        }
        o.put("status", action);
        if (e.id() != null) {
            o.put("id", e.id());
        }
        if (e.image() != null) {
            o.put("from", e.image());
        }
        o.put("Type", type);
        o.put("Action", action);
        ObjectNode actor = o.putObject("Actor");
        actor.put("ID", e.id() == null ? "" : e.id());
        ObjectNode attrs = actor.putObject("Attributes");
        e.attributes().forEach(attrs::put);
        if (!libpod && action.startsWith("health_status:")) {
            attrs.remove("health_status"); // Docker's is in the action
        }
        if (e.name() != null) {
            attrs.put("name", e.name());
        }
        if (e.image() != null) {
            attrs.put("image", e.image());
        }
        if (e.exitCode() != null) {
            attrs.put("exitCode", String.valueOf(e.exitCode()));
        }
        if (libpod) {
            attrs.put("containerExitCode", String.valueOf(e.exitCode() == null ? 0 : e.exitCode()));
        }
        o.put("scope", "local");
        o.put("time", e.time().getEpochSecond());
        o.put("timeNano", e.time().getEpochSecond() * 1_000_000_000L + e.time().getNano());
        return o;
    }
}
