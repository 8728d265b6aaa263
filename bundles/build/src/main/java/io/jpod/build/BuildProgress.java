package io.jpod.build;

import org.osgi.annotation.versioning.ConsumerType;

/** What a build tells as it goes; the REST API renders it as docker's or podman's stream. */
@ConsumerType
public interface BuildProgress {

    /** What happened. */
    enum Kind {
        /** A step starts: {@code step} of {@code steps}, {@code text} the instruction as written. */
        STEP,
        /** The step's image came from the cache. */
        USING_CACHE,
        /** A RUN step's container runs: {@code id} is the container's ID. */
        RUNNING_IN,
        /** Output of a RUN step: {@code text}. */
        OUTPUT,
        /** A step's container was removed: {@code id}. */
        REMOVED_CONTAINER,
        /** A step ended with the image {@code id}. */
        STEP_DONE,
        /** The final image was tagged {@code text}. */
        TAGGED,
        /** A note for the user, such as a warning: {@code text}. */
        NOTE
    }

    /**
     * One event.
     *
     * @param kind  what happened
     * @param step  the step's number, from 1
     * @param steps the number of steps
     * @param text  the instruction, the output or the name
     * @param id    the container's or image's ID
     */
    record Event(Kind kind, int step, int steps, String text, String id) {
    }

    void event(Event e);
}
