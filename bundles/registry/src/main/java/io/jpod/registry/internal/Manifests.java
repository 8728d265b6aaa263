package io.jpod.registry.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;
import io.jpod.api.registry.Descriptor;
import io.jpod.api.registry.ImageReference;
import io.jpod.api.registry.Platform;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Manifests and indexes as the distribution protocol serves them: their media types and descriptors. */
public final class Manifests {
    public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    public static final String DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
    public static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    /** What a manifest GET accepts: the four kinds jpod reads (never schema 1). */
    public static final String ACCEPT = String.join(", ", OCI_INDEX, DOCKER_LIST, OCI_MANIFEST, DOCKER_MANIFEST);
    /** containers/image's limit for a manifest. */
    public static final int MAX_SIZE = 4 << 20;

    private static final ObjectMapper JSON = new ObjectMapper();

    private Manifests() {
    }

    /** A parsed manifest or index: for an index, {@code manifests}; for a manifest, {@code config} and {@code layers}. */
    record Parsed(String mediaType, boolean index, List<Descriptor> manifests, Descriptor config,
            List<Descriptor> layers) {
    }

    static boolean isIndex(String mediaType) {
        return OCI_INDEX.equals(mediaType) || DOCKER_LIST.equals(mediaType);
    }

    /** Parses {@code raw}; {@code contentType} is what the registry said it is (may be null or generic). */
    static Parsed parse(ImageReference ref, byte[] raw, String contentType) {
        JsonNode n;
        try {
            n = JSON.readTree(raw);
        } catch (IOException e) {
            throw new JpodException(ErrorCode.INVALID_ARG, "the manifest of " + ref + " is not JSON");
        }
        if (n == null || !n.isObject()) {
            throw new JpodException(ErrorCode.INVALID_ARG, "the manifest of " + ref + " is not a JSON object");
        }
        String ct = contentType == null ? "" : contentType.split(";")[0].trim();
        String mt = n.path("mediaType").asText("");
        if (n.path("schemaVersion").asInt(2) == 1 || ct.startsWith("application/vnd.docker.distribution.manifest.v1")) {
            throw new JpodException(ErrorCode.INVALID_ARG, "image " + ref + " has a Docker schema 1 manifest, which"
                    + " jpod does not pull (push it again with a current docker or podman)");
        }
        if (List.of(OCI_INDEX, OCI_MANIFEST, DOCKER_LIST, DOCKER_MANIFEST).contains(ct)) {
            mt = ct;
        } else if (mt.isEmpty()) {
            mt = n.has("manifests") ? OCI_INDEX : OCI_MANIFEST;
        }
        if (isIndex(mt)) {
            List<Descriptor> ms = new ArrayList<>();
            for (JsonNode d : n.path("manifests")) {
                ms.add(descriptor(ref, d));
            }
            return new Parsed(mt, true, ms, null, List.of());
        }
        if (!mt.equals(OCI_MANIFEST) && !mt.equals(DOCKER_MANIFEST)) {
            throw new JpodException(ErrorCode.INVALID_ARG, "image " + ref + " has a manifest of media type " + mt
                    + ", which is not an image (an artifact?)");
        }
        if (!n.has("config")) {
            throw new JpodException(ErrorCode.INVALID_ARG, "the manifest of " + ref + " has no config");
        }
        List<Descriptor> layers = new ArrayList<>();
        for (JsonNode d : n.path("layers")) {
            layers.add(descriptor(ref, d));
        }
        return new Parsed(mt, false, List.of(), descriptor(ref, n.get("config")), layers);
    }

    private static Descriptor descriptor(ImageReference ref, JsonNode d) {
        String digest = d.path("digest").asText("");
        try {
            ReferenceParser.checkDigest(ref.toString(), digest);
        } catch (JpodException e) {
            throw new JpodException(ErrorCode.INVALID_ARG, "the manifest of " + ref + " names a blob with a bad"
                    + " digest \"" + digest + "\"");
        }
        long size = d.path("size").asLong(-1);
        if (size < 0) {
            throw new JpodException(ErrorCode.INVALID_ARG, "the manifest of " + ref + " gives blob " + digest
                    + " no size");
        }
        Platform p = null;
        JsonNode pn = d.get("platform");
        if (pn != null && pn.isObject()) {
            String v = pn.path("variant").asText("");
            p = new Platform(pn.path("os").asText(""), pn.path("architecture").asText(""), v.isEmpty() ? null : v);
        }
        return new Descriptor(d.path("mediaType").asText(""), digest, size, p);
    }
}
