package io.jpod.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * login and logout. Both go through the service ({@code POST /libpod/auth}, {@code POST /libpod/auth/logout}):
 * the service checks the credentials against the registry and keeps them in its auth.json (podman's,
 * {@code /run/containers/0/auth.json} for root, or {@code --authfile}), which is what its pulls and pushes read.
 */
final class LoginCommands {
    private LoginCommands() {
    }

    @Command(name = "login", description = "Log in to a container registry")
    static final class Login extends Base {
        @Option(names = {"-u", "--username"}, description = "Username for registry")
        String username;
        @Option(names = {"-p", "--password"}, description = "Password for registry")
        String password;
        @Option(names = "--password-stdin", description = "Take the password from stdin")
        boolean passwordStdin;
        @Option(names = "--authfile", description = "Path of the authentication file")
        Path authfile;
        @Option(names = "--tls-verify", arity = "0..1", fallbackValue = "true", description = "Require HTTPS and verify certificates when contacting registries (default true)")
        Boolean tlsVerify;
        @Option(names = "--get-login", description = "Return the current login user for the registry")
        boolean getLogin;
        @Parameters(arity = "1", paramLabel = "REGISTRY")
        String registry;

        @Override
        int run() throws IOException {
            if (getLogin) {
                throw new IllegalArgumentException("--get-login is not supported by jpod yet");
            }
            if (password != null && passwordStdin) {
                throw new IllegalArgumentException("--password and --password-stdin are mutually exclusive");
            }
            Console c = System.console();
            if (username == null || username.isEmpty()) {
                if (c == null || passwordStdin) {
                    throw new IllegalArgumentException("username is required: give -u USERNAME");
                }
                username = c.readLine("Username: ");
            }
            if (passwordStdin) {
                BufferedReader r = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
                String line = r.readLine();
                password = line == null ? "" : line.strip();
            } else if (password == null) {
                if (c == null) {
                    throw new IllegalArgumentException("password is required: give -p PASSWORD or --password-stdin");
                }
                char[] pw = c.readPassword("Password: ");
                password = pw == null ? "" : new String(pw);
            }
            if (username == null || username.isEmpty() || password.isEmpty()) {
                throw new IllegalArgumentException("username and password are required");
            }
            ObjectNode body = Api.JSON.createObjectNode();
            body.put("username", username);
            body.put("password", password);
            body.put("serveraddress", registry);
            Map<String, Object> q = new LinkedHashMap<>();
            if (authfile != null) {
                q.put("authfile", authfile.toAbsolutePath().toString());
            }
            if (tlsVerify != null) {
                q.put("tlsVerify", tlsVerify);
            }
            api().post("auth", q, body);
            out.println("Login Succeeded!");
            return 0;
        }
    }

    @Command(name = "logout", description = "Log out of a container registry")
    static final class Logout extends Base {
        @Option(names = {"-a", "--all"}, description = "Remove the cached credentials for all registries in the auth file")
        boolean all;
        @Option(names = "--authfile", description = "Path of the authentication file")
        Path authfile;
        @Parameters(arity = "0..1", paramLabel = "REGISTRY")
        String registry;

        @Override
        int run() throws IOException {
            if (all) {
                if (registry != null) {
                    throw new IllegalArgumentException("--all takes no registry");
                }
                Path f = authfile != null ? authfile : defaultAuthFile();
                if (Files.exists(f)) {
                    JsonNode n = Api.JSON.readTree(f.toFile());
                    if (n.isObject()) {
                        ((ObjectNode) n).putObject("auths");
                        Files.write(f, Api.JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(n));
                    }
                }
                out.println("Removed login credentials for all registries");
                return 0;
            }
            if (registry == null || registry.isEmpty()) {
                throw new IllegalArgumentException("please provide a registry to logout from");
            }
            Map<String, Object> q = new LinkedHashMap<>();
            q.put("registry", registry);
            if (authfile != null) {
                q.put("authfile", authfile.toAbsolutePath().toString());
            }
            try {
                api().post("auth/logout", q, null);
            } catch (ApiException e) {
                if (e.status == 404) {
                    throw new IllegalArgumentException("not logged into " + registry);
                }
                throw e;
            }
            out.println("Removed login credentials for " + registry);
            return 0;
        }
    }

    /** podman's: $REGISTRY_AUTH_FILE, ${XDG_RUNTIME_DIR}/containers/auth.json, /run/containers/<uid>/auth.json. */
    static Path defaultAuthFile() {
        String env = System.getenv("REGISTRY_AUTH_FILE");
        if (env != null && !env.isEmpty()) {
            return Path.of(env);
        }
        String xdg = System.getenv("XDG_RUNTIME_DIR");
        if (xdg != null && !xdg.isEmpty()) {
            return Path.of(xdg, "containers", "auth.json");
        }
        return Path.of("/run/containers/0/auth.json");
    }
}
