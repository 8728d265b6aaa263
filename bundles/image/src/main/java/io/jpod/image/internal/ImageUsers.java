package io.jpod.image.internal;

import java.util.List;

/**
 * What {@link ImageService} needs of the engine: who uses an image (its containers, asked before removing an
 * image), and where image events go.
 */
interface ImageUsers {

    /** IDs of the containers created from the image. */
    List<String> containersUsing(String imageId);

    /** Removes a container (stopping it first), for {@code rmi --force}. */
    void removeContainer(String containerId);

    /** Records an image event ({@code import}, {@code load}, {@code save}, {@code tag}, {@code untag}, {@code remove}). */
    default void event(String status, String imageId, String name) {
    }

    /** The name an event gives an image of these names: its first, or none. */
    static String firstName(List<String> names) {
        return names.isEmpty() ? null : names.get(0);
    }

    /** No engine: no containers, no events. */
    ImageUsers NONE = new ImageUsers() {
        @Override
        public List<String> containersUsing(String imageId) {
            return List.of();
        }

        @Override
        public void removeContainer(String containerId) {
            // nothing uses images
        }
    };
}
