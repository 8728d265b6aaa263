package io.jpod.registry.internal;

import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP side of talking to registries, over the JDK's HttpClient: one client per registry and TLS setting (its
 * certs.d trust and client certificate, or no verification), bounded connect and answer times, redirects followed
 * by the caller (so that credentials never follow one to another host), and every transport failure turned into
 * a REGISTRY_UNREACHABLE naming {@code host:port}. An insecure registry is tried with HTTPS without verification
 * first, then with plain HTTP, as podman and dockerd do; the scheme that answered is remembered.
 */
public final class RegistryHttp {
    private static final Logger LOG = LoggerFactory.getLogger(RegistryHttp.class);

    /** Where a registry answers: its base URI and the client to use for it. */
    public record Endpoint(String registry, URI base, HttpClient client, boolean verified) {
        URI uri(String path) {
            return base.resolve(path);
        }
    }

    private final CertsDir certs;
    private final Duration connectTimeout;
    private final Duration requestTimeout;
    private final Map<String, HttpClient> clients = new ConcurrentHashMap<>();
    private final Map<String, Endpoint> endpoints = new ConcurrentHashMap<>();
    private final ExecutorService executor;

    public RegistryHttp(CertsDir certs, Duration connectTimeout, Duration requestTimeout) {
        this.certs = certs;
        this.connectTimeout = connectTimeout;
        this.requestTimeout = requestTimeout;
        AtomicInteger n = new AtomicInteger();
        this.executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "jpod-registry-http-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    public Duration requestTimeout() {
        return requestTimeout;
    }

    public void close() {
        executor.shutdownNow();
        clients.clear();
        endpoints.clear();
    }

    /** The host the registry's API is at: Docker Hub's {@code docker.io} is {@code registry-1.docker.io}. */
    static String apiHost(String registry) {
        return registry.equals(ReferenceParser.DOCKER_IO) ? "registry-1.docker.io" : registry;
    }

    HttpClient client(String registry, boolean verify) {
        return clients.computeIfAbsent(registry + (verify ? "|verify" : "|insecure"), k -> {
            SSLParameters params = new SSLParameters();
            params.setEndpointIdentificationAlgorithm(verify ? "HTTPS" : null);
            return HttpClient.newBuilder().connectTimeout(connectTimeout).followRedirects(HttpClient.Redirect.NEVER)
                    .version(HttpClient.Version.HTTP_1_1).sslContext(certs.context(registry, verify))
                    .sslParameters(params).executor(executor).build();
        });
    }

    /**
     * The endpoint of {@code registry}: HTTPS with verification, or for an insecure one the first of unverified HTTPS
     * and plain HTTP that answers {@code GET /v2/} at all.
     */
    Endpoint endpoint(String registry, boolean insecure) {
        String key = registry + (insecure ? "|insecure" : "|secure");
        Endpoint known = endpoints.get(key);
        if (known != null) {
            return known;
        }
        String host = apiHost(registry);
        Endpoint ep;
        if (!insecure) {
            ep = new Endpoint(registry, URI.create("https://" + host + "/"), client(registry, true), true);
        } else {
            Endpoint https = new Endpoint(registry, URI.create("https://" + host + "/"), client(registry, false), false);
            Endpoint http = new Endpoint(registry, URI.create("http://" + host + "/"), client(registry, false), false);
            ep = http;
            try {
                HttpResponse<InputStream> r = send(https, HttpRequest.newBuilder(https.uri("v2/")).GET());
                discard(r);
                ep = https;
            } catch (JpodException e) {
                if (e.getCause() instanceof HttpTimeoutException && !(e.getCause() instanceof HttpConnectTimeoutException)
                        || e.getCause() instanceof HttpConnectTimeoutException || e.getCause() instanceof ConnectException
                        || e.getCause() instanceof UnknownHostException) {
                    throw e; // neither scheme will do better: the address does not answer
                }
                LOG.debug("registry {}: HTTPS failed ({}), trying plain HTTP", registry, e.getMessage());
                HttpResponse<InputStream> r = send(http, HttpRequest.newBuilder(http.uri("v2/")).GET());
                byte[] body;
                try {
                    body = readLimited(r, 1 << 12, "an answer");
                } catch (IOException io) {
                    body = new byte[0];
                }
                if (r.statusCode() == 400 && new String(body, java.nio.charset.StandardCharsets.UTF_8)
                        .contains("HTTPS server")) {
                    throw e; // it speaks HTTPS only: its TLS failure is the one to report
                }
            }
        }
        endpoints.put(key, ep);
        return ep;
    }

