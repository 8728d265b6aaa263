package io.jpod.image.internal;

import static io.jpod.image.internal.ImageErrors.invalid;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * What both archive readers check of what they read: JSON that parses, blobs that match their digests, configs
 * whose diff IDs are the layers'. Every failure is the user's archive, so every one is an invalid argument.
 */
final class ArchiveChecks {
    private final ObjectMapper json;

    ArchiveChecks(ObjectMapper json) {
        this.json = json;
    }

    /** What a reader does; whatever it spooled before failing is discarded. */
    interface Reading {
        void read(List<Candidate> out) throws IOException;
    }

    /** The candidates {@code reading} finds; on a failure none is left spooled. */
    static List<Candidate> collect(String what, Reading reading) {
        List<Candidate> out = new ArrayList<>();
        try {
            reading.read(out);
        } catch (IOException | RuntimeException e) {
            Candidate.discard(out);
            if (e instanceof RuntimeException re) {
                throw re;
            }
            throw invalid("cannot read " + what + ": " + e.getMessage());
        }
        return out;
    }

    /**
     * The most of a JSON document read from an archive, as containers/image bounds them: manifest.json (1 MiB),
     * manifests and indexes (4 MiB); configs as a pull does ({@link #MAX_CONFIG}).
     */
    static final int MAX_ARCHIVE_MANIFEST = 1 << 20, MAX_MANIFEST = 4 << 20, MAX_CONFIG = 32 << 20;

    /** The JSON file {@code name} of the unpacked archive {@code dir}, of at most {@code max} bytes. */
    JsonNode readJson(Path dir, String name, int max) {
        try {
            Path f = ArchivePaths.file(dir, name);
            if (f == null) {
                throw invalid("the archive has no " + name);
            }
            return parse(read(f, max, name), name);
        } catch (IOException e) {
            throw invalid("cannot read " + name + ": " + e.getMessage());
        }
    }

    /** The bytes of {@code file}, refused unread when it has more than {@code max}. */
    static byte[] read(Path file, int max, String what) throws IOException {
        long size = Files.size(file);
        if (size > max) {
            throw invalid(what + " is larger than " + (max >> 20) + " MiB, more than an image's can be");
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] b = in.readNBytes(max + 1);
            if (b.length > max) {
                throw invalid(what + " is larger than " + (max >> 20) + " MiB, more than an image's can be");
            }
            return b;
        }
    }

    JsonNode parse(byte[] bytes, String what) {
        try {
            JsonNode n = json.readTree(bytes);
            if (n == null || n.isMissingNode()) {
                throw invalid(what + " is empty");
            }
            return n;
        } catch (JsonProcessingException e) {
            throw invalid(what + " is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw invalid("cannot read " + what + ": " + e.getMessage());
        }
    }

    /** Refuses {@code file} unless its content has {@code digest} and, when {@code size >= 0}, that size. */
    static void verify(Path file, String digest, long size, String what) throws IOException {
        MessageDigest md = Digests.sha256();
        long n = 0;
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            int r;
            while ((r = in.read(buf)) >= 0) {
                md.update(buf, 0, r);
                n += r;
            }
        }
        String actual = Digests.SHA256 + Digests.hex(md.digest());
        if (!actual.equals(digest)) {
            throw invalid(what + " does not match its digest " + digest + " (its content is " + actual + ")");
        }
        if (size >= 0 && size != n) {
            throw invalid(what + " has " + n + " bytes, its descriptor says " + size);
        }
    }

    /** Refuses a config whose {@code rootfs.diff_ids} are not the diff IDs of the layers read for it. */
    void checkDiffIds(byte[] config, List<SpooledLayer> layers, String what) {
        JsonNode root = parse(config, what);
        JsonNode diffIds = root.path("rootfs").path("diff_ids");
        if (!root.isObject() || !diffIds.isArray()) {
            throw invalid(what + " has no rootfs.diff_ids");
        }
        if (diffIds.size() != layers.size()) {
            throw invalid(what + " lists " + diffIds.size() + " diff IDs for " + layers.size() + " layers");
        }
        for (int i = 0; i < layers.size(); i++) {
            if (!diffIds.get(i).asText().equals(layers.get(i).diffId())) {
                throw invalid("layer " + (i + 1) + " of " + what + " has diff ID " + layers.get(i).diffId()
                        + " but the config says " + diffIds.get(i).asText());
            }
        }
    }
}
