package io.jpod.api;

import io.jpod.api.registry.Platform;
import io.jpod.api.registry.RegistryOptions;

/**
 * How one pull goes.
 *
 * @param policy   when to ask the registry; null for {@link PullPolicy#MISSING}
 * @param platform the platform wanted from a manifest list or index; null for the host's
 * @param registry credentials, TLS and auth file for the registry calls; null for the defaults
 */
public record PullOptions(PullPolicy policy, Platform platform, RegistryOptions registry) {
    public PullOptions {
        policy = policy == null ? PullPolicy.MISSING : policy;
        registry = registry == null ? RegistryOptions.defaults() : registry;
    }

    public static PullOptions defaults() {
        return new PullOptions(PullPolicy.MISSING, null, null);
    }
}
