package io.jpod.image.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;

/** The OCI image spec's media types and annotations, and the one manifest this bundle writes. */
final class Oci {
    static final String MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    static final String INDEX = "application/vnd.oci.image.index.v1+json";
    static final String CONFIG = "application/vnd.oci.image.config.v1+json";
    static final String LAYER = "application/vnd.oci.image.layer.v1.tar";
    static final String DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
    static final String REF_NAME = "org.opencontainers.image.ref.name";
    static final String CONTAINERD_NAME = "io.containerd.image.name";

    private Oci() {
    }

    /**
     * The manifest of an image of uncompressed layers. The store keeps it and a save writes it again, so both
     * must build it here: the image's digest is this manifest's.
     */
    static byte[] manifest(ObjectMapper json, byte[] config, List<String> diffIds, List<Long> sizes) {
        ObjectNode m = json.createObjectNode();
        m.put("schemaVersion", 2);
        m.put("mediaType", MANIFEST);
        ObjectNode c = m.putObject("config");
        c.put("mediaType", CONFIG);
        c.put("digest", Digests.SHA256 + Digests.sha256(config));
        c.put("size", config.length);
        ArrayNode layers = m.putArray("layers");
        for (int i = 0; i < diffIds.size(); i++) {
            ObjectNode l = layers.addObject();
            l.put("mediaType", LAYER);
            l.put("digest", diffIds.get(i));
            l.put("size", sizes.get(i));
        }
        try {
            return json.writeValueAsBytes(m);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** This machine's architecture as OCI platforms spell it (Go's GOARCH). */
    static String arch() {
        String a = System.getProperty("os.arch", "amd64").toLowerCase(Locale.ROOT);
        return switch (a) {
            case "x86_64", "amd64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            default -> a;
        };
    }
}
