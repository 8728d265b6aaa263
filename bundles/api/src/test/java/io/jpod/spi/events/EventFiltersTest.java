package io.jpod.spi.events;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import io.jpod.api.ErrorCode;
import io.jpod.api.EventReadOptions;
import io.jpod.api.Event;
import io.jpod.api.JpodException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.Test;

public class EventFiltersTest {
    private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");
    private final Event start = new Event(Event.Type.CONTAINER, "start", T, "abcdef0123", "web", "busybox", null,
            Map.of("app", "x"));
    private final Event refresh = new Event(Event.Type.SYSTEM, "refresh", T.plusSeconds(10), null, null, null, null,
            Map.of());

    private static Predicate<Event> f(String... filters) {
        return EventFilters.of(new EventReadOptions(List.of(filters), null, null, false));
    }

    @Test
    public void valuesOfOneKeyAreOredAndKeysAnded() {
        assertTrue(f("type=container", "type=system").test(refresh));
        assertTrue(f("type=container", "event=start").test(start));
        assertFalse(f("type=container", "event=die").test(start));
        assertTrue(f("container=web").test(start));
        assertTrue(f("container=abcd").test(start));
        assertFalse(f("container=web").test(refresh));
        assertTrue(f("label=app=x").test(start));
        assertTrue(f("label=app").test(start));
        assertFalse(f("label=app=y").test(start));
        assertTrue(f("image=busybox").test(start));
    }

    @Test
    public void sinceAndUntil() {
        Predicate<Event> p = EventFilters.of(new EventReadOptions(List.of(), T.plusSeconds(1), null, false));
        assertFalse(p.test(start));
        assertTrue(p.test(refresh));
        p = EventFilters.of(new EventReadOptions(List.of(), null, T.plusSeconds(1), false));
        assertTrue(p.test(start));
        assertFalse(p.test(refresh));
    }

    @Test
    public void badFiltersAreClearErrors() {
        for (String bad : List.of("nokey", "colour=red", "type=spaceship")) {
            try {
                f(bad);
                fail(bad);
            } catch (JpodException e) {
                assertEquals(ErrorCode.INVALID_ARG, e.code());
                assertTrue(e.getMessage(), e.getMessage().contains(bad.contains("=") ? bad.split("=")[bad.startsWith("type") ? 1 : 0] : bad));
            }
        }
    }
}
