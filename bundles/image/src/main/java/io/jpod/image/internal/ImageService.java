package io.jpod.image.internal;

import static io.jpod.image.internal.ImageErrors.invalid;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.jpod.api.CommitRequest;
import io.jpod.api.ContainerConfig;
import io.jpod.api.ErrorCode;
import io.jpod.api.ImageHistory;
import io.jpod.api.ImageInfo;
import io.jpod.api.Images;
import io.jpod.api.JpodException;
import io.jpod.api.PullEvent;
import io.jpod.api.PullOptions;
import io.jpod.api.registry.Registries;
import io.jpod.api.registry.RegistryOptions;
import io.jpod.spi.storage.Storage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * libimage over a {@link Storage}: import, load, save, names, removal, inspection, and the image defaults of
 * a container spec, each done by a class of its own.
 *
 * <p>Images are stored with their config (big data keys {@code config} and its digest {@code sha256:<id>})
 * and an OCI manifest of their uncompressed layers ({@code manifest}); the image ID is the sha256 of the
 * config. Beside the store, in {@code <graphroot>/jpod-image/}, are the kept layer tars ({@link LayerTars})
 * and the spool ({@link ArchiveSpool}).
 *
 * <p>Archives and tarballs are read into the spool without a lock; storing them, saving, naming and removing
 * hold this object's lock (a removal must not take the tars a save is writing). Lookups take no lock of their
 * own: a container can be created from one image while another loads.
 */
public final class ImageService implements Images {
    private final Storage storage;
    private final ImageUsers users;
    private final ArchiveChecks checks;
    private final LayerTars tars;
    private final ArchiveSpool spool;
    private final ImageCatalog catalog;
    private final ImageStore store;
    private final TarballImporter importer;
    private final DockerArchiveReader dockerArchives;
    private final OciLayoutReader ociLayouts;
    private final ImageArchiveWriter writer;
    private final ImageTags tags;
    private final ImageRemoval removal;
    private final ContainerDefaults defaults;
    private final RepoDigestRecords records;
    private final LayerFetcher fetcher;
    private final ExecutorService pool;
    private final RegistryPull pulls;
    private final RegistryPush pushes;
    private final ImageCommit commits;
    private final ImageHistories histories;

