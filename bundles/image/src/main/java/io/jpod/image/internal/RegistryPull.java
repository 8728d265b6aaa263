package io.jpod.image.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.jpod.api.ErrorCode;
import io.jpod.api.ImageInfo;
import io.jpod.api.JpodException;
import io.jpod.api.PullEvent;
import io.jpod.api.PullOptions;
import io.jpod.api.registry.Descriptor;
import io.jpod.api.registry.ImageManifest;
import io.jpod.api.registry.ImageReference;
import io.jpod.api.registry.Platform;
import io.jpod.api.registry.Registries;
import io.jpod.spi.storage.Storage;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A pull from a registry, as libimage's copy: the candidates a name may mean tried in order; for the first that
 * has it, the manifest for the platform, the config, then the layers in parallel on the service's small pool
 * (each verified by digest and size, its diff ID checked against the config's; a layer whose tar is kept
 * already is not fetched; one another pull is fetching is waited for); then the image stored all or nothing,
 * under its name, with the registry's manifest so that its digest is the registry's.
 */
final class RegistryPull {
    private static final Logger LOG = LoggerFactory.getLogger(RegistryPull.class);
    /** No image config comes near this; a bigger "config" is not one. */
    private static final int MAX_CONFIG = 32 << 20;

    /** What the pull needs of the service: its store, under its lock. */
    interface Store {
        List<ImageInfo> store(List<Candidate> candidates);

        /** Adds {@code name} to the stored image {@code id} (and records {@code repoDigest}), under the lock. */
        ImageInfo name(String id, String name, String repoDigest);

        /** Records a registry digest of a stored image, under the lock. */
        void record(String id, String repoDigest);
    }

    private final Storage storage;
    private final ArchiveSpool spool;
    private final LayerTars tars;
    private final ArchiveChecks checks;
    private final LayerFetcher fetcher;
    private final ExecutorService pool;
    private final Store store;

    RegistryPull(Storage storage, ArchiveSpool spool, LayerTars tars, ArchiveChecks checks, LayerFetcher fetcher,
            ExecutorService pool, Store store) {
        this.storage = storage;
        this.spool = spool;
        this.tars = tars;
        this.checks = checks;
        this.fetcher = fetcher;
        this.pool = pool;
        this.store = store;
    }

    /** The image {@code reference} means, from the first candidate registry that has it. */
    ImageInfo pull(Registries registries, String reference, PullOptions options, PullProgress progress) {
        List<ImageReference> candidates = registries.candidates(reference);
        if (candidates.isEmpty()) {
            throw ImageErrors.invalid(reference + ": no registry to pull it from (registries.conf has no "
                    + "unqualified-search-registries): qualify the name with a registry");
        }
        List<JpodException> errors = new ArrayList<>();
        for (ImageReference ref : candidates) {
            PullProgress p = progress.forReference(ref.toString());
            p.tell(PullEvent.Kind.TRYING, null);
            try {
                return pullOne(registries, ref, options, p);
            } catch (JpodException e) {
                // nobody waits for the next candidate
                p.checkNotStopped();
                LOG.debug("pull of {} failed: {}", ref, e.getMessage());
                errors.add(e);
            }
        }
        if (errors.size() == 1) {
            throw errors.get(0);
        }
        StringBuilder m = new StringBuilder("unable to pull " + reference + ": " + errors.size()
                + " errors occurred:");
        ErrorCode code = ErrorCode.NO_SUCH_IMAGE;
        for (JpodException e : errors) {
            m.append("\n\t* ").append(e.getMessage());
            if (e.code() != ErrorCode.NO_SUCH_IMAGE && code == ErrorCode.NO_SUCH_IMAGE) {
                code = e.code();
            }
        }
        throw new JpodException(code, m.toString());
    }

    /** The name an image pulled by {@code ref} gets: with its tag, else by digest. */
    static String nameOf(ImageReference ref) {
        return ref.tag() != null ? ref.name() + ":" + ref.tag() : ref.name() + "@" + ref.digest();
    }

