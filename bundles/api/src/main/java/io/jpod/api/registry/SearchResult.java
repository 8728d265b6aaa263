package io.jpod.api.registry;

/**
 * One answer of {@link Registries#search}: a repository a registry's catalog lists (or, with tags listed, one
 * tag of it), as podman's {@code search} shows it.
 *
 * @param index       the registry searched ({@code 127.0.0.1:5000}, {@code docker.io})
 * @param name        the repository's full name ({@code 127.0.0.1:5000/library/busybox})
 * @param description what the registry says of it; empty when it says nothing (a catalog never does)
 * @param stars       Docker Hub's stars; 0 elsewhere
 * @param official    Docker Hub's official images
 * @param automated   Docker Hub's automated builds
 * @param tag         the tag, when tags were listed; else null
 */
public record SearchResult(String index, String name, String description, int stars, boolean official,
        boolean automated, String tag) {
}
