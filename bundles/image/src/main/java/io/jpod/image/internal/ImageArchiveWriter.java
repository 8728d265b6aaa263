package io.jpod.image.internal;

import static io.jpod.image.internal.ImageErrors.invalid;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;
import io.jpod.spi.storage.Storage;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * {@code save}: images as a docker-archive or an oci-archive, every blob under {@code blobs/sha256/}, layers
 * from their kept tars. Entries carry the epoch as their time, so the same images write the same bytes.
 */
final class ImageArchiveWriter {
    private static final Instant EPOCH = Instant.EPOCH;

    private final Storage storage;
    private final ImageCatalog catalog;
    private final LayerTars tars;
    private final ObjectMapper json;

    ImageArchiveWriter(Storage storage, ImageCatalog catalog, LayerTars tars, ObjectMapper json) {
        this.storage = storage;
        this.catalog = catalog;
        this.tars = tars;
        this.json = json;
    }

    /** Writes the images {@code references} name to {@code out}; the images written, each with its names. */
    Map<String, List<String>> write(List<String> references, String format, OutputStream out) {
        if (references == null || references.isEmpty()) {
            throw invalid("no image to save");
        }
        String f = format == null || format.isEmpty() ? "docker-archive" : format;
        boolean oci;
        switch (f) {
            case "docker-archive", "docker" -> oci = false;
            case "oci-archive", "oci" -> oci = true;
            default -> throw invalid("unknown format \"" + format + "\": use docker-archive or oci-archive");
        }
        Map<String, List<String>> selected = new LinkedHashMap<>();
        for (String ref : references) {
            Storage.Image img = catalog.resolve(ref);
            List<String> names = selected.computeIfAbsent(img.id(), k -> new ArrayList<>());
            String name = ImageCatalog.nameMatching(img, ref);
            if (name != null && !names.contains(name)) {
                names.add(name);
            }
        }
        // everything is checked before the first byte is written
        Map<String, byte[]> configs = new HashMap<>();
        Map<String, List<Storage.Layer>> chains = new HashMap<>();
        for (String id : selected.keySet()) {
            byte[] config = catalog.config(id);
            if (config == null) {
                throw new JpodException(ErrorCode.INTERNAL, "image " + id + " has no config in the storage");
            }
            configs.put(id, config);
            List<Storage.Layer> chain = catalog.chain(storage.image(id).topLayer());
            for (Storage.Layer l : chain) {
                if (l.diffId() == null || !Files.isRegularFile(tars.of(l.diffId()))) {
                    throw new JpodException(ErrorCode.NOT_IMPLEMENTED, "the content of layer " + l.id() + " of image "
                            + id + " was not kept when it was stored (only layers imported or loaded through the"
                            + " image service are): saving it needs a diff export from the storage: "
                            + ErrorCode.NOT_IMPLEMENTED.text());
                }
            }
            chains.put(id, chain);
        }
        try {
            writeArchive(out, oci, selected, configs, chains);
        } catch (IOException e) {
            throw new JpodException(ErrorCode.INTERNAL, "cannot write the " + f + ": " + e.getMessage(), e);
        }
        return selected;
    }

    private void writeArchive(OutputStream out, boolean oci, Map<String, List<String>> selected,
            Map<String, byte[]> configs, Map<String, List<Storage.Layer>> chains) throws IOException {
        // finishing the tar must not close the caller's stream
        TarArchiveOutputStream tar = new TarArchiveOutputStream(new FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                flush();
            }
        });
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        Set<String> written = new HashSet<>();
        directory(tar, "blobs/");
        directory(tar, "blobs/sha256/");
        ArrayNode dockerManifest = json.createArrayNode();
        ObjectNode repositories = json.createObjectNode();
        ObjectNode index = json.createObjectNode();
        index.put("schemaVersion", 2);
        index.put("mediaType", Oci.INDEX);
        ArrayNode indexManifests = index.putArray("manifests");
        for (Map.Entry<String, List<String>> e : selected.entrySet()) {
            String id = e.getKey();
            List<String> diffIds = new ArrayList<>();
            List<Long> sizes = new ArrayList<>();
            ArrayNode layerPaths = json.createArrayNode();
            for (Storage.Layer l : chains.get(id)) {
                Path t = tars.of(l.diffId());
                String hex = Digests.hex(l.diffId());
                diffIds.add(l.diffId());
                sizes.add(Files.size(t));
                layerPaths.add("blobs/sha256/" + hex);
                if (written.add(hex)) {
                    file(tar, "blobs/sha256/" + hex, t);
                }
            }
            byte[] config = configs.get(id);
            if (written.add(id)) {
                bytes(tar, "blobs/sha256/" + id, config);
            }
            if (oci) {
                byte[] manifest = Oci.manifest(json, config, diffIds, sizes);
                String digest = Digests.sha256(manifest);
                if (written.add(digest)) {
                    bytes(tar, "blobs/sha256/" + digest, manifest);
                }
                // an image without a name is listed once, without an annotation
                List<String> names = e.getValue().isEmpty() ? Collections.singletonList(null) : e.getValue();
                for (String name : names) {
                    ObjectNode d = indexManifests.addObject();
                    d.put("mediaType", Oci.MANIFEST);
                    d.put("digest", Digests.SHA256 + digest);
                    d.put("size", manifest.length);
                    if (name != null) {
                        d.putObject("annotations").put(Oci.REF_NAME, name);
                    }
                }
            } else {
                ObjectNode m = dockerManifest.addObject();
                m.put("Config", "blobs/sha256/" + id);
                ArrayNode tags = m.putArray("RepoTags");
                for (String name : e.getValue()) {
                    tags.add(Names.familiar(name));
                    String tag = Names.tag(name);
                    if (tag != null && !diffIds.isEmpty()) {
                        String repository = Names.familiar(Names.repository(name));
                        JsonNode r = repositories.get(repository);
                        ObjectNode repo = r instanceof ObjectNode o ? o : repositories.putObject(repository);
                        repo.put(tag, Digests.hex(diffIds.get(diffIds.size() - 1)));
                    }
                }
                m.set("Layers", layerPaths);
            }
        }
        if (oci) {
            bytes(tar, "index.json", json.writeValueAsBytes(index));
            bytes(tar, "oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8));
        } else {
            bytes(tar, "manifest.json", json.writeValueAsBytes(dockerManifest));
            bytes(tar, "repositories", json.writeValueAsBytes(repositories));
        }
        tar.finish();
        tar.flush();
    }

    private static void directory(TarArchiveOutputStream tar, String name) throws IOException {
        tar.putArchiveEntry(entry(name, 040755, 0));
        tar.closeArchiveEntry();
    }

    private static void bytes(TarArchiveOutputStream tar, String name, byte[] data) throws IOException {
        tar.putArchiveEntry(entry(name, 0100644, data.length));
        tar.write(data);
        tar.closeArchiveEntry();
    }

    private static void file(TarArchiveOutputStream tar, String name, Path file) throws IOException {
        tar.putArchiveEntry(entry(name, 0100644, Files.size(file)));
        try (InputStream in = Files.newInputStream(file)) {
            in.transferTo(tar);
        }
        tar.closeArchiveEntry();
    }

    private static TarArchiveEntry entry(String name, int mode, long size) {
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setMode(mode);
        e.setSize(size);
        e.setModTime(EPOCH.toEpochMilli());
        return e;
    }
}
