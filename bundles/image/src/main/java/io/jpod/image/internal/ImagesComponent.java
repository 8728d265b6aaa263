package io.jpod.image.internal;

import io.jpod.api.ContainerConfig;
import io.jpod.api.Engine;
import io.jpod.api.Event;
import io.jpod.api.ImageInfo;
import io.jpod.api.Images;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Images} service: registered exactly while an {@link Engine} is (a static, mandatory
 * reference), working on the engine's storage; the engine's containers are the images' users.
 */
@Component(service = Images.class)
public class ImagesComponent implements Images {
    private static final Logger LOG = LoggerFactory.getLogger(ImagesComponent.class);
    private final ImageService images;

    @Activate
    public ImagesComponent(@Reference(name = "engine") Engine engine) {
        this.images = new ImageService(engine.storage(), new ImageUsers() {
            @Override
            public List<String> containersUsing(String imageId) {
                return engine.containers(c -> imageId.equals(c.config().imageId())).stream()
                        .map(c -> c.id()).toList();
            }

            @Override
            public void removeContainer(String containerId) {
                engine.removeContainer(containerId, true);
            }

            @Override
            public void event(String status, String imageId, String name) {
                try {
                    engine.writeEvent(new Event(Event.Type.IMAGE, status, Instant.now(), imageId, name, null, null,
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
    public ContainerConfig withImageDefaults(ContainerConfig spec) {
        return images.withImageDefaults(spec);
    }
}
