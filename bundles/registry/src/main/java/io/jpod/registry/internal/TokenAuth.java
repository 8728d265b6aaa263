package io.jpod.registry.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;
import io.jpod.api.registry.RegistryAuth;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A registry's authentication, as its {@code WWW-Authenticate} challenge asks: Basic (the credentials on every
 * request), or Bearer (the distribution token flow: a token from {@code realm} for {@code service} and the scope
 * the request needs, anonymous or with Basic credentials, or an identity token as a refresh token; the answer's
 * {@code token} or {@code access_token}, cached per registry, scope and credentials until it expires). Nothing
 * here logs or puts in a message a credential or a token.
 */
public final class TokenAuth {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The distribution spec: a token without {@code expires_in} lasts 60 s. */
    private static final long DEFAULT_EXPIRY = 60;

    /** A parsed {@code WWW-Authenticate} value. */
    public record Challenge(String scheme, Map<String, String> params) {
        public Challenge {
            scheme = scheme.toLowerCase(Locale.ROOT);
            params = Map.copyOf(params);
        }
    }

    private record Token(String value, Instant expires) {
        @Override
        public String toString() {
            return "Token[expires=" + expires + "]";
        }
    }

    private final RegistryHttp http;
    private final Clock clock;
    private final Map<String, Challenge> challenges = new ConcurrentHashMap<>();
    private final Map<String, Token> tokens = new ConcurrentHashMap<>();

    public TokenAuth(RegistryHttp http, Clock clock) {
        this.http = http;
        this.clock = clock;
    }

    /** Parses the challenges of {@code WWW-Authenticate} header values (RFC 7235, as registries send them). */
    public static List<Challenge> parse(List<String> values) {
        List<Challenge> out = new ArrayList<>();
        for (String v : values) {
            int i = 0;
            int n = v.length();
            while (i < n) {
                while (i < n && (v.charAt(i) == ' ' || v.charAt(i) == ',')) {
                    i++;
                }
                int s = i;
                while (i < n && v.charAt(i) != ' ' && v.charAt(i) != ',') {
                    i++;
                }
                if (s == i) {
                    break;
                }
                String scheme = v.substring(s, i);
                Map<String, String> params = new LinkedHashMap<>();
                while (i < n) {
                    while (i < n && (v.charAt(i) == ' ' || v.charAt(i) == ',')) {
                        i++;
                    }
                    int k = i;
                    while (i < n && v.charAt(i) != '=' && v.charAt(i) != ' ' && v.charAt(i) != ',') {
                        i++;
                    }
                    if (i >= n || v.charAt(i) != '=') {
                        i = k; // the next challenge's scheme
                        break;
                    }
                    String key = v.substring(k, i).toLowerCase(Locale.ROOT);
                    i++;
                    StringBuilder val = new StringBuilder();
                    if (i < n && v.charAt(i) == '"') {
                        i++;
                        while (i < n && v.charAt(i) != '"') {
                            if (v.charAt(i) == '\\' && i + 1 < n) {
                                i++;
                            }
                            val.append(v.charAt(i++));
                        }
                        i++;
                    } else {
                        while (i < n && v.charAt(i) != ',' && v.charAt(i) != ' ') {
                            val.append(v.charAt(i++));
                        }
                    }
                    params.put(key, val.toString());
                }
                out.add(new Challenge(scheme, params));
            }
        }
        return out;
    }

    /** Remembers the challenge a registry answered with ({@code GET /v2/} or any 401). */
    void challenged(String registry, HttpResponse<?> r) {
        List<Challenge> cs = parse(r.headers().allValues("WWW-Authenticate"));
        Challenge pick = cs.stream().filter(c -> c.scheme().equals("bearer")).findFirst()
                .orElse(cs.stream().filter(c -> c.scheme().equals("basic")).findFirst().orElse(null));
        if (pick != null) {
            challenges.put(registry, pick);
        }
    }

    /** Whether the registry's challenge is known (else the caller asks {@code GET /v2/} first). */
    boolean knows(String registry) {
        return challenges.containsKey(registry);
    }

    /** The registry answered {@code GET /v2/} with 200: it wants no credentials. */
    void open(String registry) {
        challenges.put(registry, new Challenge("none", Map.of()));
    }

    /**
     * The {@code Authorization} header for a request needing {@code scope} ({@code repository:<name>:pull}...), or
     * null when the registry wants none or there are no credentials for Basic.
     *
     * @param fresh true to fetch a new token even when one is cached (the registry refused the cached one)
     */
    String authorization(String registry, boolean insecure, String scope, RegistryAuth creds, boolean fresh) {
        Challenge c = challenges.get(registry);
        if (c == null || c.scheme().equals("none")) {
            return null;
        }
        if (c.scheme().equals("basic")) {
            return creds == null || creds.username() == null ? null : basic(creds);
        }
        if (!c.scheme().equals("bearer")) {
            return null;
        }
        String key = registry + "|" + scope + "|" + credsKey(creds);
        Token t = tokens.get(key);
        if (!fresh && t != null && clock.instant().isBefore(t.expires())) {
            return "Bearer " + t.value();
        }
        t = fetch(registry, insecure, c, scope, creds);
        tokens.put(key, t);
        return "Bearer " + t.value();
    }