    /** Forgets the endpoint chosen for {@code registry} (after a transport failure). */
    void forget(String registry) {
        endpoints.keySet().removeIf(k -> k.startsWith(registry + "|"));
    }

    /** Sends {@code req} (its timeout set here) and answers the response with its body unread. */
    HttpResponse<InputStream> send(Endpoint ep, HttpRequest.Builder req) {
        return send(ep.client(), ep.registry(), req);
    }

    HttpResponse<InputStream> send(HttpClient client, String registry, HttpRequest.Builder req) {
        HttpRequest r = req.timeout(requestTimeout).header("User-Agent", "jpod").build();
        long t0 = System.nanoTime();
        try {
            return client.send(r, HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JpodException(ErrorCode.REGISTRY_UNREACHABLE, "interrupted while waiting for registry "
                    + address(r.uri()), e);
        } catch (IOException | UnresolvedAddressException e) {
            forget(registry);
            if (e instanceof HttpConnectTimeoutException
                    && Duration.ofNanos(System.nanoTime() - t0).compareTo(connectTimeout) < 0) {
                // the request's own limit ran out while connecting (a TLS handshake the server never answers)
                throw unreachable(r.uri(), new HttpTimeoutException(e.getMessage()));
            }
            throw unreachable(r.uri(), e);
        }
    }

    JpodException unreachable(URI uri, Throwable e) {
        String addr = address(uri);
        String why;
        if (e instanceof HttpConnectTimeoutException) {
            why = "no connection within " + connectTimeout.toSeconds() + " s";
        } else if (e instanceof HttpTimeoutException) {
            why = "no answer within " + requestTimeout.toSeconds() + " s";
        } else if (e instanceof ConnectException) {
            why = "connection refused";
        } else if (e instanceof UnresolvedAddressException || e instanceof UnknownHostException
                || e.getCause() instanceof UnresolvedAddressException) {
            why = "the host name does not resolve";
        } else if (e instanceof SSLException) {
            why = "TLS failed: " + innermost(e) + " (certificates go in " + certs.dirFor(addr)
                    + "/; --tls-verify=false skips the check)";
        } else if (e instanceof InterruptedIOException) {
            why = "interrupted";
        } else {
            why = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        }
        return new JpodException(ErrorCode.REGISTRY_UNREACHABLE, "cannot reach registry " + addr + " ("
                + uri.getScheme() + "): " + why, e);
    }

    /** What the deepest cause says, without the class names Java's TLS stack puts in its messages. */
    static String innermost(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage() == null ? e.getMessage() : t.getMessage();
        return m == null ? t.getClass().getSimpleName() : m.replaceAll("\\b(?:[a-z]+\\.)+[A-Z]\\w*(?:Exception|Error): ", "");
    }

    /** {@code host:port} of {@code uri}, with the scheme's default port spelled out. */
    static String address(URI uri) {
        int port = uri.getPort() >= 0 ? uri.getPort() : uri.getScheme().equals("http") ? 80 : 443;
        return uri.getHost() + ":" + port;
    }

    /** Reads at most {@code max} bytes of a body and closes it. */
    static byte[] readLimited(HttpResponse<InputStream> r, int max, String what) throws IOException {
        try (InputStream in = r.body()) {
            byte[] b = in.readNBytes(max + 1);
            if (b.length > max) {
                throw new IOException(what + " is larger than " + max + " bytes");
            }
            return b;
        }
    }

    static void discard(HttpResponse<InputStream> r) {
        try (InputStream in = r.body()) {
            in.skip(1 << 16);
        } catch (IOException e) {
            LOG.trace("discarding a body: {}", e.toString());
        }
    }
}
