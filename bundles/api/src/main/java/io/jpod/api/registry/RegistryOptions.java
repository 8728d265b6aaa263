package io.jpod.api.registry;

/**
 * How one call talks to registries.
 *
 * @param auth      credentials given with the call (docker's X-Registry-Auth, {@code --creds}); null to use the
 *                  stored logins (auth.json, Docker's config.json)
 * @param tlsVerify false to skip TLS verification and allow plain HTTP for this call ({@code --tls-verify=false});
 *                  null for what registries.conf (and the loopback rule) says
 * @param authFile  the auth file to read and write instead of the default, or null
 */
public record RegistryOptions(RegistryAuth auth, Boolean tlsVerify, String authFile) {

    public static RegistryOptions defaults() {
        return new RegistryOptions(null, null, null);
    }
}
