package io.jpod.image.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;
import io.jpod.api.PullEvent;
import io.jpod.api.registry.Descriptor;
import io.jpod.api.registry.ImageReference;
import io.jpod.api.registry.Registries;
import io.jpod.api.registry.RegistryOptions;
import io.jpod.spi.storage.Storage;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.zip.GZIPOutputStream;

/**
 * A push to a registry: the config, the layers (blobs the registry has are not sent), then the manifest. An
 * image pulled from a registry is pushed with the manifest it came with when the destination has its layers
 * (the same registry, another tag), so that its digest stays; otherwise the manifest is built here, the same
 * for the same image every time: OCI, its layers gzip-compressed from the kept tars by a deterministic gzip (no
 * name, no time), so that pushing an image twice gives one digest and a pull of it gives that digest back.
 * Layers go up in parallel on a small pool of the push's own. A blob the destination lacks is first asked to be
 * mounted from the other repositories of the same registry that the image came from or went to (its
 * RepoDigests), as docker and podman do; a registry that will not mount it gets it uploaded. An image whose
 * stored manifest is a manifest list or an index is refused: jpod pushes one platform's image.
 */
final class RegistryPush {
    static final String LAYER_GZIP = "application/vnd.oci.image.layer.v1.tar+gzip";
    /** How many layers one push compresses and sends at once, all pushes together. */
    static final int PUSH_THREADS = 3;

    private final Storage storage;
    private final ImageCatalog catalog;
    private final LayerTars tars;
    private final ArchiveSpool spool;
    private final ObjectMapper json;
    private final Function<String, List<String>> repoDigests;
    private final ThreadPoolExecutor pool;

