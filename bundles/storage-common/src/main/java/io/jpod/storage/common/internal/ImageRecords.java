package io.jpod.storage.common.internal;

import com.fasterxml.jackson.core.type.TypeReference;
import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;
import io.jpod.spi.storage.Storage.Image;
import io.jpod.util.internal.FileTrees;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The images: {@code <graphroot>/D-images/images.json}, their names (a name is on one image at most), their
 * manifests' digests, and each image's big data in {@code <graphroot>/D-images/<id>/=<base64 key>}. Guarded
 * by the {@link Store}'s monitor.
 */
final class ImageRecords {
    private static final Logger LOG = LoggerFactory.getLogger(ImageRecords.class);
    private static final Pattern ID = Pattern.compile("[0-9a-f]{64}");

    record ImageRec(String id, List<String> names, String topLayer, String digest, String created,
            List<String> bigData) {
    }

    private final MetadataFiles files;
    private final Path dir;
    private final Map<String, ImageRec> images = new LinkedHashMap<>();

    ImageRecords(String driverName, MetadataFiles files, Path graphRoot) {
        this.files = files;
        this.dir = graphRoot.resolve(driverName + "-images");
    }

    private Path file() {
        return dir.resolve("images.json");
    }

    void load() throws IOException {
        for (ImageRec i : files.read(file(), new TypeReference<List<ImageRec>>() { })) {
            images.put(i.id(), i);
        }
    }

