package io.jpod.api;

import java.util.List;

/**
 * One row of {@code docker history} / {@code podman history}, newest first.
 *
 * @param id    the ID of the image the entry made ({@code sha256:}-less hex), or {@code <missing>} for an entry
 *              whose image is not stored by itself (as docker prints it)
 * @param entry the config's history entry
 * @param size  the size of the layer the entry added (0 for an empty layer)
 * @param tags  the names of the image {@code id}, for the top entry
 */
public record ImageHistory(String id, HistoryEntry entry, long size, List<String> tags) {
    public ImageHistory {
        tags = tags == null ? List.of() : List.copyOf(tags);
    }
}