    public ImageService(Storage storage, ImageUsers users) {
        Objects.requireNonNull(storage, "storage");
        this.storage = storage;
        this.users = users == null ? ImageUsers.NONE : users;
        ObjectMapper json = new ObjectMapper();
        Path home = storage.graphRoot().resolve("jpod-image");
        try {
            this.tars = new LayerTars(home.resolve(storage.driverName() + "-layers"), storage);
            this.spool = new ArchiveSpool(home.resolve("tmp"));
        } catch (IOException e) {
            throw new JpodException(ErrorCode.INTERNAL, "cannot create " + home + ": " + e.getMessage(), e);
        }
        // tars of layers that a crash kept from being stored
        tars.gc();
        this.catalog = new ImageCatalog(storage, json);
        this.store = new ImageStore(storage, tars, catalog, json);
        this.importer = new TarballImporter(spool, json);
        this.checks = new ArchiveChecks(json);
        this.dockerArchives = new DockerArchiveReader(spool, checks);
        this.ociLayouts = new OciLayoutReader(spool, checks);
        this.writer = new ImageArchiveWriter(storage, catalog, tars, json);
        this.tags = new ImageTags(storage, catalog, this.users);
        this.removal = new ImageRemoval(storage, catalog, tags, tars, this.users);
        this.defaults = new ContainerDefaults(catalog);
        this.records = new RepoDigestRecords(home.resolve("repo-digests.json"), json, storage);
        catalog.records(records);
        this.fetcher = new LayerFetcher(spool);
        AtomicInteger threads = new AtomicInteger();
        ThreadPoolExecutor p = new ThreadPoolExecutor(PULL_THREADS, PULL_THREADS, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "jpod-pull-" + threads.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        p.allowCoreThreadTimeOut(true);
        this.pool = p;
        this.pulls = new RegistryPull(storage, spool, tars, checks, fetcher, pool, new RegistryPull.Store() {
            @Override
            public List<ImageInfo> store(List<Candidate> candidates) {
                return ImageService.this.store(candidates);
            }

            @Override
            public ImageInfo name(String id, String name, String repoDigest) {
                return ImageService.this.name(id, name, repoDigest);
            }

            @Override
            public void record(String id, String repoDigest) {
                synchronized (ImageService.this) {
                    records.add(id, repoDigest);
                }
            }
        });
        this.pushes = new RegistryPush(storage, catalog, tars, spool, json, records::of);
        this.commits = new ImageCommit(catalog, tars, spool, json);
        this.histories = new ImageHistories(catalog, json);
    }

    /** How many blobs a pull fetches at once, all pulls together (podman's default is 6 per pull). */
    static final int PULL_THREADS = 4;

    /** Stops the pull threads (the pulls in flight fail). */
    public void close() {
        pool.shutdownNow();
        pushes.close();
    }

    /** A pull from a registry; see {@link Images#pull(String, PullOptions, Consumer)}. */
    public ImageInfo pull(Registries registries, String reference, PullOptions options,
            Consumer<PullEvent> progress) {
        Objects.requireNonNull(registries, "registries");
        PullOptions o = options == null ? PullOptions.defaults() : options;
        ImageInfo info = pulls.pull(registries, reference, o, new PullProgress(progress, reference));
        users.event("pull", info.id(), reference);
        return info;
    }

    /** A push to a registry: the manifest's digest. */
    public String push(Registries registries, String image, String destination, RegistryOptions options,
            Consumer<PullEvent> progress) {
        Objects.requireNonNull(registries, "registries");
        RegistryPush.Pushed p = pushes.push(registries, image, destination,
                options == null ? RegistryOptions.defaults() : options, new PullProgress(progress, image));
        synchronized (this) {
            records.add(p.imageId(), p.destination().name() + "@" + p.digest());
        }
        users.event("push", p.imageId(), p.destination().toString());
        return p.digest();
    }

    /** Names a stored image (taking the name from the image that had it) and records a registry digest of it. */
    private synchronized ImageInfo name(String id, String name, String repoDigest) {
        Storage.Image img = storage.image(id);
        if (!img.names().contains(name)) {
            List<String> names = new ArrayList<>(img.names());
            names.add(name);
            storage.setNames(id, names);
        }
        records.add(id, repoDigest);
        return catalog.info(storage.image(id));
    }

    @Override
    public ImageInfo importRootfs(InputStream tar, String reference, List<String> changes) {
        Objects.requireNonNull(tar, "tar");
        List<Candidate> image = List.of(importer.read(tar, reference, changes));
        try {
            ImageInfo info = store(image).get(0);
            users.event("import", info.id(), ImageUsers.firstName(info.names()));
            return info;
        } finally {
            Candidate.discard(image);
        }
    }

    @Override
    public ImageInfo commit(CommitRequest request) {
        Objects.requireNonNull(request, "request");
        List<Candidate> image = List.of(commits.read(request));
        try {
            ImageInfo info = store(image).get(0);
            users.event("commit", info.id(), ImageUsers.firstName(info.names()));
            return info;
        } finally {
            Candidate.discard(image);
        }
    }

    @Override
    public List<ImageHistory> history(String image) {
        return histories.of(image);
    }

    @Override
    public List<ImageInfo> load(InputStream archive) {
        Objects.requireNonNull(archive, "archive");
        Path dir = spool.extract(archive);
        try {
            if (DockerArchiveReader.isDockerArchive(dir)) {
                return storeLoaded(dockerArchives.read(dir));
            }
            if (OciLayoutReader.isOciLayout(dir)) {
                return storeLoaded(ociLayouts.read(dir));
            }
            throw invalid("the archive is neither a docker-archive (it has no manifest.json) nor an OCI archive"
                    + " (it has no oci-layout and index.json)");
        } finally {
            ArchiveSpool.deleteQuietly(dir);
        }
    }

    @Override
    public List<ImageInfo> loadLayout(Path dir) {
        if (dir == null || !Files.isDirectory(dir)) {
            throw invalid(dir + " is not a directory");
        }
        return storeLoaded(ociLayouts.read(dir));
    }

    private List<ImageInfo> storeLoaded(List<Candidate> candidates) {
        try {
            List<ImageInfo> loaded = store(candidates);
            for (ImageInfo i : loaded) {
                users.event("load", i.id(), ImageUsers.firstName(i.names()));
            }
            return loaded;
        } finally {
            Candidate.discard(candidates);
        }
    }

    private synchronized List<ImageInfo> store(List<Candidate> candidates) {
        return store.store(candidates);
    }

    @Override
    public synchronized void save(List<String> references, String format, OutputStream out) {
        Objects.requireNonNull(out, "out");
        Map<String, List<String>> saved = writer.write(references, format, out);
        for (Map.Entry<String, List<String>> e : saved.entrySet()) {
            users.event("save", e.getKey(), ImageUsers.firstName(e.getValue()));
        }
    }

    @Override
    public synchronized void tag(String image, String reference) {
        tags.tag(image, reference);
    }

    @Override
    public synchronized void untag(String image, String reference) {
        tags.untag(image, reference);
    }

    @Override
    public synchronized void remove(String image, boolean force) {
        removal.remove(image, force);
    }

    @Override
    public List<ImageInfo> list() {
        return catalog.list();
    }

    @Override
    public ImageInfo inspect(String image) {
        return catalog.info(catalog.resolve(image));
    }

    @Override
    public ContainerConfig withImageDefaults(ContainerConfig spec) {
        Objects.requireNonNull(spec, "spec");
        return defaults.apply(spec);
    }
}