    private ImageInfo pullOne(Registries registries, ImageReference ref, PullOptions options, PullProgress p) {
        Platform platform = options.platform() != null ? options.platform() : registries.hostPlatform();
        ImageManifest m = registries.manifest(ref, platform, options.registry());
        String manifestDigest = m.reference() != null && m.reference().digest() != null ? m.reference().digest()
                : Digests.SHA256 + Digests.sha256(m.raw());
        p.tell(PullEvent.Kind.RESOLVED, manifestDigest);
        String name = Names.normalize(nameOf(ref), Names.DOCKER_IO);
        String repoDigest = ref.name() + "@" + manifestDigest;
        Descriptor configDesc = m.config();
        if (configDesc == null || configDesc.digest() == null || !configDesc.digest().startsWith(Digests.SHA256)) {
            throw ImageErrors.invalid("the manifest of " + ref + " names no sha256 config");
        }
        String id = Digests.hex(configDesc.digest());
        if (storedWhole(id)) {
            for (Descriptor l : m.layers()) {
                p.tell(PullEvent.Kind.LAYER_EXISTS, l.digest(), 0, l.size());
            }
            ImageInfo info = store.name(id, name, repoDigest);
            p.tell(PullEvent.Kind.UP_TO_DATE, id);
            return info;
        }
        p.tell(PullEvent.Kind.CONFIG, configDesc.digest(), 0, configDesc.size());
        byte[] config = config(registries, ref, configDesc, options, p);
        p.checkNotStopped();
        List<String> diffIds = diffIds(config, m.layers().size(), configDesc.digest());
        List<LayerFetcher.Lease> leases = new ArrayList<>();
        List<SpooledLayer> spooled = new ArrayList<>();
        List<Future<LayerFetcher.Fetched>> futures = new ArrayList<>();
        AtomicBoolean abort = new AtomicBoolean();
        try {
            for (int i = 0; i < m.layers().size(); i++) {
                Descriptor d = m.layers().get(i);
                String diffId = diffIds.get(i);
                SpooledLayer kept = keptLayer(diffId);
                if (kept != null) {
                    p.tell(PullEvent.Kind.LAYER_EXISTS, d.digest(), 0, d.size());
                    futures.add(java.util.concurrent.CompletableFuture.completedFuture(
                            new LayerFetcher.Fetched(kept, null)));
                    continue;
                }
                p.tell(PullEvent.Kind.LAYER_WAITING, d.digest(), 0, d.size());
                futures.add(pool.submit(() -> fetcher.fetch(d.digest(), () -> download(registries, ref, d, options, p, abort),
                        () -> p.tell(PullEvent.Kind.LAYER_WAITING, d.digest(), 0, d.size()))));
            }
            // every fetch runs to its end (an aborted one soon): each one's spooled copy and lease are then known
            RuntimeException failure = null;
            for (Future<LayerFetcher.Fetched> f : futures) {
                try {
                    LayerFetcher.Fetched r = getUninterruptibly(f);
                    spooled.add(r.layer());
                    if (r.lease() != null) {
                        leases.add(r.lease());
                    }
                } catch (ExecutionException e) {
                    if (failure == null) {
                        failure = failure(ref, e.getCause());
                        abort.set(true);
                    }
                }
            }
            if (failure != null) {
                // the layers that came whole wait for the next pull, which fetches only what is missing
                leases.forEach(LayerFetcher.Lease::keep);
                p.checkNotStopped();
                throw failure;
            }
            if (p.stopped()) {
                leases.forEach(LayerFetcher.Lease::keep);
                p.checkNotStopped();
            }
            if (Thread.currentThread().isInterrupted()) {
                throw new JpodException(ErrorCode.INTERNAL, "the pull of " + ref + " was interrupted");
            }
            checks.checkDiffIds(config, spooled, "config " + configDesc.digest() + " of " + ref);
            for (Descriptor d : m.layers()) {
                p.tell(PullEvent.Kind.EXTRACTING, d.digest(), 0, d.size());
            }
            ImageInfo info = store.store(List.of(new Candidate(id, config, spooled, List.of(name), m.raw())))
                    .get(0);
            store.record(id, repoDigest);
            for (Descriptor d : m.layers()) {
                p.tell(PullEvent.Kind.LAYER_DONE, d.digest(), 0, d.size());
            }
            p.tell(PullEvent.Kind.STORED, id);
            return info;
        } finally {
            spooled.forEach(SpooledLayer::discard);
            leases.forEach(LayerFetcher.Lease::close);
        }
    }

