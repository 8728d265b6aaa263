package io.jpod.api;

import java.time.Instant;
import java.util.Locale;
import java.util.Map;

/**
 * An engine event, as libpod's events.Event.
 *
 * @param type       what the event is about
 * @param status     what happened: {@code create}, {@code start}, {@code died}, {@code remove}, {@code refresh}, ...
 * @param time       when
 * @param id         the ID of the object, or null
 * @param name       the name of the object, or null
 * @param image      the image of a container, or null
 * @param exitCode   a container's exit code for {@code died}, or null
 * @param attributes labels and other details
 */
public record Event(Type type, String status, Instant time, String id, String name, String image, Integer exitCode,
        Map<String, String> attributes) {

    public Event {
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
    }

    /** events.Type */
    public enum Type {
        CONTAINER, EXEC, IMAGE, NETWORK, POD, SYSTEM, VOLUME, MACHINE;

        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Type parse(String word) {
            for (Type t : values()) {
                if (t.word().equalsIgnoreCase(word.trim())) {
                    return t;
                }
            }
            throw new JpodException(ErrorCode.INVALID_ARG, "unknown event type \"" + word
                    + "\": use one of container, exec, image, network, pod, system, volume");
        }
    }

    public static Event system(String status) {
        return new Event(Type.SYSTEM, status, Instant.now(), null, null, null, null, Map.of());
    }

    public static Event container(String status, Container c) {
        return new Event(Type.CONTAINER, status, Instant.now(), c.id(), c.name(), c.config().image(), null,
                c.config().labels());
    }
}
