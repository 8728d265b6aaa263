package io.jpod.api;

import java.io.InputStream;
import java.io.OutputStream;

/**
 * The client's ends of a container's or an exec session's stdio. A null stream is not attached. With a
 * terminal, everything the process writes goes to {@code stdout}.
 *
 * @param stdin    what to feed the process; its end of stream closes the process's stdin
 * @param stdout   where the process's stdout goes
 * @param stderr   where the process's stderr goes
 * @param attached run once the streams are connected, before any output is copied (a client that attaches
 *                 and then starts the container starts it from here, as {@code docker run} does), or null
 */
public record AttachStreams(InputStream stdin, OutputStream stdout, OutputStream stderr, Runnable attached) {

    public AttachStreams(InputStream stdin, OutputStream stdout, OutputStream stderr) {
        this(stdin, stdout, stderr, null);
    }

    /** Tells the client the streams are connected. */
    public void signalAttached() {
        if (attached != null) {
            attached.run();
        }
    }
}
