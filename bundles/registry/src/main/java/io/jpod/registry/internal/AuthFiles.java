package io.jpod.registry.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;
import io.jpod.api.registry.RegistryAuth;
import io.jpod.util.internal.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Stored logins, as podman keeps them: its {@code auth.json} ({@code {"auths": {"<registry>[/<repo>]": {"auth":
 * base64(user:password)}}}}) at {@code REGISTRY_AUTH_FILE}, else {@code /run/containers/0/auth.json} for root and
 * {@code ${XDG_RUNTIME_DIR}/containers/auth.json} for others; read also from {@code ~/.config/containers/auth.json}
 * and Docker's {@code config.json} ({@code $DOCKER_CONFIG} or {@code ~/.docker}), whose keys may be URLs
 * ({@code https://index.docker.io/v1/}). A file given with the call is the only one read and written. Written
 * with mode 0600, atomically. Credential helpers ({@code credsStore}, {@code credHelpers}) are not run.
 */
public final class AuthFiles {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Map<String, String> env;
    private final boolean root;

    /**
     * @param env  the environment to read REGISTRY_AUTH_FILE, XDG_RUNTIME_DIR, HOME, DOCKER_CONFIG from
     * @param root whether the process runs as root (then podman's root path is the default)
     */
    public AuthFiles(Map<String, String> env, boolean root) {
        this.env = Map.copyOf(env);
        this.root = root;
    }

    /** The file a login is written to. */
    public Path writePath(String explicit) {
        if (explicit != null && !explicit.isEmpty()) {
            return Path.of(explicit);
        }
        String e = env.get("REGISTRY_AUTH_FILE");
        if (e != null && !e.isEmpty()) {
            return Path.of(e);
        }
        String xdg = env.get("XDG_RUNTIME_DIR");
        if (root || xdg == null || xdg.isEmpty()) {
            return Path.of("/run/containers/0/auth.json");
        }
        return Path.of(xdg, "containers", "auth.json");
    }

    /** The files read, in order; the first that has a login for a registry wins. */
    public List<Path> readPaths(String explicit) {
        List<Path> out = new ArrayList<>();
        if (explicit != null && !explicit.isEmpty() || env.get("REGISTRY_AUTH_FILE") != null
                && !env.get("REGISTRY_AUTH_FILE").isEmpty()) {
            out.add(writePath(explicit));
            return out;
        }
        out.add(writePath(null));
        String home = env.getOrDefault("HOME", System.getProperty("user.home"));
        String xdgConfig = env.get("XDG_CONFIG_HOME");
        if (xdgConfig != null && !xdgConfig.isEmpty()) {
            out.add(Path.of(xdgConfig, "containers", "auth.json"));
        } else if (home != null) {
            out.add(Path.of(home, ".config", "containers", "auth.json"));
        }
        String dockerConfig = env.get("DOCKER_CONFIG");
        if (dockerConfig != null && !dockerConfig.isEmpty()) {
            out.add(Path.of(dockerConfig, "config.json"));
        } else if (home != null) {
            out.add(Path.of(home, ".docker", "config.json"));
        }
        return out;
    }

    /**
     * The stored login for {@code registry/repository}: the most specific key ({@code host/ns/repo}, then
     * {@code host/ns}, then {@code host}) of the first file that has one; null when none.
     */
    public RegistryAuth lookup(String registry, String repository, String explicit) {
        for (Path f : readPaths(explicit)) {
            JsonNode auths = read(f).path("auths");
            if (!auths.isObject()) {
                continue;
            }
            List<String> keys = new ArrayList<>();
            if (repository != null) {
                String r = registry + "/" + repository;
                while (r.contains("/")) {
                    keys.add(r);
                    r = r.substring(0, r.lastIndexOf('/'));
                }
            }
            keys.add(registry);
            for (String k : keys) {
                for (Iterator<Map.Entry<String, JsonNode>> it = auths.fields(); it.hasNext();) {
                    Map.Entry<String, JsonNode> e = it.next();
                    if (normaliseKey(e.getKey()).equals(k)) {
                        RegistryAuth a = decode(f, e.getKey(), e.getValue());
                        if (a != null) {
                            return a;
                        }
                    }
                }
            }
        }
        return null;
    }

    /** Writes {@code registry}'s login to the auth file, keeping what else it holds. */
    public Path store(String registry, RegistryAuth auth, String explicit) {
        Path f = writePath(explicit);
        ObjectNode root = read(f) instanceof ObjectNode o ? o : JSON.createObjectNode();
        ObjectNode auths = root.has("auths") && root.get("auths").isObject() ? (ObjectNode) root.get("auths")
                : root.putObject("auths");
        ObjectNode entry = JSON.createObjectNode();
        if (auth.username() != null && auth.password() != null) {
            entry.put("auth", Base64.getEncoder().encodeToString((auth.username() + ":" + auth.password())
                    .getBytes(StandardCharsets.UTF_8)));
        }
        if (auth.identityToken() != null) {
            entry.put("identitytoken", auth.identityToken());
        }
        auths.set(registry, entry);
        write(f, root);
        return f;
    }

    /** Removes {@code registry}'s login from the auth file; false when it had none. */
    public boolean remove(String registry, String explicit) {
        Path f = writePath(explicit);
        if (!(read(f) instanceof ObjectNode root) || !(root.get("auths") instanceof ObjectNode auths)) {
            return false;
        }
        boolean removed = false;
        for (Iterator<Map.Entry<String, JsonNode>> it = auths.fields(); it.hasNext();) {
            if (normaliseKey(it.next().getKey()).equals(registry)) {
                it.remove();
                removed = true;
            }
        }
        if (removed) {
            write(f, root);
        }
        return removed;
    }

    /** {@code https://index.docker.io/v1/} is {@code docker.io}; {@code http://host:5000} is {@code host:5000}. */
    static String normaliseKey(String key) {
        String k = key;
        String path = "";
        if (k.startsWith("https://") || k.startsWith("http://")) {
            k = k.substring(k.indexOf("//") + 2);
            int slash = k.indexOf('/');
            k = slash < 0 ? k : k.substring(0, slash); // a URL's path is Docker's /v1/, not a repository
        } else {
            int slash = k.indexOf('/');
            if (slash >= 0) {
                path = k.substring(slash);
                k = k.substring(0, slash);
            }
        }
        return ReferenceParser.normaliseRegistry(k) + path;
    }

    private static RegistryAuth decode(Path f, String key, JsonNode e) {
        String identity = e.path("identitytoken").asText("");
        String b64 = e.path("auth").asText("");
        if (b64.isEmpty()) {
            return identity.isEmpty() ? null : new RegistryAuth(null, null, identity);
        }
        String plain;
        try {
            plain = new String(Base64.getDecoder().decode(b64.trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException ex) {
            throw new JpodException(ErrorCode.CONFIG_INVALID, "auth file " + f + ": the \"auth\" of " + key
                    + " is not base64");
        }
        int colon = plain.indexOf(':');
        if (colon < 0) {
            throw new JpodException(ErrorCode.CONFIG_INVALID, "auth file " + f + ": the \"auth\" of " + key
                    + " is not user:password");
        }
        return new RegistryAuth(plain.substring(0, colon), plain.substring(colon + 1),
                identity.isEmpty() ? null : identity);
    }

    private static JsonNode read(Path f) {
        if (!Files.isRegularFile(f)) {
            return JSON.createObjectNode();
        }
        try {
            byte[] b = Files.readAllBytes(f);
            if (b.length == 0) {
                return JSON.createObjectNode();
            }
            return JSON.readTree(b);
        } catch (IOException e) {
            // the message of a parse error could quote the file: name the file only
            throw new JpodException(ErrorCode.CONFIG_INVALID, "auth file " + f + " cannot be read as JSON");
        }
    }

    private static void write(Path f, JsonNode root) {
        try {
            AtomicFiles.write(f, JSON.writeValueAsBytes(root), AtomicFiles.OWNER_ONLY);
        } catch (IOException e) {
            throw new JpodException(ErrorCode.INTERNAL, "cannot write the auth file " + f + ": " + e.getMessage(), e);
        }
    }
}