    RegistryPush(Storage storage, ImageCatalog catalog, LayerTars tars, ArchiveSpool spool, ObjectMapper json,
            Function<String, List<String>> repoDigests) {
        this.storage = storage;
        this.catalog = catalog;
        this.tars = tars;
        this.spool = spool;
        this.json = json;
        this.repoDigests = repoDigests;
        AtomicInteger threads = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(PUSH_THREADS, PUSH_THREADS, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "jpod-push-" + threads.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        pool.allowCoreThreadTimeOut(true);
    }

    /** Stops the push threads (the pushes in flight fail). */
    void close() {
        pool.shutdownNow();
    }

    /** The other repositories of {@code ref}'s registry that the image is known in: where blobs may be mounted from. */
    private List<String> mountSources(Registries registries, Storage.Image img, ImageReference ref) {
        List<String> out = new ArrayList<>();
        for (String rd : repoDigests.apply(img.id())) {
            try {
                ImageReference r = registries.parse(rd);
                if (r.registry().equals(ref.registry()) && !r.repository().equals(ref.repository())
                        && !out.contains(r.repository())) {
                    out.add(r.repository());
                }
            } catch (JpodException e) {
                // a record that no longer parses: no source
            }
        }
        return out;
    }

    /** Whether the destination has the blob, or has it now that one of {@code from} lent it. */
    private static boolean present(Registries registries, ImageReference ref, String digest, List<String> from,
            RegistryOptions options) {
        if (registries.hasBlob(ref, digest, options)) {
            return true;
        }
        for (String repo : from) {
            if (registries.mountBlob(ref, digest, repo, options)) {
                return true;
            }
        }
        return false;
    }

    /** Where the image went and the digest of its manifest there. */
    record Pushed(String imageId, ImageReference destination, String digest) {
    }

    Pushed push(Registries registries, String image, String destination, RegistryOptions options,
            PullProgress progress) {
        Storage.Image img = catalog.resolve(image);
        String dest = destination == null || destination.isBlank() ? null : destination.strip();
        if (dest != null && dest.startsWith("docker://")) {
            dest = dest.substring("docker://".length());
        }
        if (dest == null) {
            String named = ImageCatalog.nameMatching(img, image);
            dest = named != null ? named : img.names().isEmpty() ? null : img.names().get(0);
            if (dest == null) {
                throw ImageErrors.invalid("image " + image + " has no name to push it by: give a destination");
            }
        }
        ImageReference ref = registries.parse(dest);
        PullProgress p = progress.forReference(ref.toString());
        byte[] config = catalog.config(img.id());
        if (config == null) {
            throw new JpodException(ErrorCode.INTERNAL, "image " + img.id() + " has no config in the storage");
        }
        List<String> diffIds = catalog.chain(img.topLayer()).stream().map(Storage.Layer::diffId).toList();
        Descriptor configDesc = new Descriptor(configMediaType(img), Digests.SHA256 + Digests.sha256(config),
                config.length, null);
        byte[] stored = storage.imageBigData(img.id(), ImageCatalog.KEY_MANIFEST);
        refuseList(image, parse(stored));
        List<String> from = mountSources(registries, img, ref);
        String digest = reusable(registries, ref, stored, configDesc, diffIds, from, options)
                ? pushStored(registries, ref, stored, config, configDesc, from, options, p)
                : pushBuilt(registries, ref, config, configDesc, diffIds, from, options, p);
        p.tell(PullEvent.Kind.MANIFEST_PUSHED, digest);
        return new Pushed(img.id(), ref, digest);
    }

    /** A manifest list or an OCI index is not pushed: jpod keeps and pushes one platform's image. */
    static void refuseList(String image, JsonNode stored) {
        if (stored == null) {
            return;
        }
        String t = stored.path("mediaType").asText("");
        if (t.equals(Oci.INDEX) || t.equals(Oci.DOCKER_LIST) || stored.has("manifests")) {
            throw ImageErrors.invalid("image " + image + " is a manifest list: jpod pushes one platform's image;"
                    + " pushing a manifest list is not supported yet");
        }
    }

    /** The config's media type: Docker's when the image came with a Docker manifest, else OCI's. */
    private String configMediaType(Storage.Image img) {
        JsonNode m = parse(storage.imageBigData(img.id(), ImageCatalog.KEY_MANIFEST));
        String t = m == null ? "" : m.path("config").path("mediaType").asText("");
        return t.isEmpty() ? Oci.CONFIG : t;
    }

    private JsonNode parse(byte[] b) {
        if (b == null) {
            return null;
        }
        try {
            return json.readTree(b);
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * Whether the stored manifest is a registry's (its layers are not the uncompressed tars) for this config
     * whose layers the destination has: then it is pushed as it is.
     */
    private boolean reusable(Registries registries, ImageReference ref, byte[] stored, Descriptor config,
            List<String> diffIds, List<String> from, RegistryOptions options) {
        JsonNode m = parse(stored);
        if (m == null || !config.digest().equals(m.path("config").path("digest").asText())) {
            return false;
        }
        JsonNode layers = m.path("layers");
        if (!layers.isArray() || layers.size() != diffIds.size()) {
            return false;
        }
        for (int i = 0; i < layers.size(); i++) {
            if (layers.get(i).path("digest").asText().equals(diffIds.get(i))) {
                // the store's own manifest of uncompressed layers: build a compressed one
                return false;
            }
        }
        for (JsonNode l : layers) {
            if (!present(registries, ref, l.path("digest").asText(), from, options)) {
                return false;
            }
        }
        return true;
    }

    private String pushStored(Registries registries, ImageReference ref, byte[] stored, byte[] config,
            Descriptor configDesc, List<String> from, RegistryOptions options, PullProgress p) {
        JsonNode m = parse(stored);
        for (JsonNode l : m.path("layers")) {
            p.tell(PullEvent.Kind.PUSH_EXISTS, l.path("digest").asText(), 0, l.path("size").asLong());
        }
        pushConfig(registries, ref, config, configDesc, from, options, p);
        String type = m.path("mediaType").asText(Oci.MANIFEST);
        p.checkNotStopped();
        return registries.putManifest(ref, type, stored, options);
    }

    private void pushConfig(Registries registries, ImageReference ref, byte[] config, Descriptor d,
            List<String> from, RegistryOptions options, PullProgress p) {
        if (present(registries, ref, d.digest(), from, options)) {
            p.tell(PullEvent.Kind.PUSH_EXISTS, d.digest(), 0, d.size());
            return;
        }
        p.tell(PullEvent.Kind.PUSH_WAITING, d.digest(), 0, d.size());
        registries.putBlob(ref, d, new ByteArrayInputStream(config), options);
        p.tell(PullEvent.Kind.PUSHED, d.digest(), d.size(), d.size());
    }

    private String pushBuilt(Registries registries, ImageReference ref, byte[] config, Descriptor configDesc,
            List<String> diffIds, List<String> from, RegistryOptions options, PullProgress p) {
        List<Future<Descriptor>> running = new ArrayList<>();
        for (String diffId : diffIds) {
            Path tar = tars.of(diffId);
            if (!Files.isRegularFile(tar)) {
                throw new JpodException(ErrorCode.INTERNAL, "the tar of layer " + diffId + " is missing from "
                        + tar.getParent() + ": the image cannot be pushed; remove it and pull or load it again");
            }
        }
        List<Descriptor> layers = new ArrayList<>();
        try {
            for (String diffId : diffIds) {
                running.add(pool.submit(() -> pushLayer(registries, ref, diffId, from, options, p)));
            }
            for (Future<Descriptor> f : running) {
                layers.add(f.get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JpodException(ErrorCode.INTERNAL, "push of " + ref + " interrupted", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException r) {
                throw r;
            }
            throw new JpodException(ErrorCode.INTERNAL, "push of " + ref + ": " + c, c);
        } finally {
            running.forEach(f -> f.cancel(true));
        }
        pushConfig(registries, ref, config, configDesc, from, options, p);
        byte[] manifest = manifest(configDesc, layers);
        p.checkNotStopped();
        return registries.putManifest(ref, Oci.MANIFEST, manifest, options);
    }

    /** One layer: compressed into the spool, then mounted or sent unless the destination has it. */
    private Descriptor pushLayer(Registries registries, ImageReference ref, String diffId, List<String> from,
            RegistryOptions options, PullProgress p) {
        Path gz = null;
        try {
            gz = spool.newFile("push-");
            Descriptor d = gzip(tars.of(diffId), gz);
            if (present(registries, ref, d.digest(), from, options)) {
                p.tell(PullEvent.Kind.PUSH_EXISTS, d.digest(), 0, d.size());
                return d;
            }
            p.tell(PullEvent.Kind.PUSH_WAITING, d.digest(), 0, d.size());
            try (InputStream in = new Uploading(Files.newInputStream(gz), d, p)) {
                registries.putBlob(ref, d, in, options);
            }
            p.tell(PullEvent.Kind.PUSHED, d.digest(), d.size(), d.size());
            return d;
        } catch (IOException e) {
            throw new JpodException(ErrorCode.INTERNAL, "cannot compress layer " + diffId + " to push it: "
                    + e.getMessage(), e);
        } finally {
            if (gz != null) {
                try {
                    Files.deleteIfExists(gz);
                } catch (IOException e) {
                    // the spool is emptied at the next start
                }
            }
        }
    }

    /** The OCI manifest of the config and the compressed layers; the same bytes for the same image. */
    byte[] manifest(Descriptor config, List<Descriptor> layers) {
        ObjectNode m = json.createObjectNode();
        m.put("schemaVersion", 2);
        m.put("mediaType", Oci.MANIFEST);
        ObjectNode c = m.putObject("config");
        c.put("mediaType", Oci.CONFIG);
        c.put("digest", config.digest());
        c.put("size", config.size());
        ArrayNode a = m.putArray("layers");
        for (Descriptor d : layers) {
            ObjectNode l = a.addObject();
            l.put("mediaType", d.mediaType());
            l.put("digest", d.digest());
            l.put("size", d.size());
        }
        try {
            return json.writeValueAsBytes(m);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Compresses {@code tar} into {@code gz} (java.util.zip's header: no name, time 0): its descriptor. The
     * fastest deflate level: compressing is most of a push's time (one core a layer), and a few more bytes on
     * loopback or a LAN cost less than that.
     */
    static Descriptor gzip(Path tar, Path gz) throws IOException {
        MessageDigest md = Digests.sha256();
        try (InputStream in = Files.newInputStream(tar);
                GZIPOutputStream z = new FastGzip(new DigestOutputStream(new BufferedOutputStream(
                        Files.newOutputStream(gz), 1 << 16), md))) {
            in.transferTo(z);
        }
        return new Descriptor(LAYER_GZIP, Digests.SHA256 + Digests.hex(md.digest()), Files.size(gz), null);
    }

    /** gzip at {@link java.util.zip.Deflater#BEST_SPEED}, deterministic as the default level is. */
    private static final class FastGzip extends GZIPOutputStream {
        FastGzip(java.io.OutputStream out) throws IOException {
            super(out, 1 << 16);
            def.setLevel(java.util.zip.Deflater.BEST_SPEED);
        }
    }

    /** A blob's bytes as they are sent, told as UPLOADING events. */
    private static final class Uploading extends FilterInputStream {
        private final Descriptor d;
        private final PullProgress p;
        private long n;
        private long last;

        Uploading(InputStream in, Descriptor d, PullProgress p) {
            super(in);
            this.d = d;
            this.p = p;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (p.stopped()) {
                throw new InterruptedIOException("the push of " + p.reference() + " stopped: its client "
                        + "went away");
            }
            int r = super.read(b, off, len);
            if (r > 0) {
                n += r;
                long now = System.nanoTime();
                if (now - last > 100_000_000L) {
                    last = now;
                    p.tell(PullEvent.Kind.UPLOADING, d.digest(), n, d.size());
                }
            }
            return r;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                n++;
            }
            return b;
        }
    }
}
