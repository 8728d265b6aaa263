package io.jpod.rest.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

/**
 * One request and its answer, with blocking helpers: the handlers run on pool threads and may block
 * (waiting for a container, following its log).
 */
final class Exchange {
    static final String JSON = "application/json";
    /** The largest JSON request body read: no container's or network's configuration comes near it. */
    static final int MAX_JSON_BODY = 10 << 20;

    final Request request;
    final Response response;
    final Callback callback;
    /** The path without its {@code /vX.Y} prefix and without {@code /libpod}. */
    final String path;
    final boolean libpod;
    /** The API version the client asked for in the path, or null for a bare path. */
    final String version;
    final Fields query;
    final ObjectMapper json;
    Map<String, String> params = Map.of();
    private OutputStream out;
    private boolean done;

    Exchange(Request request, Response response, Callback callback, String path, boolean libpod, String version,
            ObjectMapper json) {
        this.request = request;
        this.response = response;
        this.callback = callback;
        this.path = path;
        this.libpod = libpod;
        this.version = version;
        this.json = json;
        this.query = Request.extractQueryParameters(request);
    }

    String method() {
        return request.getMethod();
    }

    String param(String name) {
        return params.get(name);
    }

    String header(String name) {
        return request.getHeaders().get(name);
    }

    /** A query parameter, or null. */
    String query(String name) {
        Fields.Field f = query.get(name);
        return f == null ? null : f.getValue();
    }

    List<String> queryAll(String name) {
        Fields.Field f = query.get(name);
        return f == null ? List.of() : f.getValues();
    }

    /** Booleans as clients send them: 1, true, True, yes; an empty value counts as true. */
    boolean bool(String name, boolean dflt) {
        String v = query(name);
        if (v == null) {
            return dflt;
        }
        return switch (v.trim().toLowerCase(Locale.ROOT)) {
            case "", "1", "true", "yes", "on" -> true;
            case "0", "false", "no", "off" -> false;
            default -> throw ApiException.badRequest("query parameter " + name + "=" + v
                    + " is not a boolean: use true or false");
        };
    }

    long longQuery(String name, long dflt) {
        String v = query(name);
        if (v == null || v.isEmpty()) {
            return dflt;
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("query parameter " + name + "=" + v + " is not a number");
        }
    }

    /** The request body as JSON; {@link NullNode} when empty; 413 past {@link #MAX_JSON_BODY}, unread. */
    JsonNode body() {
        if (request.getLength() > MAX_JSON_BODY) {
            throw tooLarge();
        }
        try {
            byte[] bytes = Content.Source.asInputStream(request).readNBytes(MAX_JSON_BODY + 1);
            if (bytes.length > MAX_JSON_BODY) {
                throw tooLarge();
            }
            String s = new String(bytes, StandardCharsets.UTF_8);
            if (s.isBlank()) {
                return NullNode.getInstance();
            }
            return json.readTree(s);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw ApiException.badRequest("the request body is not valid JSON: " + plain(e));
        } catch (IOException e) {
            throw new ApiException(400, "cannot read the request body: " + e.getMessage());
        }
    }

    private static ApiException tooLarge() {
        return new ApiException(413, "the request body is larger than " + (MAX_JSON_BODY >> 20) + " MiB");
    }

    /** Jackson's words for a parse error without its own configuration's names in them, and where it was. */
    private static String plain(com.fasterxml.jackson.core.JsonProcessingException e) {
        String m = String.valueOf(e.getOriginalMessage()).replaceAll("\\[Source: [^;\\]]*; ", "[")
                .replaceAll(", from `[^`]*`", "");
        var at = e.getLocation();
        return at == null || at.getLineNr() < 0 ? m
                : m + " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
    }

    InputStream bodyStream() {
        return Content.Source.asInputStream(request);
    }

    boolean isCommitted() {
        return out != null || done;
    }

