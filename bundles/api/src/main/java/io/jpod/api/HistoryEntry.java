package io.jpod.api;

import java.time.Instant;

/**
 * One entry of an image config's {@code history}, as the OCI image spec defines it.
 *
 * @param created    when the step ran; null for now
 * @param createdBy  the command that made it, e.g. {@code /bin/sh -c echo hi} or {@code /bin/sh -c #(nop) ENV A=b}
 * @param author     who made it, or null
 * @param comment    a message, or null
 * @param emptyLayer whether the step added no layer (an ENV or CMD step; what Docker calls {@code empty_layer})
 */
public record HistoryEntry(Instant created, String createdBy, String author, String comment, boolean emptyLayer) {
}
