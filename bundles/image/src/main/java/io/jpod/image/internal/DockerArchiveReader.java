package io.jpod.image.internal;

import static io.jpod.image.internal.ImageErrors.invalid;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A docker-archive ({@code docker save}, {@code podman save}) unpacked in a directory: the images its
 * {@code manifest.json} lists, in the old layout ({@code <id>/layer.tar}) or in blobs as moby 25 writes it.
 */
final class DockerArchiveReader {
    /** A member named after its digest: only then can its name be checked against its content. */
    private static final Pattern BLOB_PATH = Pattern.compile("(?:.*/)?([0-9a-f]{64})(?:\\.json)?");

    private final ArchiveSpool spool;
    private final ArchiveChecks checks;

    DockerArchiveReader(ArchiveSpool spool, ArchiveChecks checks) {
        this.spool = spool;
        this.checks = checks;
    }

    /** Whether {@code dir} holds a docker-archive; manifest.json wins over an OCI layout beside it. */
    static boolean isDockerArchive(Path dir) {
        return ArchivePaths.isFile(dir, "manifest.json");
    }

    /** The images of the archive, their layers spooled. */
    List<Candidate> read(Path dir) {
        JsonNode manifest = checks.readJson(dir, "manifest.json", ArchiveChecks.MAX_ARCHIVE_MANIFEST);
        if (!manifest.isArray() || manifest.isEmpty()) {
            throw invalid("manifest.json of the docker-archive lists no images");
        }
        return ArchiveChecks.collect("the archive", out -> {
            for (JsonNode entry : manifest) {
                readEntry(dir, entry, out);
            }
        });
    }

    private void readEntry(Path dir, JsonNode entry, List<Candidate> out) throws IOException {
        String configPath = entry.path("Config").asText("");
        if (configPath.isEmpty()) {
            throw invalid("an entry of manifest.json has no Config");
        }
        byte[] config = ArchiveChecks.read(member(dir, configPath), ArchiveChecks.MAX_CONFIG, configPath);
        String id = Digests.sha256(config);
        Matcher named = BLOB_PATH.matcher(configPath);
        if (named.matches() && !named.group(1).equals(id)) {
            throw invalid("the config " + configPath + " does not match its digest (its content is sha256:" + id
                    + ")");
        }
        JsonNode layers = entry.get("Layers");
        if (layers == null || !layers.isArray()) {
            throw invalid("the entry of manifest.json for " + configPath + " has no Layers");
        }
        List<String> names = new ArrayList<>();
        JsonNode tags = entry.get("RepoTags");
        if (tags != null && tags.isArray()) {
            for (JsonNode t : tags) {
                names.add(Names.normalize(t.asText(), Names.DOCKER_IO));
            }
        }
        // listed before its layers are spooled, so that a failure half way discards them too
        List<SpooledLayer> spooled = new ArrayList<>();
        out.add(new Candidate(id, config, spooled, names));
        for (JsonNode l : layers) {
            String path = l.asText("");
            Path file = member(dir, path);
            Matcher m = BLOB_PATH.matcher(path);
            if (path.startsWith("blobs/") && m.matches()) {
                ArchiveChecks.verify(file, Digests.SHA256 + m.group(1), -1, path);
            }
            try (InputStream in = Files.newInputStream(file)) {
                spooled.add(spool.spool(in, path));
            }
        }
        checks.checkDiffIds(config, spooled, configPath);
    }

    /** A file of the archive that manifest.json names, reached without leaving the archive. */
    private static Path member(Path dir, String path) throws IOException {
        Path p = path.isEmpty() ? null : ArchivePaths.file(dir, path);
        if (p == null) {
            throw invalid("the archive has no " + path + ", which manifest.json names");
        }
        return p;
    }
}
