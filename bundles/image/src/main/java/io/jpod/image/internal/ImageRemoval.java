package io.jpod.image.internal;

import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;
import io.jpod.spi.storage.Storage;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code rmi}: refused while containers use the image unless forced, which removes them first. The caller
 * holds the service's lock, so that a removal does not take the tars a save is writing.
 */
final class ImageRemoval {
    private final Storage storage;
    private final ImageCatalog catalog;
    private final ImageTags tags;
    private final LayerTars tars;
    private final ImageUsers users;

    ImageRemoval(Storage storage, ImageCatalog catalog, ImageTags tags, LayerTars tars, ImageUsers users) {
        this.storage = storage;
        this.catalog = catalog;
        this.tags = tags;
        this.tars = tars;
        this.users = users;
    }

    void remove(String image, boolean force) {
        Storage.Image img = catalog.resolve(image);
        String byName = ImageCatalog.nameMatching(img, image);
        if (!force && byName != null && img.names().size() > 1) {
            // as libimage: an image with several names referred to by one of them loses only that name
            tags.drop(img, byName);
            return;
        }
        // also the root filesystems the storage has of it, known to the engine or not
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
        tars.gc();
        users.event("remove", img.id(), ImageUsers.firstName(img.names()));
    }
}
