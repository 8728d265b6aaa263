package io.jpod.spi.events;

import io.jpod.api.EventReadOptions;
import io.jpod.api.ErrorCode;
import io.jpod.api.Event;
import io.jpod.api.JpodException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * podman's event filters, shared by every events logger: values of one key are or-ed, keys are
 * and-ed, as in libpod's {@code generateEventFilters}.
 */
public final class EventFilters {
    private EventFilters() {
    }

    /** A predicate for the options' filters, since and until. Fails with INVALID_ARG on an unknown key. */
    public static Predicate<Event> of(EventReadOptions options) {
        Map<String, List<Predicate<Event>>> byKey = new LinkedHashMap<>();
        for (String f : options.filters()) {
            int eq = f.indexOf('=');
            if (eq <= 0) {
                throw new JpodException(ErrorCode.INVALID_ARG, "invalid event filter \"" + f
                        + "\": use key=value, e.g. type=container or event=start");
            }
            String key = f.substring(0, eq).trim().toLowerCase(java.util.Locale.ROOT);
            String value = f.substring(eq + 1).trim();
            byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(single(key, value));
        }
        Predicate<Event> p = e -> true;
        for (List<Predicate<Event>> alternatives : byKey.values()) {
            Predicate<Event> any = alternatives.stream().reduce(Predicate::or).orElse(e -> true);
            p = p.and(any);
        }
        if (options.since() != null) {
            p = p.and(e -> !e.time().isBefore(options.since()));
        }
        if (options.until() != null) {
            p = p.and(e -> !e.time().isAfter(options.until()));
        }
        return p;
    }

    private static Predicate<Event> single(String key, String value) {
        return switch (key) {
            case "type" -> {
                Event.Type t = Event.Type.parse(value);
                yield e -> e.type() == t;
            }
            case "event", "status" -> e -> value.equalsIgnoreCase(e.status());
            case "container" -> e -> e.type() == Event.Type.CONTAINER && idOrName(e, value);
            case "pod" -> e -> e.type() == Event.Type.POD && idOrName(e, value);
            case "volume" -> e -> e.type() == Event.Type.VOLUME && idOrName(e, value);
            case "network" -> e -> e.type() == Event.Type.NETWORK && idOrName(e, value);
            case "image" -> e -> value.equals(e.image()) || e.type() == Event.Type.IMAGE && idOrName(e, value);
            case "id" -> e -> e.id() != null && e.id().startsWith(value);
            case "name" -> e -> value.equals(e.name());
            case "label" -> {
                int eq = value.indexOf('=');
                String k = eq < 0 ? value : value.substring(0, eq);
                String v = eq < 0 ? null : value.substring(eq + 1);
                yield e -> e.attributes().containsKey(k) && (v == null || v.equals(e.attributes().get(k)));
            }
            default -> throw new JpodException(ErrorCode.INVALID_ARG, "unknown event filter \"" + key
                    + "\": use one of type, event, container, pod, volume, network, image, id, name, label");
        };
    }

    private static boolean idOrName(Event e, String value) {
        return value.equals(e.name()) || e.id() != null && e.id().startsWith(value);
    }
}
