package io.jpod.api.registry;

/**
 * A content descriptor: what a manifest says of a blob or of another manifest.
 *
 * @param mediaType e.g. {@code application/vnd.oci.image.layer.v1.tar+gzip}
 * @param digest    {@code sha256:<64 hex>}
 * @param size      in bytes
 * @param platform  for an index's entries, else null
 */
public record Descriptor(String mediaType, String digest, long size, Platform platform) {
}