    /**
     * Removes the image directories that no record names (leftovers of a crash) and tightens the others and
     * their big data.
     */
    void sweepDirs() throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (var ds = Files.newDirectoryStream(dir, Files::isDirectory)) {
            for (Path p : ds) {
                ImageRec img = images.get(p.getFileName().toString());
                if (img == null) {
                    FileTrees.delete(p);
                    continue;
                }
                MetadataFiles.restrict(p, MetadataFiles.DIR_MODE);
                for (String key : img.bigData()) {
                    MetadataFiles.restrict(p.resolve(bigDataFile(key)), MetadataFiles.FILE_MODE);
                }
            }
        }
    }

    void save() {
        files.write(file(), images.values());
    }

    /**
     * The ID a new image gets: the one given (with or without {@code sha256:}), else the digest of its config,
     * else a random one. Fails when it is not an ID or an image has it.
     */
    String newId(String id, Map<String, byte[]> bigData) {
        if (id == null || id.isEmpty()) {
            byte[] config = bigData.get("config");
            id = config != null ? Ids.sha256(config) : Ids.random();
        }
        id = Ids.stripDigest(id);
        if (!ID.matcher(id).matches()) {
            throw new JpodException(ErrorCode.INVALID_ARG, "image ID " + id + " is not 64 hex digits: "
                    + ErrorCode.INVALID_ARG.text());
        }
        if (images.containsKey(id)) {
            throw JpodException.of(ErrorCode.IMAGE_EXISTS, "image " + id);
        }
        return id;
    }

    /** Records an image under an ID from {@link #newId}, with its big data on disk first; not saved yet. */
    Image create(String id, List<String> names, String topLayer, Map<String, byte[]> bigData) {
        List<String> nameList = checkNames(names);
        Path imageDir = dir.resolve(id);
        try {
            MetadataFiles.directory(dir);
            MetadataFiles.directory(imageDir);
            for (Map.Entry<String, byte[]> e : bigData.entrySet()) {
                MetadataFiles.writeBytes(imageDir.resolve(bigDataFile(e.getKey())), e.getValue());
            }
        } catch (IOException e) {
            throw new JpodException(ErrorCode.INTERNAL, "cannot store image " + id + ": " + e.getMessage(), e);
        }
        byte[] manifest = bigData.get("manifest");
        String digest = manifest == null ? null : "sha256:" + Ids.sha256(manifest);
        takeNames(nameList, id);
        ImageRec img = new ImageRec(id, nameList, topLayer, digest, Instant.now().toString(),
                new ArrayList<>(bigData.keySet()));
        images.put(id, img);
        return toImage(img);
    }

    private static List<String> checkNames(List<String> names) {
        List<String> out = new ArrayList<>();
        for (String n : names == null ? List.<String>of() : names) {
            if (n == null || n.isBlank() || n.chars().anyMatch(c -> c <= ' ')) {
                throw new JpodException(ErrorCode.INVALID_ARG, "invalid image name \"" + n + "\": "
                        + ErrorCode.INVALID_ARG.text());
            }
            if (!out.contains(n)) {
                out.add(n);
            }
        }
        return out;
    }

    /** Takes the names away from the other images that have them, as containers/storage does. */
    private void takeNames(List<String> names, String owner) {
        for (ImageRec other : List.copyOf(images.values())) {
            if (!other.id().equals(owner) && other.names().stream().anyMatch(names::contains)) {
                List<String> left = new ArrayList<>(other.names());
                left.removeAll(names);
                images.put(other.id(), new ImageRec(other.id(), left, other.topLayer(), other.digest(),
                        other.created(), other.bigData()));
            }
        }
    }

    /** Sets the image's names, taking them from the other images, and saves. */
    void setNames(String idOrName, List<String> names) {
        ImageRec img = find(idOrName);
        List<String> n = checkNames(names);
        takeNames(n, img.id());
        images.put(img.id(), new ImageRec(img.id(), n, img.topLayer(), img.digest(), img.created(), img.bigData()));
        save();
    }

    private static String bigDataFile(String key) {
        return "=" + Base64.getUrlEncoder().withoutPadding().encodeToString(key.getBytes(StandardCharsets.UTF_8));
    }

    /** A named blob of an image (e.g. {@code manifest}, {@code config}), or null. */
    byte[] bigData(String idOrName, String key) {
        ImageRec img = find(idOrName);
        if (!img.bigData().contains(key)) {
            return null;
        }
        try {
            return Files.readAllBytes(dir.resolve(img.id()).resolve(bigDataFile(key)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** By ID, {@code sha256:} ID, name, unique ID prefix or short name. */
    ImageRec find(String idOrName) {
        if (idOrName == null || idOrName.isEmpty()) {
            throw JpodException.of(ErrorCode.EMPTY_ID, "image");
        }
        String q = Ids.stripDigest(idOrName);
        ImageRec byId = images.get(q);
        if (byId != null) {
            return byId;
        }
        for (ImageRec i : images.values()) {
            if (i.names().contains(idOrName)) {
                return i;
            }
        }
        if (q.matches("[0-9a-f]{1,63}")) {
            List<ImageRec> m = images.values().stream().filter(i -> i.id().startsWith(q)).toList();
            if (m.size() == 1) {
                return m.get(0);
            }
            if (m.size() > 1) {
                throw new JpodException(ErrorCode.INVALID_ARG, "image ID prefix " + q + " is ambiguous: "
                        + ErrorCode.INVALID_ARG.text());
            }
        }
        // a short name: "busybox" or "busybox:1" for "<registry>/[...]/busybox:latest" when only one matches
        if (!idOrName.contains("@")) {
            int slash = idOrName.lastIndexOf('/');
            String full = idOrName.indexOf(':', slash + 1) < 0 ? idOrName + ":latest" : idOrName;
            List<ImageRec> m = images.values().stream()
                    .filter(i -> i.names().stream().anyMatch(n -> n.equals(full) || n.endsWith("/" + full)))
                    .toList();
            if (m.size() == 1) {
                return m.get(0);
            }
            if (m.size() > 1) {
                throw new JpodException(ErrorCode.INVALID_ARG, "short name " + idOrName
                        + " matches several images: use the full name: " + ErrorCode.INVALID_ARG.text());
            }
        }
        throw JpodException.of(ErrorCode.NO_SUCH_IMAGE, idOrName);
    }

    List<Image> all() {
        return images.values().stream().map(ImageRecords::toImage).toList();
    }

    /** Drops the image's record; its files go with {@link #deleteFiles} once the record is saved. */
    void remove(String id) {
        images.remove(id);
    }

    void deleteFiles(String id) {
        try {
            FileTrees.delete(dir.resolve(id));
        } catch (IOException e) {
            LOG.warn("cannot remove the files of image {}: {}", id, e.getMessage());
        }
    }

    static Image toImage(ImageRec i) {
        return new Image(i.id(), i.names(), i.topLayer(), i.digest(), Instant.parse(i.created()));
    }
}
