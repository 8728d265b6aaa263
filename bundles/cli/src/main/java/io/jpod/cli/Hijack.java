package io.jpod.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.client.HttpUpgrader;
import org.eclipse.jetty.client.InputStreamResponseListener;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.UpgradeProtocolHandler;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.AbstractConnection;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.FutureCallback;

/**
 * A hijacked attach or exec stream. Jetty's client upgrades a connection after a 101 when the request
 * carries an {@link HttpUpgrader.Factory} attribute and a protocol handler accepts the response (its
 * own accepts only websocket and h2c, so {@link TcpUpgradeHandler} adds {@code tcp}); the upgrader then
 * gets the raw {@link EndPoint}, on which a {@link Raw} connection takes over both directions. A service
 * that answers 200 instead of 101 streams the output as an ordinary body; stdin is then not sent.
 */
final class Hijack implements AutoCloseable {
    private final Raw raw;
    private final InputStream body;

    private Hijack(Raw raw, InputStream body) {
        this.raw = raw;
        this.body = body;
    }

    static Hijack open(Api api, Request req) {
        CompletableFuture<Raw> upgraded = new CompletableFuture<>();
        req.headers(h -> h.put(HttpHeader.CONNECTION, "Upgrade").put(HttpHeader.UPGRADE, "tcp"));
        req.attribute(HttpUpgrader.Factory.class.getName(), (HttpUpgrader.Factory) version -> new HttpUpgrader() {
            @Override
            public void prepare(Request request) {
                // the headers are already set
            }

            @Override
            public void upgrade(Response response, EndPoint endPoint, Callback callback) {
                Raw raw = new Raw(endPoint);
                // no idle timeout: an attached session may be quiet for hours
                endPoint.setIdleTimeout(0);
                endPoint.upgrade(raw);
                upgraded.complete(raw);
                callback.succeeded();
            }
        });
        InputStreamResponseListener listener = new InputStreamResponseListener();
        req.send(listener);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        try {
            while (System.nanoTime() < deadline) {
                try {
                    return new Hijack(upgraded.get(50, TimeUnit.MILLISECONDS), null);
                } catch (TimeoutException notYet) {
                    // the response may be an ordinary one
                }
                Response r;
                try {
                    r = listener.get(50, TimeUnit.MILLISECONDS);
                } catch (TimeoutException notYet) {
                    continue;
                }
                if (r.getStatus() == 101) {
                    continue;
                }
                InputStream in = listener.getInputStream();
                if (r.getStatus() >= 400) {
                    try (in) {
                        throw Api.error(r.getStatus(), in.readAllBytes());
                    } catch (IOException e) {
                        throw new ApiException(r.getStatus(), "HTTP status " + r.getStatus());
                    }
                }
                return new Hijack(null, in);
            }
            throw new ApiException("no answer from the service on " + api.socket + " within 30s", null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException("interrupted", e);
        } catch (ExecutionException e) {
            throw api.unreachable(e.getCause());
        }
    }

    /** Whether the connection was taken over (stdin can be sent). */
    boolean upgraded() {
        return raw != null;
    }

    InputStream input() {
        return raw != null ? raw.input : body;
    }

    void write(byte[] b, int off, int len) throws IOException {
        if (raw == null) {
            return;
        }
        FutureCallback done = new FutureCallback();
        raw.getEndPoint().write(done, ByteBuffer.wrap(b, off, len));
        try {
            done.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        } catch (ExecutionException e) {
            throw new IOException(e.getCause().getMessage(), e.getCause());
        }
    }

    /** Half-close: the service sees the end of stdin and keeps sending output. */
    void closeWrite() {
        if (raw != null) {
            raw.getEndPoint().shutdownOutput();
        }
    }

    @Override
    public void close() {
        if (raw != null) {
            raw.getEndPoint().close();
        } else {
            try {
                body.close();
            } catch (IOException ignored) {
                // nothing more to read anyway
            }
        }
    }

    /** Accepts 101 answers to {@code Upgrade: tcp} as well as Jetty's own protocols. */
    static final class TcpUpgradeHandler extends UpgradeProtocolHandler {
        @Override
        protected boolean acceptHeaders(Request request, Response response) {
            HttpField up = request.getHeaders().getField(HttpHeader.UPGRADE);
            if (up != null && up.contains("tcp")) {
                return true;
            }
            return super.acceptHeaders(request, response);
        }
    }

    /** The connection after the upgrade: what it reads goes to a blocking {@link InputStream}. */
    static final class Raw extends AbstractConnection implements Connection.UpgradeTo {
        private static final byte[] EOF = new byte[0];
        private final LinkedBlockingQueue<byte[]> chunks = new LinkedBlockingQueue<>();
        final InputStream input = new QueueInput();

        Raw(EndPoint endPoint) {
            super(endPoint, Runnable::run);
        }

        @Override
        public void onUpgradeTo(ByteBuffer prefilled) {
            // bytes that came with the 101 response, read by the HTTP connection before the takeover
            if (BufferUtil.hasContent(prefilled)) {
                byte[] b = new byte[prefilled.remaining()];
                prefilled.get(b);
                chunks.add(b);
            }
        }

        @Override
        public void onOpen() {
            super.onOpen();
            fillInterested();
        }

        @Override
        public void onFillable() {
            // Jetty's buffers stay in "flush mode": fill appends after the limit, so empty means limit 0
            ByteBuffer buf = BufferUtil.allocate(16384);
            try {
                while (true) {
                    BufferUtil.clear(buf);
                    int n = getEndPoint().fill(buf);
                    if (n > 0) {
                        byte[] b = new byte[buf.remaining()];
                        buf.get(b);
                        chunks.add(b);
                    } else if (n == 0) {
                        fillInterested();
                        return;
                    } else {
                        chunks.add(EOF);
                        return;
                    }
                }
            } catch (IOException e) {
                chunks.add(EOF);
            }
        }

        @Override
        public void onClose(Throwable cause) {
            chunks.add(EOF);
            super.onClose(cause);
        }

        @Override
        protected boolean onReadTimeout(TimeoutException timeout) {
            return false;
        }

        private final class QueueInput extends InputStream {
            private byte[] current = new byte[0];
            private int pos;
            private boolean eof;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                int n = read(one, 0, 1);
                return n < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (len == 0) {
                    return 0;
                }
                while (pos >= current.length) {
                    if (eof) {
                        return -1;
                    }
                    try {
                        current = chunks.take();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IOException("interrupted");
                    }
                    pos = 0;
                    if (current == EOF) {
                        eof = true;
                        current = new byte[0];
                    }
                }
                int n = Math.min(len, current.length - pos);
                System.arraycopy(current, pos, b, off, n);
                pos += n;
                return n;
            }
        }
    }
}
