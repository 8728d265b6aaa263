package io.jpod.events.none.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import io.jpod.api.ErrorCode;
import io.jpod.api.Event;
import io.jpod.api.JpodException;
import io.jpod.api.EventReadOptions;
import io.jpod.spi.events.Eventer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.Test;

public class NoneEventerProviderTest {

    @Test
    public void writesAreDiscardedAndReadsReturnNothing() throws Exception {
        try (Eventer e = new NoneEventerProvider().open(null)) {
            assertEquals("none", e.name());
            e.write(new Event(Event.Type.CONTAINER, "start", Instant.now(), "abc", "web", "busybox", null, Map.of()));
            List<Event> seen = new ArrayList<>();
            e.read(EventReadOptions.all(), seen::add);
            assertTrue(seen.isEmpty());
        }
    }

    @Test(timeout = 5000)
    public void followReturnsAtOnce() throws Exception {
        try (Eventer e = new NoneEventerProvider().open(null)) {
            List<Event> seen = new ArrayList<>();
            e.read(new EventReadOptions(List.of("type=container"), null, null, true), seen::add);
            assertTrue(seen.isEmpty());
        }
    }

    @Test
    public void badFilterIsStillReported() {
        try (Eventer e = new NoneEventerProvider().open(null)) {
            e.read(new EventReadOptions(List.of("colour=red"), null, null, false), ev -> true);
            fail("expected INVALID_ARG");
        } catch (JpodException ex) {
            assertEquals(ErrorCode.INVALID_ARG, ex.code());
        } catch (InterruptedException ex) {
            throw new AssertionError(ex);
        }
    }
}
