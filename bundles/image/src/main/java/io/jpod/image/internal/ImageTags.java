package io.jpod.image.internal;

import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;
import io.jpod.spi.storage.Storage;
import java.util.ArrayList;
import java.util.List;

/** {@code tag} and {@code untag}: the names of a stored image. The caller holds the service's lock. */
final class ImageTags {
    private final Storage storage;
    private final ImageCatalog catalog;
    private final ImageUsers users;

    ImageTags(Storage storage, ImageCatalog catalog, ImageUsers users) {
        this.storage = storage;
        this.catalog = catalog;
        this.users = users;
    }

    void tag(String image, String reference) {
        Storage.Image img = catalog.resolve(image);
        String name = Names.normalize(reference, Names.LOCALHOST);
        if (!img.names().contains(name)) {
            List<String> names = new ArrayList<>(img.names());
            names.add(name);
            storage.setNames(img.id(), names);
        }
        users.event("tag", img.id(), name);
    }

    void untag(String image, String reference) {
        Storage.Image img = catalog.resolve(image);
        String name = img.names().contains(reference) ? reference : Names.normalize(reference, Names.LOCALHOST);
        if (!img.names().contains(name)) {
            String docker = Names.tryNormalize(reference, Names.DOCKER_IO);
            if (docker == null || !img.names().contains(docker)) {
                throw new JpodException(ErrorCode.INVALID_ARG, name + ": tag not known");
            }
            name = docker;
        }
        drop(img, name);
    }

    /** Takes {@code name}, one of its names, from {@code img}. */
    void drop(Storage.Image img, String name) {
        List<String> names = new ArrayList<>(img.names());
        names.remove(name);
        storage.setNames(img.id(), names);
        users.event("untag", img.id(), name);
    }
}
