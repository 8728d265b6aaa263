package io.jpod.rest.internal;

import java.io.IOException;
import java.io.OutputStream;

/**
 * A streamed answer whose status and headers go out with its first byte: an engine call that fails before it
 * writes anything (a container that cannot be read) is still answered with its error, not a cut 200.
 */
final class FirstWriteStream extends OutputStream {
    private final Exchange exchange;
    private final String contentType;
    private OutputStream out;

    FirstWriteStream(Exchange exchange, String contentType) {
        this.exchange = exchange;
        this.contentType = contentType;
    }

    private OutputStream out() throws IOException {
        if (out == null) {
            out = exchange.startStream(200, contentType);
        }
        return out;
    }

    @Override
    public void write(int b) throws IOException {
        out().write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        out().write(b, off, len);
    }

    @Override
    public void flush() throws IOException {
        if (out != null) {
            out.flush();
        }
    }

    /** Ends the answer (an empty body when nothing was written). */
    @Override
    public void close() throws IOException {
        out().close();
    }
}
