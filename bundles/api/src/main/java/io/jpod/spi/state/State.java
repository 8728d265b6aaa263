package io.jpod.spi.state;

import io.jpod.api.Container;
import io.jpod.api.DBConfig;
import io.jpod.api.Pod;
import io.jpod.api.Volume;
import java.time.Instant;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Where the engine keeps its objects, as libpod's State. Every mutation is durable when it returns.
 * Lookups see only objects of the namespace set by {@link #setNamespace} (all when it is {@code ""});
 * an object of another namespace is NS_MISMATCH when reached by full ID and invisible otherwise.
 * Errors are {@link io.jpod.api.JpodException}s with libpod's codes: NO_SUCH_CTR, CTR_EXISTS,
 * NO_SUCH_POD, POD_EXISTS, NO_SUCH_VOLUME, VOLUME_EXISTS, NS_MISMATCH, DB_CLOSED, DB_BAD_CONFIG,
 * and INVALID_ARG for an ambiguous prefix.
 */
@ConsumerType
public interface State extends AutoCloseable {

    @Override
    void close();

    /** Resets what does not survive a reboot: containers' and volumes' runtime state ({@link io.jpod.api.ContainerState#refreshed()}). */
    void refresh();

    /** The DB config stored when the database was created, or null if none is stored yet. */
    DBConfig dbConfig();

    /**
     * Stores {@code config} when no DB config is stored; otherwise fails with DB_BAD_CONFIG naming
     * the first field whose value differs (both values).
     */
    void validateDBConfig(DBConfig config);

    void setNamespace(String namespace);

    String namespace();

    // containers

    /** By full ID. */
    Container container(String id);

    /** By full ID, then name, then unique ID prefix. */
    Container lookupContainer(String idOrName);

    boolean hasContainer(String id);

    /** Adds a new container: its ID and name must be unused by any container or pod. */
    void addContainer(Container ctr);

    void removeContainer(String id);

    /** Replaces the container's state (and config, for lock and runtime changes). */
    void saveContainer(Container ctr);

    /** The stored version of the container, for callers that hold an older copy. */
    default Container updateContainer(String id) {
        return container(id);
    }

    List<Container> allContainers();

    /**
     * Renames the stored container {@code id} in one change: its record and the name index, so the old name
     * is free and the new one taken at once. The new name must be used by no container or pod (CTR_EXISTS or
     * POD_EXISTS otherwise). Returns the container as stored afterwards.
     */
    default Container renameContainer(String id, String newName) {
        throw new io.jpod.api.JpodException(io.jpod.api.ErrorCode.NOT_IMPLEMENTED,
                "this state cannot rename containers");
    }

    /** Records an exit code that outlives the container (docker wait after --rm). */
    void addContainerExitCode(String id, int exitCode);

    OptionalInt containerExitCode(String id);

    /** Drops exit codes recorded before {@code olderThan}. */
    void pruneContainerExitCodes(Instant olderThan);

    // pods

    Pod pod(String id);

    Pod lookupPod(String idOrName);

    boolean hasPod(String id);

    void addPod(Pod pod);

    /** Removes an empty pod; a pod with containers is CTR_IN_USE... unless they were removed first. */
    void removePod(String id);

    void savePod(Pod pod);

    /** IDs of the containers in a pod. */
    Set<String> podContainers(String podId);

    List<Pod> allPods();

    // volumes

    Volume volume(String name);

    /** By full name, then unique name prefix. */
    Volume lookupVolume(String nameOrPrefix);

    boolean hasVolume(String name);

    void addVolume(Volume volume);

    void removeVolume(String name);

    void saveVolume(Volume volume);

    /** IDs of containers that mount the volume. */
    List<String> volumeInUse(String name);

    List<Volume> allVolumes();
}
