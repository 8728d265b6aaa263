package io.jpod.api;

import java.io.InputStream;
import java.io.OutputStream;

/**
 * The client's ends of a container's or an exec session's stdio. A null stream is not attached. With a
 * terminal, everything the process writes goes to {@code stdout}.
 *
 * @param stdin  what to feed the process; its end of stream closes the process's stdin
 * @param stdout where the process's stdout goes
 * @param stderr where the process's stderr goes
 */
public record AttachStreams(InputStream stdin, OutputStream stdout, OutputStream stderr) {
}
