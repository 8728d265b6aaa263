package io.jpod.image.internal;

import java.util.List;

/** Who uses an image: the engine's containers. What {@link ImageService} asks before removing an image. */
interface ImageUsers {

    /** IDs of the containers created from the image. */
    List<String> containersUsing(String imageId);

    /** Removes a container (stopping it first), for {@code rmi --force}. */
    void removeContainer(String containerId);

    /** No engine: no containers. */
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
