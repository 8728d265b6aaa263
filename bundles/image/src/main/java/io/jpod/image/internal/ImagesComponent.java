package io.jpod.image.internal;

import io.jpod.api.ContainerConfig;
import io.jpod.api.Containers;
import io.jpod.api.ErrorCode;
import io.jpod.api.Event;
import io.jpod.api.Events;
import io.jpod.api.ImageInfo;
import io.jpod.api.Images;
import io.jpod.api.JpodException;
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
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
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

    @Override
    public ImageInfo importRootfs(InputStream tar, String reference, List<String> changes) {
        return images.importRootfs(tar, reference, changes);
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
        try {
            return images.inspect(reference);
        } catch (JpodException e) {
            if (!JpodException.is(e, ErrorCode.NO_SUCH_IMAGE)) {
                throw e;
            }
        }
        Optional<BundledImages.Found> found = bundled == null ? Optional.empty() : BundledImages.find(bundled, reference);
        if (found.isEmpty()) {
            throw new JpodException(ErrorCode.NO_SUCH_IMAGE, reference + ": image not known, and jpod does not pull "
                    + "from registries yet: load it with jpod load -i (docker load, podman load), or import a root "
                    + "filesystem with jpod import");
        }
        LOG.info("pulling {}: importing the image this install ships, {}", reference, found.get().tar());
        try (InputStream in = Files.newInputStream(found.get().tar())) {
            return images.importRootfs(in, found.get().name(), List.of("CMD [\"sh\"]"));
        } catch (IOException e) {
            throw new JpodException(ErrorCode.INTERNAL, "cannot read " + found.get().tar() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public ContainerConfig withImageDefaults(ContainerConfig spec) {
        return images.withImageDefaults(spec);
    }
}
