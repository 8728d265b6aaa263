package io.jpod.build;

import java.util.List;

/**
 * A finished build.
 *
 * @param imageId the final image's ID (64 hex digits, no algorithm)
 * @param tags    the names it was tagged with
 */
public record BuildResult(String imageId, List<String> tags) {
    public BuildResult {
        tags = tags == null ? List.of() : List.copyOf(tags);
    }
}
