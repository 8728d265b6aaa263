package io.jpod.build;

import java.util.List;
import java.util.Map;

/**
 * What to build, as {@code docker build} and {@code podman build} say it.
 *
 * @param dockerfile  the Dockerfile's path inside the context; null for {@code Dockerfile} (or
 *                    {@code Containerfile} when only that is there)
 * @param tags        the names to tag the final image with
 * @param buildArgs   {@code --build-arg} values
 * @param labels      {@code --label}s set on the final image
 * @param target      the stage to stop at ({@code --target}), or null for the last
 * @param noCache     {@code --no-cache}: run every step
 * @param pull        {@code --pull}: pull every FROM image, even one stored
 * @param remove      {@code --rm}: remove each step's container after a successful step
 * @param forceRemove {@code --force-rm}: remove them also after a failed one
 * @param networkMode the network the RUN containers join: {@code bridge} (or null), {@code host}, {@code none}
 * @param format      the image format, {@code docker} (or null) or {@code oci}
 */
public record BuildRequest(String dockerfile, List<String> tags, Map<String, String> buildArgs,
        Map<String, String> labels, String target, boolean noCache, boolean pull, boolean remove,
        boolean forceRemove, String networkMode, String format) {
    public BuildRequest {
        tags = tags == null ? List.of() : List.copyOf(tags);
        buildArgs = buildArgs == null ? Map.of() : Map.copyOf(buildArgs);
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }
}
