package io.jpod.image.internal;

import io.jpod.spi.storage.Storage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The uncompressed tar of every layer the bundle stores, {@code <dir>/<diff hex>}: the storage SPI has no
 * export of a layer's changes, so a save writes these bytes, and an image saved loads back with the same diff
 * IDs and image ID. A tar goes when no layer of its diff ID is left.
 */
final class LayerTars {
    private static final Logger LOG = LoggerFactory.getLogger(LayerTars.class);
    private static final Pattern DIFF_ID = Pattern.compile("sha256:[0-9a-f]{64}");

    private final Path dir;
    private final Storage storage;

    LayerTars(Path dir, Storage storage) throws IOException {
        this.dir = dir;
        this.storage = storage;
        Files.createDirectories(dir);
    }

    /**
     * Where the tar of layers of this diff ID is kept. A pull takes diff IDs from a registry's config: anything
     * but {@code sha256:<64 hex>} is refused, so none names a file elsewhere.
     */
    Path of(String diffId) {
        if (diffId == null || !DIFF_ID.matcher(diffId).matches()) {
            throw ImageErrors.invalid("\"" + diffId + "\" is not a diff ID: a layer's diff ID is sha256:<64 hex digits>");
        }
        return dir.resolve(Digests.hex(diffId));
    }

    /** Moves a spooled layer here (or drops it when its tar is here already); the kept tar. */
    Path keep(SpooledLayer s) throws IOException {
        Path target = of(s.diffId());
        if (Files.exists(target)) {
            Files.deleteIfExists(s.file());
        } else {
            Files.move(s.file(), target, StandardCopyOption.ATOMIC_MOVE);
        }
        return target;
    }

    /** Removes the tars whose diff ID no layer has any more. */
    void gc() {
        Set<String> used = storage.layers().stream().map(Storage.Layer::diffId).filter(Objects::nonNull)
                .map(Digests::hex).collect(Collectors.toSet());
        try (var ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                if (!used.contains(p.getFileName().toString())) {
                    Files.deleteIfExists(p);
                }
            }
        } catch (IOException e) {
            LOG.warn("cannot clean {}: {}", dir, e.getMessage());
        }
    }
}
