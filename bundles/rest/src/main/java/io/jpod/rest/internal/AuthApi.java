package io.jpod.rest.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;
import io.jpod.api.registry.RegistryAuth;
import io.jpod.api.registry.RegistryOptions;
import java.io.IOException;

/**
 * Logins. Docker's {@code POST /auth} checks the credentials against the registry and stores nothing (the
 * docker CLI keeps them in its config.json). jpod's {@code POST /libpod/auth} does the same and, unless
 * {@code store=false}, writes them to the service's auth.json (podman's; {@code authfile} for another), and
 * {@code POST /libpod/auth/logout?registry=} removes them: what {@code jpod login} and {@code jpod logout} call.
 * (podman-remote's own login talks to the registry from the client and writes its own auth.json.) The body's
 * password is never in an answer, a log or an error.
 */
final class AuthApi {
    private final Services services;
    private final Shapes shapes;

    AuthApi(Services services, Shapes shapes) {
        this.services = services;
        this.shapes = shapes;
    }

    void register(Router docker, Router libpod) {
        docker.add("POST", "/auth", x -> login(x, false));
        libpod.add("POST", "/auth", x -> login(x, x.bool("store", true)));
        libpod.add("POST", "/auth/logout", this::logout);
    }

    private void login(Exchange x, boolean store) throws IOException {
        JsonNode body = x.body();
        if (!body.isObject()) {
            throw ApiException.badRequest("the body must be a JSON object with username, password and"
                    + " serveraddress");
        }
        String address = RegistryAuths.textIfGiven(body, "serveraddress");
        if (address == null || address.isBlank()) {
            // docker's default when no registry is named
            address = "docker.io";
        }
        String registry = RegistryAuths.host(address);
        RegistryAuth auth = RegistryAuths.login(body);
        if (auth == null) {
            throw ApiException.badRequest("username and password, or an identity token, are required to log in to "
                    + registry);
        }
        String authFile = x.libpod ? x.query("authfile") : null;
        Boolean tls = x.query("tlsVerify") == null || x.query("tlsVerify").isEmpty() ? null
                : x.bool("tlsVerify", true);
        try {
            services.registries().login(registry, auth, store, new RegistryOptions(null, tls,
                    authFile == null || authFile.isEmpty() ? null : authFile));
        } catch (JpodException e) {
            if (JpodException.is(e, ErrorCode.UNAUTHORIZED)) {
                // docker's words for a refused login
                throw new ApiException(401, "login attempt to " + registry + " failed with status: 401 Unauthorized"
                        + ": " + e.getMessage());
            }
            throw e;
        }
        ObjectNode o = shapes.object();
        o.put("Status", "Login Succeeded");
        o.put("IdentityToken", "");
        x.json(200, o);
    }

    private void logout(Exchange x) throws IOException {
        String registry = x.query("registry");
        if (registry == null || registry.isBlank()) {
            throw ApiException.badRequest("registry is required: name the registry to log out of");
        }
        String authFile = x.query("authfile");
        String host = RegistryAuths.host(registry);
        boolean had = services.registries().logout(host, new RegistryOptions(null, null,
                authFile == null || authFile.isEmpty() ? null : authFile));
        if (!had) {
            throw ApiException.notFound("not logged into " + host);
        }
        ObjectNode o = shapes.object();
        o.put("Status", "Removed login credentials for " + host);
        x.json(200, o);
    }
}
