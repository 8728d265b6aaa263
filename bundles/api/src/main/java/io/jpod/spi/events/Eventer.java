package io.jpod.spi.events;

import io.jpod.api.EventReadOptions;
import io.jpod.api.Event;
import java.util.function.Predicate;
import org.osgi.annotation.versioning.ConsumerType;

/** Writes and reads engine events, as libpod's events.Eventer. */
@ConsumerType
public interface Eventer extends AutoCloseable {

    void write(Event event);

    /**
     * Hands every event matching {@code options} to {@code sink} in order of time. Without follow it
     * returns after the last stored event; with follow it waits for new ones until the sink returns
     * false, {@code until} passes or the thread is interrupted.
     */
    void read(EventReadOptions options, Predicate<Event> sink) throws InterruptedException;

    /** The name it was selected by. */
    String name();

    @Override
    void close();
}
