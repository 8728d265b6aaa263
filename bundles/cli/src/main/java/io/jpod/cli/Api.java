package io.jpod.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.CompletableResponseListener;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.InputStreamRequestContent;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.client.InputStreamResponseListener;
import org.eclipse.jetty.client.PathRequestContent;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.io.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The libpod API over the service's unix socket, on Jetty's HTTP client. Paths are relative to
 * {@code /v4.0.0/libpod/}. Every failure becomes an {@link ApiException} with the service's message.
 */
final class Api implements AutoCloseable {
    static final String PREFIX = "/v4.0.0/libpod/";
    static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger LOG = LoggerFactory.getLogger(Api.class);
    private static final int MAX_BODY = 256 * 1024 * 1024;

    static {
        // Jetty's MemoryUtils would start the platform MBean server (about 100 ms of a command) to ask
        // whether references are compressed; the CLI's heap is small, so they are: 16 to a cache line
        if (System.getProperty("org.eclipse.jetty.util.referencesPerCacheLine") == null) {
            System.setProperty("org.eclipse.jetty.util.referencesPerCacheLine", "16");
        }
    }

    final Path socket;
    private final HttpClient http;

    Api(Path socket) {
        this.socket = socket;
        this.http = new HttpClient();
        // A unix socket never speaks TLS, and a command lives for one request or a few: starting JSSE's
        // trust store and a pooled buffer allocator (which asks JMX for the memory layout) would take about
        // half a second of every command's start.
        http.setSslContextFactory(new SslContextFactory.Client() {
            @Override
            protected void doStart() {
            }
        });
        http.setByteBufferPool(new ByteBufferPool.NonPooling());
        // threads as the command needs them (the selector, a stream's reader, attach's stdin): starting
        // Jetty's default eight at once, and its reserved ones, was a tenth of a short command
        QueuedThreadPool threads = new QueuedThreadPool(200, 1);
        threads.setName("jpod-http");
        threads.setReservedThreads(0);
        http.setExecutor(threads);
        // streams (logs -f, events, attach) may be quiet for as long as they like
        http.setIdleTimeout(0);
        http.setConnectTimeout(5000);
        http.setFollowRedirects(false);
        http.setUserAgentField(null);
        try {
            http.start();
            // after start: start() puts Jetty's own handler of the same name
            http.getProtocolHandlers().put(new Hijack.TcpUpgradeHandler());
            // a 401 is the registry's refusal passed on (a login, a pull), never a challenge of the socket's
            http.getProtocolHandlers().remove(org.eclipse.jetty.client.WWWAuthenticationProtocolHandler.NAME);
        } catch (Exception e) {
            throw new ApiException("cannot start the HTTP client: " + e.getMessage(), e);
        }
    }

