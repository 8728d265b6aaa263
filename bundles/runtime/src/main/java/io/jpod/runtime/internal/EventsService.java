package io.jpod.runtime.internal;

import io.jpod.api.Event;
import io.jpod.api.EventReadOptions;
import io.jpod.api.Events;
import io.jpod.spi.events.Eventer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The engine's events through the selected events logger. */
final class EventsService implements Events {
    private static final Logger LOG = LoggerFactory.getLogger(EventsService.class);
    private final EngineGate gate;
    private final Eventer eventer;

    EventsService(EngineGate gate, Eventer eventer) {
        this.gate = gate;
        this.eventer = eventer;
    }

    @Override
    public void writeEvent(Event event) {
        gate.run(() -> eventer.write(event));
    }

    /** Events are a record of what happened: failing to write one does not undo the change. */
    void record(Event e) {
        try {
            eventer.write(e);
        } catch (RuntimeException ex) {
            LOG.warn("could not write {} event: {}", e.status(), ex.getMessage());
        }
    }

    @Override
    public void readEvents(EventReadOptions options, Predicate<Event> sink) throws InterruptedException {
        // not through the gate: a follow would hold off shutdown for ever
        gate.check();
        eventer.read(options, sink);
    }
}