    /** Answers with a JSON document. */
    void json(int status, Object value) throws IOException {
        byte[] bytes = json.writeValueAsBytes(value);
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, JSON);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
        try (OutputStream o = stream()) {
            o.write(bytes);
        }
    }

    void text(int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
        try (OutputStream o = stream()) {
            o.write(bytes);
        }
    }

    void empty(int status) throws IOException {
        response.setStatus(status);
        if (status != 204 && status != 304) {
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, 0);
        }
        stream().close();
    }

    /**
     * Starts a streamed answer: sends the status and headers at once (clients such as the docker CLI
     * wait for them before their next call) and returns the body's stream; closing it ends the answer.
     */
    OutputStream startStream(int status, String contentType) throws IOException {
        response.setStatus(status);
        if (contentType != null) {
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        }
        OutputStream o = stream();
        o.flush();
        return o;
    }

    /** Long answers (wait, follow, events) must not be cut by the idle timeout. */
    void noIdleTimeout() {
        EndPoint ep = request.getConnectionMetaData().getConnection().getEndPoint();
        ep.setIdleTimeout(0);
    }

    /**
     * For a stream that runs until the client goes (events, a log followed): HTTP/1 tells a handler of a
     * client's close only when it writes, so a quiet stream would keep its thread (and the files it follows)
     * until something happens to be written. The connection is watched instead: when the client closes it,
     * the handler's thread is interrupted, which ends the follow. Call before the answer starts (the answer
     * closes the connection: what is read from it while watching is not a next request); run what it
     * returns when the stream has ended.
     */
    Runnable interruptWhenClientGoes() {
        Thread streaming = Thread.currentThread();
        return whenClientGoes(streaming::interrupt, Thread::interrupted);
    }

    /**
     * As {@link #interruptWhenClientGoes()}, for work that must not be interrupted (a pull storing what it
     * fetched): {@code gone} is run, once, on the selector's thread when the client closes the connection.
     */
    Runnable whenClientGoes(Runnable gone) {
        return whenClientGoes(gone, () -> {
        });
    }

    private Runnable whenClientGoes(Runnable gone, Runnable ended) {
        response.getHeaders().put(HttpHeader.CONNECTION, "close");
        EndPoint ep = request.getConnectionMetaData().getConnection().getEndPoint();
        ClientWatch watch = new ClientWatch(ep, gone, ended);
        if (!ep.tryFillInterested(watch)) {
            return () -> {
            };
        }
        return watch::close;
    }

    /** Runs {@code gone} when the client's side of the connection ends. */
    private static final class ClientWatch implements Callback {
        private final EndPoint ep;
        private final Runnable ended;
        private Runnable gone;

        ClientWatch(EndPoint ep, Runnable gone, Runnable ended) {
            this.ep = ep;
            this.gone = gone;
            this.ended = ended;
        }

        /** Run on the selector's thread: a pool whose every thread streams must still hear its clients go. */
        @Override
        public InvocationType getInvocationType() {
            return InvocationType.NON_BLOCKING;
        }

        @Override
        public void succeeded() {
            // readable: the client's end (or bytes it should not send; they are dropped)
            try {
                int n = ep.fill(BufferUtil.allocate(512));
                if (n >= 0) {
                    ep.tryFillInterested(this);
                    return;
                }
            } catch (IOException closed) {
                // gone too
            }
            gone();
        }

        @Override
        public void failed(Throwable x) {
            gone();
        }

        private synchronized void gone() {
            if (gone != null) {
                gone.run();
                gone = null;
            }
        }

        /** The stream ended: {@code gone} must not run any more (an interrupt would hit the thread's next work). */
        void close() {
            synchronized (this) {
                gone = null;
            }
            ended.run();
        }
    }

    private OutputStream stream() {
        if (out == null) {
            out = Content.Sink.asOutputStream(response);
        }
        return out;
    }

    /** Completes the exchange once; the handler's stream must be closed by then. */
    void complete(Throwable failure) {
        if (done) {
            return;
        }
        done = true;
        if (failure == null) {
            callback.succeeded();
        } else {
            callback.failed(failure);
        }
    }

    void markDone() {
        done = true;
    }
}
