package io.jpod.image.internal;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jpod.spi.storage.Storage;
import io.jpod.util.internal.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where each image was pulled from and pushed to, {@code registry/repository@sha256:...}, kept beside the store
 * ({@code <dir>/repo-digests.json}): the storage keeps one digest per image (its stored manifest's), but an image
 * pushed, or pulled again through another manifest, is known by more. Written under the service's lock, read
 * without one; entries of images no longer stored are dropped at the start.
 */
final class RepoDigestRecords {
    private static final Logger LOG = LoggerFactory.getLogger(RepoDigestRecords.class);

    private final Path file;
    private final ObjectMapper json;
    private final Map<String, List<String>> byImage = new ConcurrentHashMap<>();

    RepoDigestRecords(Path file, ObjectMapper json, Storage storage) {
        this.file = file;
        this.json = json;
        if (Files.isRegularFile(file)) {
            try {
                Map<String, List<String>> read = json.readValue(file.toFile(),
                        new TypeReference<LinkedHashMap<String, List<String>>>() {
                        });
                Set<String> ids = storage.images().stream().map(Storage.Image::id).collect(Collectors.toSet());
                read.forEach((id, l) -> {
                    if (ids.contains(id) && l != null) {
                        byImage.put(id, List.copyOf(l));
                    }
                });
            } catch (IOException | RuntimeException e) {
                LOG.warn("cannot read {}, the registry digests recorded are lost: {}", file, e.getMessage());
            }
        }
    }

    List<String> of(String imageId) {
        return byImage.getOrDefault(imageId, List.of());
    }

    /** Records {@code repoDigest} of the image (the caller holds the service's lock). */
    void add(String imageId, String repoDigest) {
        List<String> l = new ArrayList<>(of(imageId));
        if (l.contains(repoDigest)) {
            return;
        }
        l.add(repoDigest);
        byImage.put(imageId, List.copyOf(l));
        try {
            AtomicFiles.write(file, json.writeValueAsBytes(new LinkedHashMap<>(byImage)));
        } catch (IOException e) {
            LOG.warn("cannot record {} of image {} in {}: {}", repoDigest, imageId, file, e.getMessage());
        }
    }
}
