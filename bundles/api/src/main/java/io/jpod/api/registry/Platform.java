package io.jpod.api.registry;

/**
 * An image's platform, as OCI indexes and Docker manifest lists name their entries.
 *
 * @param os           {@code linux}
 * @param architecture Go's names: {@code amd64}, {@code arm64}, {@code arm}...
 * @param variant      {@code v8}, {@code v7}..., or null
 */
public record Platform(String os, String architecture, String variant) {

    @Override
    public String toString() {
        return os + "/" + architecture + (variant == null || variant.isEmpty() ? "" : "/" + variant);
    }
}
