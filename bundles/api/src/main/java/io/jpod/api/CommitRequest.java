package io.jpod.api;

import java.nio.file.Path;
import java.util.List;

/**
 * A new image made from a parent image and one layer on top: what {@code docker commit} and each step of a
 * build store.
 *
 * @param parent    the parent image (ID, ID prefix or name), or null to start from scratch
 * @param layer     an uncompressed layer tar (as {@link ContainerChanges#writeLayer} writes it), or null to add no
 *                  layer (an ENV or CMD build step): the history entry is then marked {@code empty_layer}
 * @param config    what the new image's config says about containers; null to keep the parent's. Its fields
 *                  replace the parent's; the parent's other config fields (Healthcheck, OnBuild, Shell) stay
 * @param changes   Dockerfile instructions applied after {@code config}: CMD, ENTRYPOINT, ENV, EXPOSE, LABEL,
 *                  ONBUILD, SHELL, STOPSIGNAL, USER, VOLUME, WORKDIR, HEALTHCHECK (kept in the docker format only);
 *                  any other is refused by name (INVALID_ARG)
 * @param history   the history entry appended to the parent's; null for one with the time only
 * @param reference the name to tag the new image with (normalised as {@link Images#tag}), or null for none
 * @param format    {@code oci} (the default, also for null) or {@code docker}: the config and manifest shapes
 */
public record CommitRequest(String parent, Path layer, ImageConfig config, List<String> changes,
        HistoryEntry history, String reference, String format) {
    public CommitRequest {
        changes = changes == null ? List.of() : List.copyOf(changes);
    }
}
