package io.jpod.image.internal;

import io.jpod.api.ContainerConfig;
import io.jpod.api.Containers;
import io.jpod.api.ErrorCode;
import io.jpod.api.Event;
import io.jpod.api.Events;
import io.jpod.api.ImageInfo;
import io.jpod.api.Images;
import io.jpod.api.JpodException;
import io.jpod.api.PullEvent;
import io.jpod.api.PullOptions;
import io.jpod.api.PullPolicy;
import io.jpod.api.registry.Registries;
import io.jpod.api.registry.RegistryOptions;
import io.jpod.spi.storage.Storage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Images} service: registered exactly while the engine's services are (static, mandatory
 * references), working on the store the engine opened; the engine's containers are the images' users.
 */
@Component(service = Images.class)
public class ImagesComponent implements Images {
    private static final Logger LOG = LoggerFactory.getLogger(ImagesComponent.class);
    private final ImageService images;
    /** The registry protocol, while the registry bundle is there. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile Registries registries;
    /** Where the install's own images are, or null (no jpod.home: Karaf). */
    private final Path bundled;

    @Activate
    public ImagesComponent(BundleContext context, @Reference(name = "storage") Storage storage,
            @Reference(name = "containers") Containers containers, @Reference(name = "events") Events events) {
        this(storage, containers, events, shipped(context.getProperty("jpod.home")));
    }

    private static Path shipped(String home) {
        return home == null || home.isBlank() ? null : Path.of(home, "etc");
    }

    ImagesComponent(Storage storage, Containers containers, Events events, Path bundled) {
        this.bundled = bundled;
        this.images = new ImageService(storage, new ImageUsers() {
            @Override
            public List<String> containersUsing(String imageId) {
                return containers.containers(c -> imageId.equals(c.config().imageId())).stream()
                        .map(c -> c.id()).toList();
            }

            @Override
            public void removeContainer(String containerId) {
                containers.removeContainer(containerId, true);
            }

            @Override
            public void event(String status, String imageId, String name) {
                try {
                    events.writeEvent(new Event(Event.Type.IMAGE, status, Instant.now(), imageId, name, null, null,
                            Map.of()));
                } catch (RuntimeException e) {
                    LOG.warn("cannot record the image event {} of {}: {}", status, imageId, e.getMessage());
                }
            }
        });
    }

    @Deactivate
    void deactivate() {
        images.close();
    }

    /** For tests: the registry service the component would be given. */
    void setRegistries(Registries r) {
        this.registries = r;
    }

    @Override
    public ImageInfo importRootfs(InputStream tar, String reference, List<String> changes) {
        return images.importRootfs(tar, reference, changes);
    }

    @Override
    public ImageInfo commit(io.jpod.api.CommitRequest request) {
        return images.commit(request);
    }

    @Override
    public List<io.jpod.api.ImageHistory> history(String image) {
        return images.history(image);
    }

    @Override
    public List<ImageInfo> load(InputStream archive) {
        return images.load(archive);
    }

    @Override
    public List<ImageInfo> loadLayout(Path dir) {
        return images.loadLayout(dir);
    }

    @Override
    public void save(List<String> references, String format, OutputStream out) {
        images.save(references, format, out);
    }

    @Override
    public void tag(String image, String reference) {
        images.tag(image, reference);
    }

    @Override
    public void untag(String image, String reference) {
        images.untag(image, reference);
    }

    @Override
    public void remove(String image, boolean force) {
        images.remove(image, force);
    }

    @Override
    public List<ImageInfo> list() {
        return images.list();
    }

    @Override
    public ImageInfo inspect(String image) {
        return images.inspect(image);
    }

    @Override
    public ImageInfo pull(String reference) {
        return pull(reference, PullOptions.defaults(), e -> {
        });
    }

    /**
     * The policy first (a stored image serves {@code missing} and {@code never}); then an image the install
     * ships, for a name that means one (offline, no registry asked: the README's {@code jpod run --rm busybox}
     * works without a network); then the registries, when the registry bundle is there.
     */
    @Override
    public ImageInfo pull(String reference, PullOptions options, Consumer<PullEvent> progress) {
        PullOptions o = options == null ? PullOptions.defaults() : options;
        if (reference == null || reference.isBlank()) {
            throw JpodException.of(ErrorCode.EMPTY_ID, "image");
        }
        ImageInfo stored = null;
        try {
            stored = images.inspect(reference);
        } catch (JpodException e) {
            if (!JpodException.is(e, ErrorCode.NO_SUCH_IMAGE)) {
                throw e;
            }
        }
        if (stored != null && (o.policy() == PullPolicy.MISSING || o.policy() == PullPolicy.NEVER)) {
            return stored;
        }
        if (stored == null && o.policy() == PullPolicy.NEVER) {
            throw new JpodException(ErrorCode.NO_SUCH_IMAGE, reference + ": image not known, and the pull policy"
                    + " is never");
        }
        Optional<BundledImages.Found> found = bundled == null ? Optional.empty() : BundledImages.find(bundled, reference);
        if (found.isPresent()) {
            if (stored != null) {
                return stored;
            }
            // docker.io/library/busybox means the shipped busybox, stored as localhost/busybox
            try {
                return images.inspect(found.get().name());
            } catch (JpodException e) {
                if (!JpodException.is(e, ErrorCode.NO_SUCH_IMAGE)) {
                    throw e;
                }
            }
            LOG.info("pulling {}: importing the image this install ships, {}", reference, found.get().tar());
            try (InputStream in = Files.newInputStream(found.get().tar())) {
                return images.importRootfs(in, found.get().name(), List.of("CMD [\"sh\"]"));
            } catch (IOException e) {
                throw new JpodException(ErrorCode.INTERNAL, "cannot read " + found.get().tar() + ": " + e.getMessage(), e);
            }
        }
        Registries r = registries;
        if (r == null) {
            if (stored != null) {
                return stored;
            }
            throw new JpodException(ErrorCode.NO_SUCH_IMAGE, reference + ": image not known, and jpod cannot pull "
                    + "from registries without its registry bundle: install the jpod-registry feature, or load "
                    + "the image with jpod load -i (docker load, podman load)");
        }
        try {
            return images.pull(r, reference, o, progress);
        } catch (JpodException e) {
            boolean unreachable = JpodException.is(e, ErrorCode.REGISTRY_UNREACHABLE);
            if (stored != null && o.policy() == PullPolicy.NEWER && unreachable) {
                LOG.info("pull of {}: the registry does not answer, the stored image is used: {}", reference,
                        e.getMessage());
                return stored;
            }
            throw e;
        }
    }

    @Override
    public String push(String image, String destination, RegistryOptions options, Consumer<PullEvent> progress) {
        Registries r = registries;
        if (r == null) {
            throw new JpodException(ErrorCode.NOT_IMPLEMENTED, "jpod cannot push to registries without its "
                    + "registry bundle: install the jpod-registry feature");
        }
        return images.push(r, image, destination, options, progress);
    }

    @Override
    public ContainerConfig withImageDefaults(ContainerConfig spec) {
        return images.withImageDefaults(spec);
    }
}
