package io.jpod.api;

import java.util.function.Predicate;
import org.osgi.annotation.versioning.ProviderType;

/** The engine's record of what happened, through the selected events logger (libpod's events.go). */
@ProviderType
public interface Events {

    /** Writes an event. */
    void writeEvent(Event event);

    /**
     * Reads events; with {@code follow} it blocks until the sink returns false, {@code until} passes or
     * the thread is interrupted.
     */
    void readEvents(EventReadOptions options, Predicate<Event> sink) throws InterruptedException;
}
