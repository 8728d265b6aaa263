package io.jpod.build.internal;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jpod.util.internal.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The build cache, keyed as Docker's classic builder keys it: the parent image's ID, the instruction as it was
 * run (variables substituted, with what it runs with: environment, user, working directory, shell) and, for COPY
 * and ADD, the sum of the files copied. Each key names the image that step made; an entry whose image is gone is
 * a miss. Kept in one JSON file, readable by root only.
 */
final class BuildCache {
    private static final Logger LOG = LoggerFactory.getLogger(BuildCache.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path file;
    private final Map<String, String> entries = new LinkedHashMap<>();

    BuildCache(Path file) {
        this.file = file;
        if (Files.isRegularFile(file)) {
            try {
                entries.putAll(JSON.readValue(Files.readAllBytes(file), new TypeReference<Map<String, String>>() {
                }));
            } catch (IOException e) {
                LOG.warn("the build cache {} is unreadable and starts empty: {}", file, e.getMessage());
            }
        }
    }

    static String key(String parent, String... parts) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update(String.valueOf(parent).getBytes(StandardCharsets.UTF_8));
            for (String p : parts) {
                d.update((byte) 0);
                d.update(String.valueOf(p).getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(d.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    synchronized String get(String key) {
        return entries.get(key);
    }

    synchronized void put(String key, String imageId) {
        entries.put(key, imageId);
        save();
    }

    synchronized void forget(String key) {
        if (entries.remove(key) != null) {
            save();
        }
    }

    synchronized int prune() {
        int n = entries.size();
        entries.clear();
        save();
        return n;
    }

    private void save() {
        try {
            if (entries.isEmpty()) {
                // nothing cached is no file: a prune or a failed first build leaves nothing behind
                Files.deleteIfExists(file);
                return;
            }
            Files.createDirectories(file.getParent());
            AtomicFiles.write(file, JSON.writeValueAsBytes(entries), AtomicFiles.OWNER_ONLY);
        } catch (IOException e) {
            LOG.warn("the build cache {} could not be written: {}", file, e.getMessage());
        }
    }
}
