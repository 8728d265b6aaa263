package io.jpod.rest.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jpod.api.registry.Platform;
import io.jpod.api.registry.RegistryAuth;
import io.jpod.api.registry.RegistryOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;

/**
 * What a pull or push request says of registries: docker's and podman's {@code X-Registry-Auth} header
 * (base64url JSON: one login, {@code {"username","password","serveraddress","identitytoken","auth"}}, or
 * podman's map of registry → login), {@code tlsVerify}, and the platform. The secrets go into the
 * {@link RegistryAuth}, whose toString hides them, and nowhere else: never into an error or a log.
 */
final class RegistryAuths {
    static final String HEADER = "X-Registry-Auth";

    private RegistryAuths() {
    }

    /** The options of a pull or push to {@code registry} (null: whichever the header names first). */
    static RegistryOptions options(Exchange x, String registry) {
        Boolean tls = x.query("tlsVerify") == null || x.query("tlsVerify").isEmpty() ? null
                : x.bool("tlsVerify", true);
        return new RegistryOptions(auth(x.header(HEADER), registry, x.json), tls, null);
    }

    /** The login the header gives for {@code registry}, or null (no header, an empty one, {@code {}}). */
    static RegistryAuth auth(String header, String registry, ObjectMapper json) {
        if (header == null || header.isBlank()) {
            return null;
        }
        JsonNode n;
        try {
            n = json.readTree(decode(header.strip()));
        } catch (IOException | IllegalArgumentException e) {
            throw ApiException.badRequest("the " + HEADER + " header is not base64-encoded JSON");
        }
        if (n == null || !n.isObject() || n.isEmpty()) {
            return null;
        }
        if (isLogin(n)) {
            return login(n);
        }
        // podman's map of registry → login
        JsonNode first = null;
        for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isObject()) {
                continue;
            }
            if (first == null) {
                first = e.getValue();
            }
            if (registry != null && host(e.getKey()).equals(registry)) {
                return login(e.getValue());
            }
        }
        return registry == null && first != null ? login(first) : null;
    }

    private static boolean isLogin(JsonNode n) {
        for (String k : new String[] {"username", "password", "identitytoken", "auth", "serveraddress"}) {
            for (Iterator<String> it = n.fieldNames(); it.hasNext();) {
                if (it.next().toLowerCase(Locale.ROOT).equals(k)) {
                    return true;
                }
            }
        }
        return false;
    }

    static RegistryAuth login(JsonNode n) {
        String user = text(n, "username");
        String pass = text(n, "password");
        String token = text(n, "identitytoken");
        String auth = text(n, "auth");
        if ((user == null || user.isEmpty()) && auth != null && !auth.isEmpty()) {
            String up = new String(Base64.getDecoder().decode(auth.strip()), StandardCharsets.UTF_8);
            int colon = up.indexOf(':');
            if (colon > 0) {
                user = up.substring(0, colon);
                pass = up.substring(colon + 1);
            }
        }
        if ((user == null || user.isEmpty()) && (token == null || token.isEmpty())) {
            return null;
        }
        return new RegistryAuth(user, pass, token == null || token.isEmpty() ? null : token);
    }

    /**
     * A field in any case that is text when given: null when absent or null, a 400 naming it when it is a number,
     * a list or an object (which {@link #text} would take as absent, and a default would stand in for it).
     */
    static String textIfGiven(JsonNode n, String name) {
        for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equalsIgnoreCase(name) && !e.getValue().isTextual() && !e.getValue().isNull()) {
                throw ApiException.badRequest(name + " must be a string, not " + e.getValue().getNodeType()
                        .toString().toLowerCase(Locale.ROOT));
            }
        }
        return text(n, name);
    }

    /** A field in any case (docker sends lower case, some clients Go's field names). */
    static String text(JsonNode n, String name) {
        for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equalsIgnoreCase(name) && e.getValue().isTextual()) {
                return e.getValue().asText();
            }
        }
        return null;
    }

    private static byte[] decode(String s) {
        String t = s.replace('+', '-').replace('/', '_');
        return Base64.getUrlDecoder().decode(t.endsWith("=") ? t : t + "=".repeat((4 - t.length() % 4) % 4));
    }

    /** A server address as docker's login gives it ({@code https://host/v1/}) reduced to its host[:port]. */
    static String host(String address) {
        String a = address.strip();
        int scheme = a.indexOf("://");
        if (scheme >= 0) {
            a = a.substring(scheme + 3);
        }
        int slash = a.indexOf('/');
        if (slash >= 0) {
            a = a.substring(0, slash);
        }
        if (a.equals("index.docker.io") || a.equals("registry-1.docker.io")) {
            return "docker.io";
        }
        return a;
    }

    /**
     * The platform a request asks for: docker's and podman's {@code platform=os/arch[/variant]}, or podman 4's
     * {@code os}, {@code arch}, {@code variant}; null for the host's.
     */
    static Platform platform(Exchange x, Platform host) {
        String p = x.query("platform");
        if (p != null && !p.isBlank()) {
            String[] parts = p.strip().split("/");
            if (parts.length < 2 || parts.length > 3 || parts[0].isEmpty() || parts[1].isEmpty()) {
                throw ApiException.badRequest("invalid platform " + p + ": give os/arch[/variant], e.g. linux/amd64");
            }
            return new Platform(parts[0], parts[1], parts.length == 3 ? parts[2] : null);
        }
        String os = x.query("OS") != null ? x.query("OS") : x.query("os");
        String arch = x.query("Arch") != null ? x.query("Arch") : x.query("arch");
        String variant = x.query("Variant") != null ? x.query("Variant") : x.query("variant");
        if (empty(os) && empty(arch) && empty(variant)) {
            return null;
        }
        return new Platform(empty(os) ? host.os() : os, empty(arch) ? host.architecture() : arch,
                empty(variant) ? null : variant);
    }

    private static boolean empty(String s) {
        return s == null || s.isBlank();
    }
}
