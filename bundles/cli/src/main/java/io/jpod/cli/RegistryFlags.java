package io.jpod.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.http.HttpMethod;
import picocli.CommandLine.Option;

/**
 * The registry flags of pull, push and run/create ({@code --creds}, {@code --authfile}, {@code --tls-verify}),
 * sent to the service as podman-remote sends them: the credentials (or the auth file's logins) in the
 * {@code X-Registry-Auth} header, never in the URL; and the reading of libpod's pull and push streams.
 */
final class RegistryFlags {
    @Option(names = "--creds", paramLabel = "USERNAME[:PASSWORD]", description = "Use USERNAME[:PASSWORD] for accessing the registry")
    String creds;
    @Option(names = "--authfile", description = "Path of the authentication file (default ${XDG_RUNTIME_DIR}/containers/auth.json)")
    Path authfile;
    @Option(names = "--tls-verify", arity = "0..1", fallbackValue = "true", description = "Require HTTPS and verify certificates when contacting registries (default true)")
    Boolean tlsVerify;

    /** The query's tlsVerify when given. */
    void query(Map<String, Object> q) {
        if (tlsVerify != null) {
            q.put("tlsVerify", tlsVerify);
        }
    }

    /** Adds the X-Registry-Auth header when credentials or an auth file are given. */
    void headers(Request req) throws IOException {
        ObjectNode auth = null;
        if (creds != null && !creds.isEmpty()) {
            auth = Api.JSON.createObjectNode();
            int colon = creds.indexOf(':');
            String user = colon < 0 ? creds : creds.substring(0, colon);
            String pass;
            if (colon < 0) {
                java.io.Console c = System.console();
                if (c == null) {
                    throw new IllegalArgumentException("--creds " + user + " has no password, and there is no terminal"
                            + " to ask for one: give --creds USERNAME:PASSWORD");
                }
                char[] pw = c.readPassword("Password: ");
                pass = pw == null ? "" : new String(pw);
            } else {
                pass = creds.substring(colon + 1);
            }
            if (user.isEmpty()) {
                throw new IllegalArgumentException("--creds: the username cannot be empty");
            }
            auth.put("username", user);
            auth.put("password", pass);
        } else if (authfile != null) {
            if (!Files.isReadable(authfile)) {
                throw new IllegalArgumentException("credential file is not accessible: stat " + authfile
                        + ": no such file or directory");
            }
            JsonNode f = Api.JSON.readTree(authfile.toFile());
            auth = Api.JSON.createObjectNode();
            for (Iterator<Map.Entry<String, JsonNode>> it = f.path("auths").fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                auth.set(e.getKey(), e.getValue());
            }
        }
        if (auth != null && !auth.isEmpty()) {
            String value = header(auth);
            req.headers(h -> h.put("X-Registry-Auth", value));
        }
    }

    static String header(JsonNode auth) {
        try {
            return Base64.getUrlEncoder().encodeToString(Api.JSON.writeValueAsBytes(auth));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Pulls through {@code POST /libpod/images/pull}: its {@code stream} lines to {@code progress} (null: quiet),
     * an {@code error} line thrown as podman shows it; returns the image ID.
     */
    static String pull(Api api, String reference, String policy, Map<String, Object> more, RegistryFlags flags,
            PrintStream progress) throws IOException {
        Map<String, Object> q = new LinkedHashMap<>();
        q.put("reference", reference);
        q.put("policy", policy);
        if (progress == null) {
            q.put("quiet", true);
        }
        if (more != null) {
            q.putAll(more);
        }
        if (flags != null) {
            flags.query(q);
        }
        Request req = api.request(HttpMethod.POST, "images/pull", q);
        if (flags != null) {
            flags.headers(req);
        }
        String id = followStream(api, req, progress, "id");
        if (id == null) {
            throw new ApiException(500, "the service's pull of " + reference + " ended without an image");
        }
        return id;
    }

    /** Pushes through {@code POST /libpod/images/{name}/push}; returns the manifest's digest. */
    static String push(Api api, String source, String destination, RegistryFlags flags, PrintStream progress)
            throws IOException {
        Map<String, Object> q = new LinkedHashMap<>();
        if (destination != null) {
            q.put("destination", destination);
        }
        // jpod's service answers the digest when asked (podman 4's clients would not understand the line)
        q.put("manifestdigest", true);
        if (progress == null) {
            q.put("quiet", true);
        }
        flags.query(q);
        Request req = api.request(HttpMethod.POST, "images/" + Api.seg(source) + "/push", q);
        flags.headers(req);
        String digest = followStream(api, req, progress, "manifestdigest");
        if (digest == null) {
            throw new ApiException(500, "the service's push of " + source + " ended without a digest");
        }
        return digest;
    }

    /**
     * Reads libpod's pull or push stream to its end: its {@code stream} lines to {@code progress}, an
     * {@code error} line as the failure; returns the last value of {@code field}, or null.
     */
    private static String followStream(Api api, Request req, PrintStream progress, String field) throws IOException {
        String value = null;
        try (InputStream in = api.stream(req);
                BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null;) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode n = Api.JSON.readTree(line);
                if (n.hasNonNull("error")) {
                    throw new ApiException(500, n.get("error").asText());
                }
                if (n.hasNonNull("stream") && progress != null) {
                    progress.print(n.get("stream").asText());
                    progress.flush();
                }
                if (n.hasNonNull(field)) {
                    value = n.get(field).asText();
                }
            }
        }
        return value;
    }
}
