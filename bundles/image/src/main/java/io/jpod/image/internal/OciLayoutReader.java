package io.jpod.image.internal;

import static io.jpod.image.internal.ImageErrors.invalid;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * An OCI image layout (an unpacked oci-archive, or {@code skopeo copy ... oci:DIR}): the images its
 * {@code index.json} lists, one platform picked from each nested index.
 */
final class OciLayoutReader {
    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");

    private final ArchiveSpool spool;
    private final ArchiveChecks checks;

    OciLayoutReader(ArchiveSpool spool, ArchiveChecks checks) {
        this.spool = spool;
        this.checks = checks;
    }

    /** Whether {@code dir} looks like an OCI layout (a broken one is refused by {@link #read}). */
    static boolean isOciLayout(Path dir) {
        return Files.exists(dir.resolve("oci-layout"), LinkOption.NOFOLLOW_LINKS)
                || Files.exists(dir.resolve("index.json"), LinkOption.NOFOLLOW_LINKS);
    }

    /** The images of the layout, their layers spooled. */
    List<Candidate> read(Path dir) {
        if (!ArchivePaths.isFile(dir, "oci-layout")) {
            throw invalid("the OCI layout has no oci-layout file");
        }
        JsonNode layout = checks.readJson(dir, "oci-layout", ArchiveChecks.MAX_ARCHIVE_MANIFEST);
        if (!layout.path("imageLayoutVersion").isTextual()) {
            throw invalid("oci-layout has no imageLayoutVersion");
        }
        JsonNode index = checks.readJson(dir, "index.json", ArchiveChecks.MAX_MANIFEST);
        JsonNode manifests = index.get("manifests");
        if (manifests == null || !manifests.isArray() || manifests.isEmpty()) {
            throw invalid("index.json lists no manifests");
        }
        return ArchiveChecks.collect("the OCI layout", out -> {
            for (JsonNode desc : manifests) {
                descriptor(dir, desc, refName(desc, null), out, 0);
            }
        });
    }

    /** The name a descriptor's annotations give (containerd's first), else the one of the index above it. */
    private static String refName(JsonNode desc, String outer) {
        JsonNode a = desc.path("annotations");
        String n = a.path(Oci.CONTAINERD_NAME).asText("");
        if (n.isEmpty()) {
            n = a.path(Oci.REF_NAME).asText("");
        }
        return n.isEmpty() ? outer : n;
    }

    private void descriptor(Path dir, JsonNode desc, String name, List<Candidate> out, int depth)
            throws IOException {
        Path file = blob(dir, desc);
        String digest = desc.path("digest").asText();
        JsonNode doc = checks.parse(ArchiveChecks.read(file, ArchiveChecks.MAX_MANIFEST, "manifest " + digest), digest);
        String type = desc.path("mediaType").asText(doc.path("mediaType").asText(""));
        if (type.equals(Oci.INDEX) || type.equals(Oci.DOCKER_LIST) || doc.has("manifests")) {
            if (depth > 2) {
                throw invalid("the OCI indexes nest too deeply");
            }
            JsonNode pick = platform(doc);
            if (pick == null) {
                throw invalid("the index " + desc.path("digest").asText() + " lists no image for linux/"
                        + Oci.arch());
            }
            descriptor(dir, pick, refName(pick, name), out, depth + 1);
            return;
        }
        JsonNode configDesc = doc.path("config");
        if (!configDesc.isObject()) {
            throw invalid("the manifest " + desc.path("digest").asText() + " has no config");
        }
        byte[] config = ArchiveChecks.read(blob(dir, configDesc), ArchiveChecks.MAX_CONFIG,
                "config " + configDesc.path("digest").asText());
        List<SpooledLayer> spooled = new ArrayList<>();
        List<String> names = name == null || name.isEmpty() ? List.of()
                : List.of(Names.normalize(name, Names.LOCALHOST));
        // listed before its layers are spooled, so that a failure half way discards them too
        out.add(new Candidate(Digests.sha256(config), config, spooled, names));
        JsonNode layers = doc.path("layers");
        if (!layers.isArray()) {
            throw invalid("the manifest " + desc.path("digest").asText() + " has no layers");
        }
        for (JsonNode l : layers) {
            Path lf = blob(dir, l);
            try (InputStream in = Files.newInputStream(lf)) {
                spooled.add(spool.spool(in, "layer " + l.path("digest").asText()));
            }
        }
        checks.checkDiffIds(config, spooled, "config " + configDesc.path("digest").asText());
    }

    /** linux on this architecture, else the first entry that is not an attestation ({@code unknown}). */
    private static JsonNode platform(JsonNode index) {
        JsonNode pick = null;
        for (JsonNode m : index.path("manifests")) {
            JsonNode p = m.path("platform");
            if (p.path("os").asText("").equals("linux") && p.path("architecture").asText("").equals(Oci.arch())) {
                return m;
            }
            if (pick == null && !p.path("os").asText("").equals("unknown")) {
                pick = m;
            }
        }
        return pick;
    }

    /** The file of a blob a descriptor names, its digest and size verified. */
    private static Path blob(Path dir, JsonNode desc) throws IOException {
        String digest = desc.path("digest").asText("");
        if (!digest.startsWith(Digests.SHA256) || !HEX64.matcher(Digests.hex(digest)).matches()) {
            throw invalid("a descriptor has no valid sha256 digest (\"" + digest + "\")");
        }
        Path file = ArchivePaths.file(dir, "blobs/sha256/" + Digests.hex(digest));
        if (file == null) {
            throw invalid("blob " + digest + " is missing from the archive");
        }
        ArchiveChecks.verify(file, digest, desc.path("size").asLong(-1), "blob " + digest);
        return file;
    }
}
