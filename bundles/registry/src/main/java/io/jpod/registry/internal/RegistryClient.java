package io.jpod.registry.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;
import io.jpod.api.registry.Descriptor;
import io.jpod.api.registry.ImageReference;
import io.jpod.api.registry.RegistryAuth;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The distribution protocol ({@code /v2/}) to one registry: manifests, blobs (redirects followed, the
 * {@code Authorization} header dropped when one leads to another host), uploads and manifest pushes, each with the
 * credentials its scope needs (see {@link TokenAuth}). Answers that are not what the call wants become
 * {@link JpodException}s: 401/403 UNAUTHORIZED ("run jpod login"), 404 NO_SUCH_IMAGE, 429 and 5xx
 * REGISTRY_UNREACHABLE, others INVALID_ARG with the registry's error codes.
 */
public final class RegistryClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_REDIRECTS = 5;

    /**
     * One call's target: a registry, a repository in it, how to reach it and with which credentials.
     *
     * @param creds null for anonymous
     */
    public record Target(ImageReference ref, boolean insecure, RegistryAuth creds) {
        @Override
        public String toString() {
            return "Target[" + ref + ", insecure=" + insecure + ", " + creds + "]";
        }
    }

    /** A manifest as served: its media type (what the registry said, or its own field), bytes and digest. */
    public record Fetched(String mediaType, byte[] raw, String digest) {
    }

    private final RegistryHttp http;
    private final TokenAuth auth;

    public RegistryClient(RegistryHttp http, TokenAuth auth) {
        this.http = http;
        this.auth = auth;
    }

    /** {@code GET /v2/}: learns what authentication the registry wants. */
    void ping(RegistryHttp.Endpoint ep) {
        HttpResponse<InputStream> r = http.send(ep, HttpRequest.newBuilder(ep.uri("v2/")).GET());
        RegistryHttp.discard(r);
        if (r.statusCode() == 401) {
            auth.challenged(ep.registry(), r);
        } else if (r.statusCode() == 200) {
            auth.open(ep.registry());
        } else if (r.statusCode() == 404) {
            throw new JpodException(ErrorCode.REGISTRY_UNREACHABLE, ep.base() + " answered 404 to /v2/: it is not a"
                    + " registry (the distribution API)");
        } else if (r.statusCode() >= 500) {
            throw status(new Target(new ImageReference(ep.registry(), "", null, null), false, null), r, "/v2/",
                    null);
        }
    }

    /**
     * Sends the request {@code req} builds for the endpoint, with the authorization of {@code actions} on the
     * target's repository; once more with a fresh token when the registry answers 401.
     */
    private HttpResponse<InputStream> exchange(Target t, String actions, Function<RegistryHttp.Endpoint,
            HttpRequest.Builder> req) {
        return scoped(t, "repository:" + t.ref().repository() + ":" + actions, req);
    }

    /** As {@link #exchange}, for any token scope ({@code registry:catalog:*}). */
    HttpResponse<InputStream> scoped(Target t, String scope, Function<RegistryHttp.Endpoint,
            HttpRequest.Builder> req) {
        RegistryHttp.Endpoint ep = http.endpoint(t.ref().registry(), t.insecure());
        if (!auth.knows(ep.registry())) {
            ping(ep);
        }
        String header = auth.authorization(ep.registry(), t.insecure(), scope, t.creds(), false);
        HttpRequest.Builder b = req.apply(ep);
        if (header != null) {
            b.header("Authorization", header);
        }
        HttpResponse<InputStream> r = http.send(ep, b);
        if (r.statusCode() == 401) {
            RegistryHttp.discard(r);
            auth.challenged(ep.registry(), r);
            header = auth.authorization(ep.registry(), t.insecure(), scope, t.creds(), true);
            b = req.apply(ep);
            if (header != null) {
                b.header("Authorization", header);
            }
            r = http.send(ep, b);
        }
        return r;
    }

    private static String path(Target t, String kind, String what) {
        return "v2/" + t.ref().repository() + "/" + kind + "/" + what;
    }

    /** The manifest {@code tagOrDigest} of the target's repository, as served; by digest, its digest checked. */
    public Fetched manifest(Target t, String tagOrDigest) {
        HttpResponse<InputStream> r = exchange(t, "pull", ep -> HttpRequest.newBuilder(
                ep.uri(path(t, "manifests", tagOrDigest))).header("Accept", Manifests.ACCEPT).GET());
        if (r.statusCode() != 200) {
            throw status(t, r, "manifest " + tagOrDigest, tagOrDigest);
        }
        byte[] raw;
        try {
            raw = RegistryHttp.readLimited(r, Manifests.MAX_SIZE, "the manifest of " + t.ref());
        } catch (IOException e) {
            throw http.unreachable(r.uri(), e);
        }
        String digest;
        if (tagOrDigest.contains(":")) {
            digest = Digests.of(raw, tagOrDigest);
            if (!digest.equals(tagOrDigest)) {
                throw new JpodException(ErrorCode.INVALID_ARG, "registry " + t.ref().registry() + " served a manifest"
                        + " for " + t.ref().name() + "@" + tagOrDigest + " whose digest is " + digest + ": refused");
            }
        } else {
            digest = Digests.sha256(raw);
        }
        String ct = r.headers().firstValue("Content-Type").orElse(null);
        return new Fetched(ct == null ? null : ct.split(";")[0].trim(), raw, digest);
    }

    /** A blob's content, its digest and size checked as it is read ({@link VerifyingInputStream}). */
    public InputStream blob(Target t, Descriptor d) {
        HttpResponse<InputStream> r = exchange(t, "pull", ep -> HttpRequest.newBuilder(
                ep.uri(path(t, "blobs", d.digest()))).GET());
        URI at = r.uri();
        for (int i = 0; isRedirect(r.statusCode()); i++) {
            RegistryHttp.discard(r);
            if (i >= MAX_REDIRECTS) {
                throw new JpodException(ErrorCode.REGISTRY_UNREACHABLE, "registry " + t.ref().registry()
                        + ": too many redirects for blob " + d.digest());
            }
            String loc = r.headers().firstValue("Location").orElseThrow(() -> new JpodException(
                    ErrorCode.REGISTRY_UNREACHABLE, "registry " + t.ref().registry() + " redirected blob "
                            + d.digest() + " to nowhere"));
            URI next = at.resolve(loc);
            boolean sameHost = RegistryHttp.address(next).equals(RegistryHttp.address(at))
                    && next.getScheme().equals(at.getScheme());
            HttpRequest.Builder b = HttpRequest.newBuilder(next).GET();
            HttpClient c;
            if (sameHost) {
                RegistryHttp.Endpoint ep = http.endpoint(t.ref().registry(), t.insecure());
                c = ep.client();
                r.request().headers().firstValue("Authorization").ifPresent(h -> b.header("Authorization", h));
            } else {
                String host = next.getHost() + (next.getPort() < 0 ? "" : ":" + next.getPort());
                c = http.client(host, !RegistriesConf.isLoopback(host));
            }
            r = http.send(c, t.ref().registry(), b);
            at = next;
        }
        if (r.statusCode() != 200) {
            throw status(t, r, "blob " + d.digest(), null);
        }
        return new VerifyingInputStream(r.body(), d.digest(), d.size(), t.ref().name());
    }

    private static boolean isRedirect(int s) {
        return s == 301 || s == 302 || s == 303 || s == 307 || s == 308;
    }

    /** {@code HEAD} of a blob: whether the repository has it. */
    public boolean hasBlob(Target t, String digest, String actions) {
        HttpResponse<InputStream> r = exchange(t, actions, ep -> HttpRequest.newBuilder(
                ep.uri(path(t, "blobs", digest))).method("HEAD", HttpRequest.BodyPublishers.noBody()));
        if (r.statusCode() == 200 || isRedirect(r.statusCode()) || r.statusCode() == 404) {
            RegistryHttp.discard(r);
            return r.statusCode() != 404;
        }
        throw status(t, r, "blob " + digest, null);
    }

    /**
     * {@code POST /blobs/uploads/?mount=&from=}: true when the registry mounted the blob (201); false when it opened
     * an upload instead (202), which is cancelled here so that the caller uploads the blob as usual.
     */
    public boolean mountBlob(Target t, String digest, String from) {
        HttpResponse<InputStream> r = exchange(t, "pull,push", ep -> HttpRequest.newBuilder(
                ep.uri("v2/" + t.ref().repository() + "/blobs/uploads/?mount="
                        + URLEncoder.encode(digest, StandardCharsets.UTF_8) + "&from="
                        + URLEncoder.encode(from, StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.noBody()));
        RegistryHttp.discard(r);
        if (r.statusCode() == 201) {
            return true;
        }
        if (r.statusCode() != 202) {
            throw status(t, r, "mount of blob " + digest + " from " + from, null);
        }
        r.headers().firstValue("Location").ifPresent(loc -> {
            URI upload = r.uri().resolve(loc);
            HttpRequest.Builder b = HttpRequest.newBuilder(upload).DELETE();
            r.request().headers().firstValue("Authorization").ifPresent(h -> b.header("Authorization", h));
            try {
                RegistryHttp.discard(http.send(http.endpoint(t.ref().registry(), t.insecure()), b));
            } catch (JpodException e) {
                // an upload left open expires at the registry
            }
        });
        return false;
    }

    /** Uploads a blob: {@code POST /blobs/uploads/}, then one {@code PUT} of the content with its digest. */
    public void putBlob(Target t, Descriptor d, InputStream content) {
        HttpResponse<InputStream> r = exchange(t, "pull,push", ep -> HttpRequest.newBuilder(
                ep.uri("v2/" + t.ref().repository() + "/blobs/uploads/"))
                .POST(HttpRequest.BodyPublishers.noBody()));
        if (r.statusCode() != 201 && r.statusCode() != 202) {
            throw status(t, r, "upload of blob " + d.digest(), null);
        }
        RegistryHttp.discard(r);
        if (r.statusCode() == 201) {
            return; // mounted or already there
        }
        String loc = r.headers().firstValue("Location").orElseThrow(() -> new JpodException(
                ErrorCode.REGISTRY_UNREACHABLE, "registry " + t.ref().registry() + " gave no upload location"));
        URI upload = r.uri().resolve(loc);
        URI put = URI.create(upload + (upload.getRawQuery() == null ? "?" : "&") + "digest="
                + URLEncoder.encode(d.digest(), StandardCharsets.UTF_8));
        String header = r.request().headers().firstValue("Authorization").orElse(null);
        VerifyingInputStream body = new VerifyingInputStream(content, d.digest(), d.size(), "the pushed blob");
        HttpRequest.Builder b = HttpRequest.newBuilder(put).header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> body),
                        d.size()));
        if (header != null && RegistryHttp.address(put).equals(RegistryHttp.address(r.uri()))) {
            b.header("Authorization", header);
        }
        RegistryHttp.Endpoint ep = http.endpoint(t.ref().registry(), t.insecure());
        HttpResponse<InputStream> done = http.send(ep.client(), ep.registry(), b);
        if (done.statusCode() != 201 && done.statusCode() != 204) {
            throw status(t, done, "upload of blob " + d.digest(), null);
        }
        RegistryHttp.discard(done);
    }

    /** {@code PUT} of a manifest under {@code tagOrDigest}; the digest the registry gives it. */
    public String putManifest(Target t, String tagOrDigest, String mediaType, byte[] manifest) {
        HttpResponse<InputStream> r = exchange(t, "pull,push", ep -> HttpRequest.newBuilder(
                ep.uri(path(t, "manifests", tagOrDigest))).header("Content-Type", mediaType)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(manifest)));
        if (r.statusCode() != 201 && r.statusCode() != 200 && r.statusCode() != 202) {
            throw status(t, r, "manifest " + tagOrDigest, null);
        }
        RegistryHttp.discard(r);
        String local = Digests.sha256(manifest);
        return r.headers().firstValue("Docker-Content-Digest").orElse(local);
    }

    /**
     * Checks {@code creds} against {@code registry}: {@code GET /v2/} with them (Basic, or a token got with them).
     * UNAUTHORIZED when they are refused.
     */
    public void login(String registry, boolean insecure, RegistryAuth creds) {
        RegistryHttp.Endpoint ep = http.endpoint(registry, insecure);
        ping(ep);
        String header = auth.authorization(registry, insecure, null, creds, true);
        if (header == null) {
            return; // the registry wants no credentials: podman says "Login Succeeded" all the same
        }
        HttpResponse<InputStream> r = http.send(ep, HttpRequest.newBuilder(ep.uri("v2/")).GET()
                .header("Authorization", header));
        RegistryHttp.discard(r);
        if (r.statusCode() == 401 || r.statusCode() == 403) {
            throw new JpodException(ErrorCode.UNAUTHORIZED, "unauthorized: registry " + registry + " refused the"
                    + " credentials of user " + creds.username() + "; check them and run jpod login " + registry
                    + " again");
        }
        if (r.statusCode() != 200) {
            throw status(new Target(new ImageReference(registry, "", null, null), insecure, creds), r, "/v2/", null);
        }
    }

    /** The exception for an answer that is not what the call wanted. */
    static JpodException status(Target t, HttpResponse<InputStream> r, String what, String tagOrDigest) {
        String errors = errors(r);
        int s = r.statusCode();
        String reg = t.ref().registry();
        String name = t.ref().name();
        if (s == 401 || s == 403) {
            String who = t.creds() == null ? "" : " (the credentials of "
                    + (t.creds().username() == null ? "an identity token" : "user " + t.creds().username())
                    + " were refused)";
            return new JpodException(ErrorCode.UNAUTHORIZED, (s == 401 ? "unauthorized: authentication required"
                    : "denied: requested access to the resource is denied") + " for " + what + " of " + name + who
                    + errors + "; run jpod login " + reg);
        }
        if (s == 404) {
            String shown = tagOrDigest == null ? name : name + (tagOrDigest.contains(":") ? "@" : ":") + tagOrDigest;
            return new JpodException(ErrorCode.NO_SUCH_IMAGE, what + " not found: " + shown + " in registry " + reg
                    + errors);
        }
        if (s == 429 || s >= 500) {
            return new JpodException(ErrorCode.REGISTRY_UNREACHABLE, "registry " + reg + " answered " + s + " to "
                    + what + " of " + name + errors);
        }
        return new JpodException(ErrorCode.INVALID_ARG, "registry " + reg + " answered " + s + " to " + what + " of "
                + name + errors);
    }

    /** The registry's {@code {"errors":[{"code","message"}]}}, as {@code " (CODE: message)"}; else empty. */
    private static String errors(HttpResponse<InputStream> r) {
        try {
            byte[] b = RegistryHttp.readLimited(r, 1 << 16, "an error");
            if (b.length == 0) {
                return "";
            }
            JsonNode n = JSON.readTree(b);
            List<String> parts = new ArrayList<>();
            for (JsonNode e : n.path("errors")) {
                parts.add(e.path("code").asText("") + ": " + e.path("message").asText(""));
            }
            return parts.isEmpty() ? "" : " (" + String.join("; ", parts) + ")";
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }
}