    private Token fetch(String registry, boolean insecure, Challenge c, String scope, RegistryAuth creds) {
        String realm = c.params().get("realm");
        if (realm == null || realm.isEmpty()) {
            throw new JpodException(ErrorCode.UNAUTHORIZED, "registry " + registry
                    + " asks for a bearer token but names no realm");
        }
        StringBuilder q = new StringBuilder();
        String service = c.params().get("service");
        if (service != null) {
            q.append("service=").append(enc(service));
        }
        if (scope != null) {
            q.append(q.length() == 0 ? "" : "&").append("scope=").append(enc(scope));
        }
        URI uri;
        HttpRequest.Builder req;
        boolean identity = creds != null && creds.identityToken() != null && !creds.identityToken().isEmpty();
        try {
            if (identity) {
                uri = URI.create(realm);
                String form = q + (q.length() == 0 ? "" : "&") + "grant_type=refresh_token&client_id=jpod&refresh_token="
                        + enc(creds.identityToken());
                req = HttpRequest.newBuilder(uri).header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(form));
            } else {
                if (creds != null && creds.username() != null) {
                    q.append(q.length() == 0 ? "" : "&").append("account=").append(enc(creds.username()));
                }
                uri = URI.create(realm + (q.length() == 0 ? "" : (realm.contains("?") ? "&" : "?") + q));
                req = HttpRequest.newBuilder(uri).GET();
                if (creds != null && creds.username() != null && creds.password() != null) {
                    req.header("Authorization", basic(creds));
                }
            }
        } catch (IllegalArgumentException e) {
            throw new JpodException(ErrorCode.UNAUTHORIZED, "registry " + registry + " names a token realm that is not a"
                    + " URL: " + realm);
        }
        if (!uri.getScheme().equals("https") && !uri.getScheme().equals("http")) {
            throw new JpodException(ErrorCode.UNAUTHORIZED, "registry " + registry + ": token realm " + realm
                    + " is not http(s)");
        }
        // the realm gets the registry's TLS setting when it is on the registry's host, else its own (certs.d)
        String realmHost = uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
        boolean sameHost = realmHost.equals(registry) || RegistryHttp.address(uri).equals(registry + ":443");
        boolean verify = !(sameHost && insecure || RegistriesConf.isLoopback(realmHost));
        HttpResponse<InputStream> r = http.send(http.client(realmHost, verify), registry, req);
        byte[] body;
        try {
            body = RegistryHttp.readLimited(r, 1 << 20, "the token answer");
        } catch (IOException e) {
            throw http.unreachable(uri, e);
        }
        if (r.statusCode() == 401 || r.statusCode() == 403) {
            throw new JpodException(ErrorCode.UNAUTHORIZED, "unauthorized: the token service of registry " + registry
                    + " refused " + (creds == null || creds.username() == null && !identity ? "anonymous access"
                            : "the credentials of " + (creds.username() == null ? "the identity token"
                                    : "user " + creds.username())) + (scope == null ? "" : " for " + scope)
                    + "; run jpod login " + registry);
        }
        if (r.statusCode() != 200) {
            throw new JpodException(ErrorCode.UNAUTHORIZED, "the token service of registry " + registry
                    + " answered " + r.statusCode());
        }
        try {
            JsonNode n = JSON.readTree(body);
            String token = n.path("token").asText("");
            if (token.isEmpty()) {
                token = n.path("access_token").asText("");
            }
            if (token.isEmpty()) {
                throw new JpodException(ErrorCode.UNAUTHORIZED, "the token service of registry " + registry
                        + " answered no token");
            }
            long expires = n.path("expires_in").asLong(DEFAULT_EXPIRY);
            if (expires <= 0) {
                expires = DEFAULT_EXPIRY;
            }
            Instant issued = clock.instant();
            // a little early, so that a token is not sent in its last second
            return new Token(token, issued.plusSeconds(Math.max(1, expires - 5)));
        } catch (IOException e) {
            throw new JpodException(ErrorCode.UNAUTHORIZED, "the token service of registry " + registry
                    + " answered something that is not JSON");
        }
    }

    static String basic(RegistryAuth creds) {
        return "Basic " + Base64.getEncoder().encodeToString((creds.username() + ":"
                + (creds.password() == null ? "" : creds.password())).getBytes(StandardCharsets.UTF_8));
    }

    private static String credsKey(RegistryAuth creds) {
        if (creds == null) {
            return "anonymous";
        }
        return creds.username() + "#" + Objects.hash(creds.password(), creds.identityToken());
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
