package io.jpod.api.registry;

/**
 * Credentials for one registry: a user name and password, or an identity token. {@link #toString()} never
 * shows the secret, so that it cannot reach a log, an event or an error by accident.
 */
public record RegistryAuth(String username, String password, String identityToken) {

    @Override
    public String toString() {
        return "RegistryAuth[username=" + username + ", secret=" + (password != null || identityToken != null
                ? "(given)" : "(none)") + "]";
    }
}