    /** The fetch's result; an interrupt is kept for later (the fetches must end before their files go). */
    private static <T> T getUninterruptibly(Future<T> f) throws ExecutionException {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return f.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static RuntimeException failure(ImageReference ref, Throwable c) {
        if (c instanceof JpodException je) {
            return je;
        }
        if (c instanceof InterruptedIOException) {
            return new JpodException(ErrorCode.INTERNAL, "the pull of " + ref + " was interrupted");
        }
        if (c instanceof IOException io) {
            String msg = String.valueOf(io.getMessage());
            if (msg.contains("digest") || msg.contains("size")) {
                return ImageErrors.invalid("reading a blob of " + ref + ": " + msg);
            }
            if (msg.contains("No space left")) {
                return new JpodException(ErrorCode.INTERNAL, "cannot store a layer of " + ref
                        + ": no space left on the device");
            }
            return new JpodException(ErrorCode.REGISTRY_UNREACHABLE, "reading a blob of " + ref + ": " + msg, io);
        }
        if (c instanceof RuntimeException re) {
            return re;
        }
        return new JpodException(ErrorCode.INTERNAL, "the pull of " + ref + " failed: " + c, c);
    }

    /** Whether the image is stored with all its layers (a pull then only names it). */
    private boolean storedWhole(String id) {
        for (Storage.Image i : storage.images()) {
            if (i.id().equals(id)) {
                return true;
            }
        }
        return false;
    }

    /** A spooled copy of the tar kept for {@code diffId}, or null when there is none (or it just went). */
    private SpooledLayer keptLayer(String diffId) {
        Path kept = tars.of(diffId);
        if (!Files.isRegularFile(kept)) {
            return null;
        }
        try {
            return spool.link(kept, diffId);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            LOG.debug("cannot reuse {}: {}", kept, e.getMessage());
            return null;
        }
    }

    private byte[] config(Registries registries, ImageReference ref, Descriptor d, PullOptions options,
            PullProgress p) {
        if (d.size() > MAX_CONFIG) {
            throw ImageErrors.invalid("the config of " + ref + " is " + d.size() + " bytes, more than an image"
                    + " config can be");
        }
        try (InputStream raw = registries.blob(ref, d, options.registry())) {
            PullProgress.Counted in = p.new Counted(raw, d.digest(), d.size(), PullEvent.Kind.DOWNLOADING);
            byte[] b = in.readNBytes(MAX_CONFIG + 1);
            if (b.length > MAX_CONFIG) {
                throw ImageErrors.invalid("the config of " + ref + " is larger than an image config can be");
            }
            in.check();
            p.tell(PullEvent.Kind.DOWNLOADED, d.digest(), b.length, d.size());
            return b;
        } catch (IOException e) {
            throw failure(ref, e);
        }
    }

    private List<String> diffIds(byte[] config, int layers, String what) {
        JsonNode root = checks.parse(config, "config " + what);
        JsonNode ids = root.path("rootfs").path("diff_ids");
        if (!ids.isArray()) {
            throw ImageErrors.invalid("config " + what + " has no rootfs.diff_ids");
        }
        if (ids.size() != layers) {
            throw ImageErrors.invalid("config " + what + " lists " + ids.size() + " diff IDs for " + layers
                    + " layers");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode n : ids) {
            // a registry's word, used to find a kept tar by name
            if (!n.asText().matches("sha256:[0-9a-f]{64}")) {
                throw ImageErrors.invalid("config " + what + " lists \"" + n.asText() + "\" as a diff ID, which is"
                        + " not sha256:<64 hex digits>");
            }
            out.add(n.asText());
        }
        return out;
    }

    /** Fetches one layer into the spool, uncompressed, its blob's digest and size checked. */
    private SpooledLayer download(Registries registries, ImageReference ref, Descriptor d, PullOptions options,
            PullProgress p, AtomicBoolean abort) throws IOException {
        String what = "layer " + d.digest() + " of " + ref;
        if (abort.get() || p.stopped()) {
            throw new InterruptedIOException("the pull of " + ref + " failed");
        }
        try (InputStream raw = registries.blob(ref, d, options.registry())) {
            PullProgress.Counted in = p.new Counted(raw, d.digest(), d.size(), PullEvent.Kind.DOWNLOADING);
            in.abortWhen(abort);
            SpooledLayer s = spool.spool(in, what);
            try {
                in.check();
            } catch (IOException | RuntimeException e) {
                s.discard();
                throw e;
            }
            p.tell(PullEvent.Kind.DOWNLOADED, d.digest(), d.size(), d.size());
            return s;
        }
    }
}
