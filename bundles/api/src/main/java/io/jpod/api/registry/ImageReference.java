package io.jpod.api.registry;

/**
 * A fully qualified image reference: {@code registry/repository[:tag][@digest]}, as Docker normalises one
 * ({@code busybox} is {@code docker.io/library/busybox:latest}). A reference with neither tag nor digest
 * gets {@code latest}.
 *
 * @param registry   host, or host:port ({@code docker.io}, {@code 127.0.0.1:5000}, {@code localhost})
 * @param repository the path within it, lower case ({@code library/busybox})
 * @param tag        the tag, or null when only a digest is given
 * @param digest     {@code sha256:<64 hex>}, or null
 */
public record ImageReference(String registry, String repository, String tag, String digest) {

    /** {@code registry/repository}, without tag or digest. */
    public String name() {
        return registry + "/" + repository;
    }

    /** The same image by digest: what a pull by tag resolved to. */
    public ImageReference withDigest(String d) {
        return new ImageReference(registry, repository, tag, d);
    }

    /** {@code tag} when there is one, else the digest: what a registry's manifest URL takes. */
    public String tagOrDigest() {
        return digest != null ? digest : tag;
    }

    @Override
    public String toString() {
        return name() + (tag == null ? "" : ":" + tag) + (digest == null ? "" : "@" + digest);
    }
}
