package io.jpod.api;

import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/** The engine's named volumes (libpod's runtime_volume.go). */
@ProviderType
public interface Volumes {

    Volume createVolume(Volume spec);

    /** By name or unique name prefix. */
    Volume volume(String nameOrPrefix);

    List<Volume> volumes();

    /** Removes a volume; with {@code force} the containers that use it go first. */
    void removeVolume(String name, boolean force);
}