    /** A query string from name/value pairs; null values are left out. */
    static Map<String, Object> query(Object... pairs) {
        Map<String, Object> q = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            if (pairs[i + 1] != null) {
                q.put((String) pairs[i], pairs[i + 1]);
            }
        }
        return q;
    }

    Request request(HttpMethod method, String path, Map<String, Object> query) {
        StringBuilder uri = new StringBuilder("http://d").append(PREFIX).append(path);
        char sep = '?';
        if (query != null) {
            for (Map.Entry<String, Object> e : query.entrySet()) {
                Iterable<?> values = e.getValue() instanceof Iterable<?> it ? it : List.of(e.getValue());
                for (Object v : values) {
                    uri.append(sep).append(enc(e.getKey())).append('=').append(enc(String.valueOf(v)));
                    sep = '&';
                }
            }
        }
        LOG.debug("{} {}", method, uri);
        return http.newRequest(URI.create(uri.toString())).transport(new Transport.TCPUnix(socket)).method(method);
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** Path segment of a name or ID (image names hold slashes and colons). */
    static String seg(String s) {
        return enc(s);
    }

    ContentResponse send(Request req) {
        try {
            ContentResponse r = new CompletableResponseListener(req, MAX_BODY).send().get();
            LOG.debug("-> {} {}", r.getStatus(), r.getContentAsString());
            if (r.getStatus() >= 400) {
                throw error(r.getStatus(), r.getContent());
            }
            return r;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException("interrupted", e);
        } catch (ExecutionException e) {
            throw unreachable(e.getCause());
        }
    }

    ApiException unreachable(Throwable cause) {
        if (cause instanceof ApiException a) {
            return a;
        }
        return new ApiException("unable to connect to jpod socket: " + socket + ": " + cause, cause);
    }

    /** libpod's error body {"cause","message","response"}; anything else is shown as it is. */
    static ApiException error(int status, byte[] body) {
        String msg = new String(body, StandardCharsets.UTF_8).trim();
        try {
            JsonNode n = JSON.readTree(body);
            if (n != null && n.hasNonNull("message")) {
                msg = n.get("message").asText();
            }
        } catch (IOException ignored) {
            // not JSON: the text itself
        }
        if (msg.isEmpty()) {
            msg = "HTTP status " + status;
        }
        return new ApiException(status, msg);
    }

    JsonNode get(String path, Map<String, Object> query) {
        return json(send(request(HttpMethod.GET, path, query)));
    }

    JsonNode post(String path, Map<String, Object> query, Object body) {
        Request req = request(HttpMethod.POST, path, query);
        if (body != null) {
            try {
                req.body(new BytesRequestContent("application/json", JSON.writeValueAsBytes(body)));
            } catch (IOException e) {
                throw new ApiException("cannot encode the request: " + e.getMessage(), e);
            }
        }
        return json(send(req));
    }

    JsonNode delete(String path, Map<String, Object> query) {
        return json(send(request(HttpMethod.DELETE, path, query)));
    }

    /** A request with a body of its own type (play kube's YAML, by POST and DELETE). */
    JsonNode send(HttpMethod method, String path, Map<String, Object> query, String contentType, byte[] body) {
        Request req = request(method, path, query);
        req.body(new BytesRequestContent(contentType, body));
        return json(send(req));
    }

    JsonNode upload(String path, Map<String, Object> query, Path file) {
        Request req = request(HttpMethod.POST, path, query);
        try {
            req.body(new PathRequestContent("application/x-tar", file));
        } catch (IOException e) {
            throw new ApiException(e.getMessage(), e);
        }
        return json(send(req));
    }

    JsonNode upload(String path, Map<String, Object> query, InputStream in) {
        Request req = request(HttpMethod.POST, path, query);
        req.body(new InputStreamRequestContent("application/x-tar", in,
                new ByteBufferPool.Sized(ByteBufferPool.NON_POOLING, false, 64 * 1024)));
        return json(send(req));
    }

    private static JsonNode json(ContentResponse r) {
        byte[] b = r.getContent();
        if (b == null || b.length == 0) {
            return JSON.nullNode();
        }
        try {
            return JSON.readTree(b);
        } catch (IOException e) {
            return JSON.getNodeFactory().textNode(r.getContentAsString());
        }
    }

    /** A response read as it comes (logs, events, save): the caller closes the stream. */
    InputStream stream(HttpMethod method, String path, Map<String, Object> query) {
        return stream(request(method, path, query));
    }

    /** {@link #stream(HttpMethod, String, Map)} of a request made with {@link #request} (headers added). */
    InputStream stream(Request req) {
        InputStreamResponseListener l = new InputStreamResponseListener();
        req.send(l);
        Response r;
        try {
            r = l.get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException("interrupted", e);
        } catch (TimeoutException e) {
            throw new ApiException("no answer from the service on " + socket + " within 30s", e);
        } catch (ExecutionException e) {
            throw unreachable(e.getCause());
        }
        InputStream in = l.getInputStream();
        if (r.getStatus() >= 400) {
            try (in) {
                throw error(r.getStatus(), in.readAllBytes());
            } catch (IOException e) {
                throw new ApiException(r.getStatus(), "HTTP status " + r.getStatus());
            }
        }
        return in;
    }

    /** POST with {@code Upgrade: tcp}: the connection is taken over after 101 (attach, exec start). */
    Hijack hijack(String path, Map<String, Object> query, Object body) {
        Request req = request(HttpMethod.POST, path, query);
        if (body != null) {
            try {
                req.body(new BytesRequestContent("application/json", JSON.writeValueAsBytes(body)));
            } catch (IOException e) {
                throw new ApiException(e.getMessage(), e);
            }
        }
        return Hijack.open(this, req);
    }

    /**
     * Whether a service answers _ping on the socket. Where the socket exists, a service that is slow to answer
     * (a loaded machine, many clients starting at once) gets a minute: only no socket, or nobody listening on
     * it, is "nothing answers".
     */
    boolean ping() {
        long seconds = java.nio.file.Files.exists(socket) ? 60 : 3;
        try {
            ContentResponse r = new CompletableResponseListener(request(HttpMethod.GET, "_ping", null)
                    .timeout(seconds, TimeUnit.SECONDS)).send().get();
            return r.getStatus() == 200;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException e) {
            LOG.debug("ping {}: {}", socket, e.getCause().toString());
            return false;
        }
    }

    @Override
    public void close() {
        try {
            http.stop();
        } catch (Exception e) {
            LOG.debug("stopping the HTTP client", e);
        }
    }
}
