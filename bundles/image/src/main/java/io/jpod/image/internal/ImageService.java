package io.jpod.image.internal;

import io.jpod.api.Signals;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jpod.api.ContainerConfig;
import io.jpod.api.ErrorCode;
import io.jpod.api.ImageConfig;
import io.jpod.api.ImageInfo;
import io.jpod.api.Images;
import io.jpod.api.JpodException;
import io.jpod.spi.storage.Storage;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * libimage over a {@link Storage}: import, load, save, names, removal, inspection, and the image defaults of
 * a container spec.
 *
 * <p>Images are stored with their config (big data keys {@code config} and its digest {@code sha256:<id>})
 * and an OCI manifest of their uncompressed layers ({@code manifest}); the image ID is the sha256 of the
 * config. The storage SPI has no export of a layer's changes, so the uncompressed tar of every layer this
 * service stores is kept beside the store, in {@code <graphroot>/jpod-image/<driver>-layers/<diff hex>},
 * and removed when no layer of that diff ID is left: {@link #save} writes those bytes, so a saved image
 * loads back with the same diff IDs and the same image ID.
 *
 * <p>Archives and tarballs are read into a temp directory without a lock; storing them, saving, naming and
 * removing hold this object's lock (a removal must not take the tars a save is writing). Lookups take no lock
 * of their own: a container can be created from one image while another loads.
 */
public final class ImageService implements Images {
    private static final Logger LOG = LoggerFactory.getLogger(ImageService.class);

    static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
    static final String OCI_LAYER = "application/vnd.oci.image.layer.v1.tar";
    static final String DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
    static final String REF_NAME = "org.opencontainers.image.ref.name";
    static final String CONTAINERD_NAME = "io.containerd.image.name";
    static final String KEY_MANIFEST = "manifest";
    static final String KEY_CONFIG = "config";

    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern BLOB_PATH = Pattern.compile("(?:.*/)?([0-9a-f]{64})(?:\\.json)?");

    private final Storage storage;
    private final ImageUsers users;
    private final Path tars;
    private final Path tmp;
    private final ObjectMapper json = new ObjectMapper();

    public ImageService(Storage storage, ImageUsers users) {
        this.storage = Objects.requireNonNull(storage, "storage");
        this.users = users == null ? ImageUsers.NONE : users;
        Path home = storage.graphRoot().resolve("jpod-image");
        this.tars = home.resolve(storage.driverName() + "-layers");
        this.tmp = home.resolve("tmp");
        try {
            Files.createDirectories(tars);
            if (Files.exists(tmp)) {
                deleteRecursive(tmp);
            }
            Files.createDirectories(tmp);
        } catch (IOException e) {
            throw new JpodException(ErrorCode.INTERNAL, "cannot create " + home + ": " + e.getMessage(), e);
        }
        gcTars();
    }

    /** Where the uncompressed tar of layers of this diff ID is kept. */
    Path tarOf(String diffId) {
        return tars.resolve(hex(diffId));
    }

    // ---- import

    @Override
    public ImageInfo importRootfs(InputStream tar, String reference, List<String> changes) {
        Objects.requireNonNull(tar, "tar");
        List<String> names = reference == null || reference.isBlank() ? List.of()
                : List.of(Names.normalize(reference, Names.LOCALHOST));
        ObjectNode config = json.createObjectNode();
        Changes.apply(json, config, changes);
        Spooled layer = null;
        try {
            layer = spool(tar, "the tarball");
            String now = Instant.now().toString();
            ObjectNode root = json.createObjectNode();
            root.put("created", now);
            root.put("architecture", arch());
            root.put("os", "linux");
            root.set("config", config);
            ObjectNode rootfs = root.putObject("rootfs");
            rootfs.put("type", "layers");
            rootfs.putArray("diff_ids").add(layer.diffId());
            ObjectNode history = root.putArray("history").addObject();
            history.put("created", now);
            history.put("created_by", "/bin/sh -c #(nop) ADD file:" + hex(layer.diffId()) + " in / ");
            history.put("comment", "imported from tarball");
            byte[] bytes = json.writeValueAsBytes(root);
            ImageInfo info = store(List.of(new Candidate(sha256(bytes), bytes, List.of(layer), names))).get(0);
            users.event("import", info.id(), firstName(info.names()));
            return info;
        } catch (IOException e) {
            throw new JpodException(ErrorCode.INVALID_ARG, "cannot read the tarball: " + e.getMessage() + ": "
                    + ErrorCode.INVALID_ARG.text(), e);
        } finally {
            discard(layer == null ? List.of() : List.of(layer));
        }
    }

    // ---- load

    @Override
    public List<ImageInfo> load(InputStream archive) {
        Objects.requireNonNull(archive, "archive");
        Path dir = extract(archive);
        try {
            if (Files.isRegularFile(dir.resolve("manifest.json"))) {
                return storeAll(dockerCandidates(dir));
            }
            if (Files.exists(dir.resolve("oci-layout")) || Files.exists(dir.resolve("index.json"))) {
                return storeAll(ociCandidates(dir));
            }
            throw invalid("the archive is neither a docker-archive (it has no manifest.json) nor an OCI archive"
                    + " (it has no oci-layout and index.json)");
        } finally {
            deleteQuietly(dir);
        }
    }

    @Override
    public List<ImageInfo> loadLayout(Path dir) {
        if (dir == null || !Files.isDirectory(dir)) {
            throw invalid(dir + " is not a directory");
        }
        return storeAll(ociCandidates(dir));
    }

    /** An image to store: its config, its uncompressed layers (spooled), its names. */
    record Candidate(String id, byte[] config, List<Spooled> layers, List<String> names) {
    }

    /** An uncompressed layer tar in the temp directory, with its digest (the diff ID) and size. */
    record Spooled(Path file, String diffId, long size) {
    }

    private List<ImageInfo> storeAll(List<Candidate> candidates) {
        try {
            List<ImageInfo> loaded = store(candidates);
            for (ImageInfo i : loaded) {
                users.event("load", i.id(), firstName(i.names()));
            }
            return loaded;
        } finally {
            discard(candidates.stream().flatMap(c -> c.layers().stream()).toList());
        }
    }

    private List<Candidate> dockerCandidates(Path dir) {
        JsonNode manifest = readJson(dir, "manifest.json");
        if (!manifest.isArray() || manifest.isEmpty()) {
            throw invalid("manifest.json of the docker-archive lists no images");
        }
        List<Candidate> out = new ArrayList<>();
        try {
            for (JsonNode entry : manifest) {
                String configPath = entry.path("Config").asText("");
                if (configPath.isEmpty()) {
                    throw invalid("an entry of manifest.json has no Config");
                }
                byte[] config = Files.readAllBytes(member(dir, configPath, "manifest.json"));
                Matcher named = BLOB_PATH.matcher(configPath);
                if (named.matches() && !named.group(1).equals(sha256(config))) {
                    throw invalid("the config " + configPath + " does not match its digest (its content is sha256:"
                            + sha256(config) + ")");
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
                List<Spooled> spooled = new ArrayList<>();
                out.add(new Candidate(sha256(config), config, spooled, names));
                for (JsonNode l : layers) {
                    String path = l.asText("");
                    Path file = member(dir, path, "manifest.json");
                    Matcher m = BLOB_PATH.matcher(path);
                    if (path.startsWith("blobs/") && m.matches()) {
                        verify(file, "sha256:" + m.group(1), -1, path);
                    }
                    try (InputStream in = Files.newInputStream(file)) {
                        spooled.add(spool(in, path));
                    }
                }
                checkDiffIds(config, spooled, configPath);
            }
        } catch (IOException | RuntimeException e) {
            discard(out.stream().flatMap(c -> c.layers().stream()).toList());
            if (e instanceof RuntimeException re) {
                throw re;
            }
            throw invalid("cannot read the archive: " + e.getMessage());
        }
        return out;
    }

    private List<Candidate> ociCandidates(Path dir) {
        if (!Files.isRegularFile(dir.resolve("oci-layout"))) {
            throw invalid("the OCI layout has no oci-layout file");
        }
        JsonNode layout = readJson(dir, "oci-layout");
        if (!layout.path("imageLayoutVersion").isTextual()) {
            throw invalid("oci-layout has no imageLayoutVersion");
        }
        JsonNode index = readJson(dir, "index.json");
        JsonNode manifests = index.get("manifests");
        if (manifests == null || !manifests.isArray() || manifests.isEmpty()) {
            throw invalid("index.json lists no manifests");
        }
        List<Candidate> out = new ArrayList<>();
        try {
            for (JsonNode desc : manifests) {
                ociDescriptor(dir, desc, refName(desc, null), out, 0);
            }
        } catch (IOException | RuntimeException e) {
            discard(out.stream().flatMap(c -> c.layers().stream()).toList());
            if (e instanceof RuntimeException re) {
                throw re;
            }
            throw invalid("cannot read the OCI layout: " + e.getMessage());
        }
        return out;
    }

    private String refName(JsonNode desc, String outer) {
        JsonNode a = desc.path("annotations");
        String n = a.path(CONTAINERD_NAME).asText("");
        if (n.isEmpty()) {
            n = a.path(REF_NAME).asText("");
        }
        return n.isEmpty() ? outer : n;
    }

    private void ociDescriptor(Path dir, JsonNode desc, String name, List<Candidate> out, int depth)
            throws IOException {
        Path file = blob(dir, desc);
        JsonNode doc = parse(Files.readAllBytes(file), desc.path("digest").asText());
        String type = desc.path("mediaType").asText(doc.path("mediaType").asText(""));
        if (type.equals(OCI_INDEX) || type.equals(DOCKER_LIST) || doc.has("manifests")) {
            if (depth > 2) {
                throw invalid("the OCI indexes nest too deeply");
            }
            JsonNode pick = null;
            for (JsonNode m : doc.path("manifests")) {
                JsonNode p = m.path("platform");
                if (p.path("os").asText("").equals("linux") && p.path("architecture").asText("").equals(arch())) {
                    pick = m;
                    break;
                }
                if (pick == null && !p.path("os").asText("").equals("unknown")) {
                    pick = m;
                }
            }
            if (pick == null) {
                throw invalid("the index " + desc.path("digest").asText() + " lists no image for linux/" + arch());
            }
            ociDescriptor(dir, pick, refName(pick, name), out, depth + 1);
            return;
        }
        JsonNode configDesc = doc.path("config");
        if (!configDesc.isObject()) {
            throw invalid("the manifest " + desc.path("digest").asText() + " has no config");
        }
        byte[] config = Files.readAllBytes(blob(dir, configDesc));
        List<Spooled> spooled = new ArrayList<>();
        List<String> names = name == null || name.isEmpty() ? List.of()
                : List.of(Names.normalize(name, Names.LOCALHOST));
        out.add(new Candidate(sha256(config), config, spooled, names));
        JsonNode layers = doc.path("layers");
        if (!layers.isArray()) {
            throw invalid("the manifest " + desc.path("digest").asText() + " has no layers");
        }
        for (JsonNode l : layers) {
            Path lf = blob(dir, l);
            try (InputStream in = Files.newInputStream(lf)) {
                spooled.add(spool(in, "layer " + l.path("digest").asText()));
            }
        }
        checkDiffIds(config, spooled, "config " + configDesc.path("digest").asText());
    }

    /** The file of a blob a descriptor names, its digest and size verified. */
    private Path blob(Path dir, JsonNode desc) throws IOException {
        String digest = desc.path("digest").asText("");
        if (!digest.startsWith("sha256:") || !HEX64.matcher(digest.substring(7)).matches()) {
            throw invalid("a descriptor has no valid sha256 digest (\"" + digest + "\")");
        }
        Path file = dir.resolve("blobs").resolve("sha256").resolve(digest.substring(7));
        if (!Files.isRegularFile(file)) {
            throw invalid("blob " + digest + " is missing from the archive");
        }
        verify(file, digest, desc.path("size").asLong(-1), "blob " + digest);
        return file;
    }

    private void verify(Path file, String digest, long size, String what) throws IOException {
        MessageDigest md = sha256();
        long n = 0;
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            int r;
            while ((r = in.read(buf)) >= 0) {
                md.update(buf, 0, r);
                n += r;
            }
        }
        String actual = "sha256:" + HexFormat.of().formatHex(md.digest());
        if (!actual.equals(digest)) {
            throw invalid(what + " does not match its digest " + digest + " (its content is " + actual + ")");
        }
        if (size >= 0 && size != n) {
            throw invalid(what + " has " + n + " bytes, its descriptor says " + size);
        }
    }

    private void checkDiffIds(byte[] config, List<Spooled> layers, String what) {
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

    private Path member(Path dir, String path, String namedBy) {
        Path p = dir.resolve(path).normalize();
        if (path.isEmpty() || !p.startsWith(dir) || !Files.isRegularFile(p)) {
            throw invalid("the archive has no " + path + ", which " + namedBy + " names");
        }
        return p;
    }

    private JsonNode readJson(Path dir, String name) {
        Path f = dir.resolve(name);
        if (!Files.isRegularFile(f)) {
            throw invalid("the archive has no " + name);
        }
        try {
            return parse(Files.readAllBytes(f), name);
        } catch (IOException e) {
            throw invalid("cannot read " + name + ": " + e.getMessage());
        }
    }

    private JsonNode parse(byte[] bytes, String what) {
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

    /** Unpacks an archive (plain or gzip tar) into a fresh temp directory; nothing may leave it. */
    private Path extract(InputStream archive) {
        Path dir;
        try {
            dir = Files.createTempDirectory(tmp, "archive-");
        } catch (IOException e) {
            throw new JpodException(ErrorCode.INTERNAL, "cannot create a directory in " + tmp + ": "
                    + e.getMessage(), e);
        }
        try {
            Path real = dir.toRealPath();
            int count = 0;
            TarArchiveInputStream tar = new TarArchiveInputStream(decompress(archive, "the archive"));
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                String name = e.getName();
                Path p = dir.resolve(name).normalize();
                if (name.startsWith("/") || !p.startsWith(dir)) {
                    throw invalid("the archive's entry " + name + " points outside the archive");
                }
                count++;
                if (p.equals(dir)) {
                    continue;
                }
                if (e.isDirectory()) {
                    Files.createDirectories(p);
                    continue;
                }
                Files.createDirectories(p.getParent());
                if (!p.getParent().toRealPath().startsWith(real)) {
                    throw invalid("the archive's entry " + name + " points outside the archive");
                }
                if (e.isSymbolicLink()) {
                    // old docker-archives link identical layers: only links that stay inside are kept
                    Path target = p.getParent().resolve(e.getLinkName()).normalize();
                    if (!e.getLinkName().startsWith("/") && target.startsWith(dir)) {
                        Files.deleteIfExists(p);
                        Files.createSymbolicLink(p, p.getParent().relativize(target));
                    }
                } else if (e.isFile()) {
                    Files.copy(tar, p, StandardCopyOption.REPLACE_EXISTING);
                }
            }
            if (count == 0) {
                throw invalid("the archive is empty or not a tar archive");
            }
            return dir;
        } catch (IOException | RuntimeException e) {
            deleteQuietly(dir);
            if (e instanceof RuntimeException re) {
                throw re;
            }
            throw invalid("cannot read the archive: " + e.getMessage());
        }
    }

    private static InputStream decompress(InputStream raw, String what) throws IOException {
        BufferedInputStream in = new BufferedInputStream(raw, 1 << 16);
        in.mark(8);
        byte[] m = in.readNBytes(4);
        in.reset();
        if (m.length >= 2 && (m[0] & 0xff) == 0x1f && (m[1] & 0xff) == 0x8b) {
            return new GZIPInputStream(in, 1 << 16);
        }
        if (m.length >= 4 && (m[0] & 0xff) == 0x28 && (m[1] & 0xff) == 0xb5 && (m[2] & 0xff) == 0x2f
                && (m[3] & 0xff) == 0xfd) {
            throw invalid(what + " is zstd-compressed, which jpod does not read yet");
        }
        return in;
    }

    /** Copies a (plain or gzip) layer into the temp directory, uncompressed, computing its diff ID. */
    private Spooled spool(InputStream raw, String what) throws IOException {
        Path f = Files.createTempFile(tmp, "layer-", ".tar");
        MessageDigest md = sha256();
        long n;
        try (OutputStream out = new DigestOutputStream(new BufferedOutputStream(Files.newOutputStream(f), 1 << 16),
                md)) {
            n = decompress(raw, what).transferTo(out);
        } catch (ZipException e) {
            Files.deleteIfExists(f);
            throw invalid(what + " is not valid gzip: " + e.getMessage());
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(f);
            throw e;
        }
        return new Spooled(f, "sha256:" + HexFormat.of().formatHex(md.digest()), n);
    }

    private static void discard(List<Spooled> spooled) {
        for (Spooled s : spooled) {
            try {
                Files.deleteIfExists(s.file());
            } catch (IOException e) {
                LOG.debug("cannot remove {}: {}", s.file(), e.getMessage());
            }
        }
    }

    /**
     * Stores the candidates' layers and images. All or nothing: on a failure, images and layers created here
     * are removed again.
     */
    private synchronized List<ImageInfo> store(List<Candidate> candidates) {
        Set<String> layersBefore = storage.layers().stream().map(Storage.Layer::id).collect(Collectors.toSet());
        List<String> created = new ArrayList<>();
        Map<String, List<String>> moreNames = new LinkedHashMap<>();
        List<String> ids = new ArrayList<>();
        try {
            for (Candidate c : candidates) {
                String parent = null;
                List<Long> sizes = new ArrayList<>();
                List<String> diffIds = new ArrayList<>();
                for (Spooled s : c.layers()) {
                    parent = addLayer(parent, s).id();
                    sizes.add(s.size());
                    diffIds.add(s.diffId());
                }
                Storage.Image existing = storage.images().stream().filter(i -> i.id().equals(c.id())).findFirst()
                        .orElse(null);
                if (existing != null || created.contains(c.id())) {
                    moreNames.computeIfAbsent(c.id(), k -> new ArrayList<>()).addAll(c.names());
                } else {
                    Map<String, byte[]> data = new LinkedHashMap<>();
                    data.put(KEY_CONFIG, c.config());
                    data.put("sha256:" + c.id(), c.config());
                    data.put(KEY_MANIFEST, manifest(c.config(), diffIds, sizes));
                    storage.createImage(c.id(), c.names(), parent, data);
                    created.add(c.id());
                }
                if (!ids.contains(c.id())) {
                    ids.add(c.id());
                }
            }
            for (Map.Entry<String, List<String>> e : moreNames.entrySet()) {
                List<String> names = new ArrayList<>(storage.image(e.getKey()).names());
                boolean changed = false;
                for (String n : e.getValue()) {
                    if (!names.contains(n)) {
                        names.add(n);
                        changed = true;
                    }
                }
                if (changed) {
                    storage.setNames(e.getKey(), names);
                }
            }
        } catch (IOException | RuntimeException e) {
            rollback(created, layersBefore);
            if (e instanceof RuntimeException re) {
                throw re;
            }
            throw new JpodException(ErrorCode.INTERNAL, "cannot store the image: " + e.getMessage(), e);
        }
        return ids.stream().map(id -> info(storage.image(id))).toList();
    }

    /**
     * Keeps the tar first, then stores the layer from it: after a crash there may be a tar no layer has
     * (removed at the next start), never a layer without its tar.
     */
    private Storage.Layer addLayer(String parent, Spooled s) throws IOException {
        Path target = tarOf(s.diffId());
        if (Files.exists(target)) {
            Files.deleteIfExists(s.file());
        } else {
            Files.move(s.file(), target, StandardCopyOption.ATOMIC_MOVE);
        }
        Storage.Layer l;
        try (InputStream in = Files.newInputStream(target)) {
            l = storage.createLayer(parent, in);
        }
        if (!s.diffId().equals(l.diffId())) {
            throw new JpodException(ErrorCode.INTERNAL, "the storage computed diff ID " + l.diffId()
                    + " for a layer whose tar has digest " + s.diffId());
        }
        return l;
    }

    /** Removes the images created by a failed load and the layers it left that nothing uses. */
    private void rollback(List<String> createdImages, Set<String> layersBefore) {
        for (String id : createdImages) {
            try {
                storage.deleteImage(id);
            } catch (RuntimeException e) {
                LOG.warn("cannot remove image {} after a failed load: {}", id, e.getMessage());
            }
        }
        try {
            // the new layers nothing uses, leaves first (a removed layer may free its parent)
            boolean more = true;
            while (more) {
                more = false;
                List<Storage.Layer> all = storage.layers();
                Set<String> parents = all.stream().map(Storage.Layer::parent).filter(Objects::nonNull)
                        .collect(Collectors.toSet());
                Set<String> tops = storage.images().stream().map(Storage.Image::topLayer).filter(Objects::nonNull)
                        .collect(Collectors.toSet());
                for (Storage.Layer l : all) {
                    if (!layersBefore.contains(l.id()) && !parents.contains(l.id()) && !tops.contains(l.id())) {
                        storage.deleteLayer(l.id());
                        more = true;
                        break;
                    }
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("cannot remove the layers of a failed load: {}", e.getMessage());
        }
        gcTars();
    }

    /** Removes kept layer tars whose diff ID no layer has any more. */
    private void gcTars() {
        Set<String> used = storage.layers().stream().map(Storage.Layer::diffId).filter(Objects::nonNull)
                .map(ImageService::hex).collect(Collectors.toSet());
        try (var ds = Files.newDirectoryStream(tars)) {
            for (Path p : ds) {
                if (!used.contains(p.getFileName().toString())) {
                    Files.deleteIfExists(p);
                }
            }
        } catch (IOException e) {
            LOG.warn("cannot clean {}: {}", tars, e.getMessage());
        }
    }

    private byte[] manifest(byte[] config, List<String> diffIds, List<Long> sizes) {
        ObjectNode m = json.createObjectNode();
        m.put("schemaVersion", 2);
        m.put("mediaType", OCI_MANIFEST);
        ObjectNode c = m.putObject("config");
        c.put("mediaType", OCI_CONFIG);
        c.put("digest", "sha256:" + sha256(config));
        c.put("size", config.length);
        ArrayNode layers = m.putArray("layers");
        for (int i = 0; i < diffIds.size(); i++) {
            ObjectNode l = layers.addObject();
            l.put("mediaType", OCI_LAYER);
            l.put("digest", diffIds.get(i));
            l.put("size", sizes.get(i));
        }
        try {
            return json.writeValueAsBytes(m);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- save

    @Override
    public synchronized void save(List<String> references, String format, OutputStream out) {
        Objects.requireNonNull(out, "out");
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
            Storage.Image img = resolve(ref);
            List<String> names = selected.computeIfAbsent(img.id(), k -> new ArrayList<>());
            String name = nameMatching(img, ref);
            if (name != null && !names.contains(name)) {
                names.add(name);
            }
        }
        // everything is checked before the first byte is written
        Map<String, byte[]> configs = new HashMap<>();
        Map<String, List<Storage.Layer>> chains = new HashMap<>();
        for (String id : selected.keySet()) {
            byte[] config = config(id);
            if (config == null) {
                throw new JpodException(ErrorCode.INTERNAL, "image " + id + " has no config in the storage");
            }
            configs.put(id, config);
            List<Storage.Layer> chain = chain(storage.image(id).topLayer());
            for (Storage.Layer l : chain) {
                if (l.diffId() == null || !Files.isRegularFile(tarOf(l.diffId()))) {
                    throw new JpodException(ErrorCode.NOT_IMPLEMENTED, "the content of layer " + l.id() + " of image "
                            + id + " was not kept when it was stored (only layers imported or loaded through the"
                            + " image service are): saving it needs a diff export from the storage: "
                            + ErrorCode.NOT_IMPLEMENTED.text());
                }
            }
            chains.put(id, chain);
        }
        try {
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
            index.put("mediaType", OCI_INDEX);
            ArrayNode indexManifests = index.putArray("manifests");
            for (Map.Entry<String, List<String>> e : selected.entrySet()) {
                String id = e.getKey();
                List<String> diffIds = new ArrayList<>();
                List<Long> sizes = new ArrayList<>();
                ArrayNode layerPaths = json.createArrayNode();
                for (Storage.Layer l : chains.get(id)) {
                    Path t = tarOf(l.diffId());
                    diffIds.add(l.diffId());
                    sizes.add(Files.size(t));
                    layerPaths.add("blobs/sha256/" + hex(l.diffId()));
                    if (written.add(hex(l.diffId()))) {
                        file(tar, "blobs/sha256/" + hex(l.diffId()), t);
                    }
                }
                byte[] config = configs.get(id);
                if (written.add(id)) {
                    bytes(tar, "blobs/sha256/" + id, config);
                }
                if (oci) {
                    byte[] manifest = manifest(config, diffIds, sizes);
                    String digest = sha256(manifest);
                    if (written.add(digest)) {
                        bytes(tar, "blobs/sha256/" + digest, manifest);
                    }
                    List<String> names = e.getValue().isEmpty() ? java.util.Collections.singletonList(null)
                            : e.getValue();
                    for (String name : names) {
                        ObjectNode d = indexManifests.addObject();
                        d.put("mediaType", OCI_MANIFEST);
                        d.put("digest", "sha256:" + digest);
                        d.put("size", manifest.length);
                        if (name != null) {
                            d.putObject("annotations").put(REF_NAME, name);
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
                            JsonNode r = repositories.get(Names.familiar(Names.repository(name)));
                            ObjectNode repo = r instanceof ObjectNode o ? o
                                    : repositories.putObject(Names.familiar(Names.repository(name)));
                            repo.put(tag, hex(diffIds.get(diffIds.size() - 1)));
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
            for (Map.Entry<String, List<String>> e : selected.entrySet()) {
                users.event("save", e.getKey(), firstName(e.getValue()));
            }
        } catch (IOException e) {
            throw new JpodException(ErrorCode.INTERNAL, "cannot write the " + f + ": " + e.getMessage(), e);
        }
    }

    private static final Instant EPOCH = Instant.EPOCH;

    private static void directory(TarArchiveOutputStream tar, String name) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setMode(040755);
        e.setModTime(EPOCH.toEpochMilli());
        tar.putArchiveEntry(e);
        tar.closeArchiveEntry();
    }

    private static void bytes(TarArchiveOutputStream tar, String name, byte[] data) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setMode(0100644);
        e.setSize(data.length);
        e.setModTime(EPOCH.toEpochMilli());
        tar.putArchiveEntry(e);
        tar.write(data);
        tar.closeArchiveEntry();
    }

    private static void file(TarArchiveOutputStream tar, String name, Path file) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setMode(0100644);
        e.setSize(Files.size(file));
        e.setModTime(EPOCH.toEpochMilli());
        tar.putArchiveEntry(e);
        try (InputStream in = Files.newInputStream(file)) {
            in.transferTo(tar);
        }
        tar.closeArchiveEntry();
    }

    /** The name of {@code img} that {@code ref} means, or null when {@code ref} is its ID. */
    private static String nameMatching(Storage.Image img, String ref) {
        if (img.names().contains(ref)) {
            return ref;
        }
        for (String domain : List.of(Names.LOCALHOST, Names.DOCKER_IO)) {
            String n = Names.tryNormalize(ref, domain);
            if (n != null && img.names().contains(n)) {
                return n;
            }
        }
        if (!ref.contains("@")) {
            int slash = ref.lastIndexOf('/');
            String full = ref.indexOf(':', slash + 1) < 0 ? ref + ":latest" : ref;
            for (String n : img.names()) {
                if (n.endsWith("/" + full)) {
                    return n;
                }
            }
        }
        return null;
    }

    // ---- names

    @Override
    public synchronized void tag(String image, String reference) {
        Storage.Image img = resolve(image);
        String name = Names.normalize(reference, Names.LOCALHOST);
        if (!img.names().contains(name)) {
            List<String> names = new ArrayList<>(img.names());
            names.add(name);
            storage.setNames(img.id(), names);
        }
        users.event("tag", img.id(), name);
    }

    @Override
    public synchronized void untag(String image, String reference) {
        Storage.Image img = resolve(image);
        String name = img.names().contains(reference) ? reference : Names.normalize(reference, Names.LOCALHOST);
        if (!img.names().contains(name)) {
            String docker = Names.tryNormalize(reference, Names.DOCKER_IO);
            if (docker == null || !img.names().contains(docker)) {
                throw new JpodException(ErrorCode.INVALID_ARG, name + ": tag not known");
            }
            name = docker;
        }
        List<String> names = new ArrayList<>(img.names());
        names.remove(name);
        storage.setNames(img.id(), names);
        users.event("untag", img.id(), name);
    }

    // ---- remove

    @Override
    public synchronized void remove(String image, boolean force) {
        Storage.Image img = resolve(image);
        String byName = nameMatching(img, image);
        if (!force && byName != null && img.names().size() > 1) {
            // as libimage: an image with several names referred to by one of them loses only that name
            List<String> names = new ArrayList<>(img.names());
            names.remove(byName);
            storage.setNames(img.id(), names);
            users.event("untag", img.id(), byName);
            return;
        }
        List<String> using = new ArrayList<>(users.containersUsing(img.id()));
        for (Storage.ContainerLayer c : storage.containers()) {
            if (img.id().equals(c.imageId()) && !using.contains(c.id())) {
                using.add(c.id());
            }
        }
        if (!using.isEmpty()) {
            if (!force) {
                throw new JpodException(ErrorCode.IMAGE_IN_USE, "image " + img.id() + " is in use by container(s) "
                        + String.join(", ", using) + " (remove them, or use force): "
                        + ErrorCode.IMAGE_IN_USE.text());
            }
            for (String c : users.containersUsing(img.id())) {
                users.removeContainer(c);
            }
        }
        storage.deleteImage(img.id());
        gcTars();
        users.event("remove", img.id(), firstName(img.names()));
    }

    private static String firstName(List<String> names) {
        return names.isEmpty() ? null : names.get(0);
    }

    // ---- list, inspect

    @Override
    public List<ImageInfo> list() {
        Map<String, Storage.Layer> layers = layerMap();
        return storage.images().stream().map(i -> info(i, layers)).toList();
    }

    @Override
    public ImageInfo inspect(String image) {
        return info(resolve(image));
    }

    /** By ID, unique ID prefix, full name, normalised name or short name; podman's error otherwise. */
    Storage.Image resolve(String image) {
        if (image == null || image.isBlank()) {
            throw JpodException.of(ErrorCode.EMPTY_ID, "image");
        }
        try {
            return storage.image(image);
        } catch (JpodException e) {
            if (e.code() != ErrorCode.NO_SUCH_IMAGE) {
                throw e;
            }
        }
        for (String domain : List.of(Names.LOCALHOST, Names.DOCKER_IO)) {
            String n = Names.tryNormalize(image, domain);
            if (n != null && !n.equals(image)) {
                for (Storage.Image i : storage.images()) {
                    if (i.names().contains(n)) {
                        return i;
                    }
                }
            }
        }
        throw new JpodException(ErrorCode.NO_SUCH_IMAGE, image + ": image not known");
    }

    private ImageInfo info(Storage.Image img) {
        return info(img, layerMap());
    }

    private Map<String, Storage.Layer> layerMap() {
        Map<String, Storage.Layer> m = new HashMap<>();
        for (Storage.Layer l : storage.layers()) {
            m.put(l.id(), l);
        }
        return m;
    }

    private ImageInfo info(Storage.Image img, Map<String, Storage.Layer> layers) {
        byte[] config = config(img.id());
        JsonNode root = json.createObjectNode();
        if (config != null) {
            try {
                root = json.readTree(config);
            } catch (IOException e) {
                LOG.warn("the config of image {} is not valid JSON: {}", img.id(), e.getMessage());
            }
        }
        Instant created = img.created();
        String c = root.path("created").asText("");
        if (!c.isEmpty()) {
            try {
                created = Instant.parse(c);
            } catch (DateTimeParseException e) {
                LOG.debug("image {} has an unreadable creation time {}", img.id(), c);
            }
        }
        List<String> diffIds = new ArrayList<>();
        long size = 0;
        for (Storage.Layer l : chain(img.topLayer(), layers)) {
            diffIds.add(l.diffId());
            size += l.size();
        }
        return new ImageInfo(img.id(), img.names(), img.digest(), created, size, imageConfig(root.path("config")),
                diffIds);
    }

    private static ImageConfig imageConfig(JsonNode c) {
        Map<String, String> labels = new LinkedHashMap<>();
        c.path("Labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
        List<String> ports = new ArrayList<>();
        c.path("ExposedPorts").fieldNames().forEachRemaining(ports::add);
        List<String> volumes = new ArrayList<>();
        c.path("Volumes").fieldNames().forEachRemaining(volumes::add);
        String workdir = c.path("WorkingDir").asText("");
        String user = c.path("User").asText("");
        String stop = c.path("StopSignal").asText("");
        return new ImageConfig(strings(c.path("Env")), strings(c.path("Cmd")), strings(c.path("Entrypoint")),
                workdir.isEmpty() ? null : workdir, user.isEmpty() ? null : user, ports, volumes, labels,
                stop.isEmpty() ? null : stop);
    }

    private static List<String> strings(JsonNode n) {
        List<String> out = new ArrayList<>();
        if (n.isArray()) {
            n.forEach(e -> out.add(e.asText()));
        } else if (n.isTextual()) {
            out.add(n.asText());
        }
        return out;
    }

    private List<Storage.Layer> chain(String top) {
        return chain(top, layerMap());
    }

    private static List<Storage.Layer> chain(String top, Map<String, Storage.Layer> layers) {
        List<Storage.Layer> out = new ArrayList<>();
        for (String id = top; id != null; ) {
            Storage.Layer l = layers.get(id);
            if (l == null) {
                throw new JpodException(ErrorCode.INTERNAL, "layer " + id + " is missing from the storage");
            }
            out.add(0, l);
            id = l.parent();
        }
        return out;
    }

    /** The image's config: big data {@code config}, else under its digest. */
    private byte[] config(String id) {
        byte[] b = bigData(id, KEY_CONFIG);
        return b != null ? b : bigData(id, "sha256:" + id);
    }

    /** A named blob of an image, or null. */
    byte[] bigData(String id, String key) {
        return storage.imageBigData(id, key);
    }

    // ---- container defaults

    @Override
    public ContainerConfig withImageDefaults(ContainerConfig spec) {
        Objects.requireNonNull(spec, "spec");
        String ref = spec.image() != null && !spec.image().isEmpty() ? spec.image() : spec.imageId();
        if (ref == null || ref.isEmpty()) {
            return spec;
        }
        Storage.Image img = resolve(ref);
        ImageConfig ic = info(img).config();
        ContainerConfig.Builder b = spec.toBuilder().imageId(img.id());
        if (spec.image() == null || spec.image().isEmpty()) {
            b.image(ref);
        }
        if (!spec.entrypoint().isEmpty()) {
            // an entrypoint given resets the image's Cmd, as in podman
            b.command(spec.command());
        } else {
            b.entrypoint(ic.entrypoint());
            b.command(spec.command().isEmpty() ? ic.cmd() : spec.command());
        }
        Map<String, String> env = new LinkedHashMap<>();
        for (String e : ic.env()) {
            env.put(envKey(e), e);
        }
        for (String e : spec.env()) {
            env.remove(envKey(e));
            env.put(envKey(e), e);
        }
        b.env(List.copyOf(env.values()));
        if ((spec.workingDir() == null || spec.workingDir().isEmpty()) && ic.workingDir() != null) {
            b.workingDir(ic.workingDir());
        }
        if ((spec.user() == null || spec.user().isEmpty()) && ic.user() != null) {
            b.user(ic.user());
        }
        Map<String, String> labels = new LinkedHashMap<>(ic.labels());
        labels.putAll(spec.labels());
        b.labels(labels);
        // the image's VOLUMEs become anonymous volumes, as podman makes them, unless something is mounted there
        List<io.jpod.api.Mount> mounts = new ArrayList<>(spec.mounts());
        for (String dest : ic.volumes()) {
            if (spec.mounts().stream().noneMatch(m -> dest.equals(m.destination()))) {
                mounts.add(new io.jpod.api.Mount("volume", "", dest, List.of()));
            }
        }
        b.mounts(mounts);
        if ((spec.stopSignal() == 0 || spec.stopSignal() == 15) && ic.stopSignal() != null) {
            b.stopSignal(Signals.parse(ic.stopSignal()));
        }
        return b.build();
    }

    private static String envKey(String e) {
        int eq = e.indexOf('=');
        return eq < 0 ? e : e.substring(0, eq);
    }

    // ---- helpers

    static String arch() {
        String a = System.getProperty("os.arch", "amd64").toLowerCase(Locale.ROOT);
        return switch (a) {
            case "x86_64", "amd64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            default -> a;
        };
    }

    static String hex(String digest) {
        return digest.startsWith("sha256:") ? digest.substring(7) : digest;
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String sha256(byte[] b) {
        return HexFormat.of().formatHex(sha256().digest(b));
    }

    static JpodException invalid(String detail) {
        return new JpodException(ErrorCode.INVALID_ARG, detail + ": " + ErrorCode.INVALID_ARG.text());
    }

    private static void deleteQuietly(Path p) {
        try {
            deleteRecursive(p);
        } catch (IOException e) {
            LOG.warn("cannot remove {}: {}", p, e.getMessage());
        }
    }

    private static void deleteRecursive(Path p) throws IOException {
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
            try (var ds = Files.newDirectoryStream(p)) {
                for (Path c : ds) {
                    deleteRecursive(c);
                }
            }
        }
        Files.delete(p);
    }
}
