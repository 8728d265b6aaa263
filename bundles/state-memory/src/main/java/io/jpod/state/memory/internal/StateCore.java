package io.jpod.state.memory.internal;

import static io.jpod.state.memory.internal.Records.require;

import io.jpod.api.Container;
import io.jpod.api.DBConfig;
import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;
import io.jpod.api.Pod;
import io.jpod.api.Volume;
import io.jpod.spi.state.State;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * The state logic shared by the backends: libpod's State semantics over in-memory records, one class per
 * resource, under one lock, with every mutation written through a {@link Store} and committed before the
 * records change. This class holds what spans resources: the name space containers and pods share, pods'
 * members, volumes in use by containers.
 */
public class StateCore implements State {
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private final Store store;
    private final String description;
    private final Namespace namespace = new Namespace();
    private final ContainerRecords containers = new ContainerRecords(namespace);
    private final PodRecords pods = new PodRecords(namespace);
    private final VolumeRecords volumes = new VolumeRecords(namespace);
    private final NameIndex names = new NameIndex();
    private final ExitCodes exitCodes = new ExitCodes();
    private final StoredDbConfig dbConfig = new StoredDbConfig();
    private boolean closed;

    /**
     * @param store       where mutations go
     * @param description what the state is, for the DB_CLOSED message (e.g. the file)
     */
    public StateCore(Store store, String description) {
        this.store = Objects.requireNonNull(store, "store");
        this.description = description;
    }

    // ---- loading (backends call these before handing the state out)

    /** Adds a stored container without writing it; used when loading. Pods must be loaded first. */
    public void load(Container ctr) {
        containers.put(ctr);
        names.claim(NameIndex.Holder.CONTAINER, ctr.id(), ctr.name());
        if (ctr.config().pod() != null) {
            pods.addMember(ctr.config().pod(), ctr.id());
        }
    }

    public void load(Pod pod) {
        pods.put(pod);
        names.claim(NameIndex.Holder.POD, pod.id(), pod.name());
    }

    public void load(Volume volume) {
        volumes.put(volume);
    }

    public void load(String id, ExitCode exit) {
        exitCodes.put(id, exit);
    }

    public void load(DBConfig config) {
        dbConfig.set(config);
    }

    // ---- plumbing

    private <T> T read(Supplier<T> body) {
        lock.readLock().lock();
        try {
            checkOpen();
            return body.get();
        } finally {
            lock.readLock().unlock();
        }
    }

    private void write(Runnable body) {
        lock.writeLock().lock();
        try {
            checkOpen();
            body.run();
        } finally {
            lock.writeLock().unlock();
        }
    }

    private void checkOpen() {
        if (closed) {
            throw JpodException.of(ErrorCode.DB_CLOSED, "the state " + description + " has been closed");
        }
    }

    /** Writes through the store and commits; on failure rolls back and rethrows. */
    private void persist(Runnable writes) {
        try {
            writes.run();
            store.commit();
        } catch (RuntimeException | Error e) {
            try {
                store.rollback();
            } catch (RuntimeException | Error r) {
                e.addSuppressed(r);
            }
            if (e instanceof JpodException je) {
                throw je;
            }
            throw new JpodException(ErrorCode.INTERNAL, "writing to the state " + description + " failed: " + e, e);
        }
    }

    private static void notNull(Object value, String what) {
        if (value == null) {
            throw JpodException.of(ErrorCode.INVALID_ARG, what + " must not be null");
        }
    }

    // ---- lifecycle and config

    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            store.close();
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public void refresh() {
        write(() -> {
            List<Container> newCtrs = containers.refreshed();
            List<Volume> newVols = volumes.refreshed();
            persist(() -> {
                newCtrs.forEach(store::putContainer);
                newVols.forEach(store::putVolume);
            });
            newCtrs.forEach(containers::put);
            newVols.forEach(volumes::put);
        });
    }

    @Override
    public DBConfig dbConfig() {
        return read(dbConfig::get);
    }

    @Override
    public void validateDBConfig(DBConfig config) {
        notNull(config, "DB config");
        write(() -> {
            if (dbConfig.get() == null) {
                persist(() -> store.putDbConfig(config));
                dbConfig.set(config);
                return;
            }
            dbConfig.checkMatches(config);
        });
    }

    @Override
    public void setNamespace(String ns) {
        write(() -> namespace.set(ns));
    }

    @Override
    public String namespace() {
        return read(namespace::current);
    }

    // ---- containers

    @Override
    public Container container(String id) {
        return read(() -> containers.byKey(id));
    }

    @Override
    public Container lookupContainer(String idOrName) {
        return read(() -> names.lookup(idOrName, containers, pods));
    }

    @Override
    public boolean hasContainer(String id) {
        return read(() -> containers.has(id));
    }

    @Override
    public void addContainer(Container ctr) {
        notNull(ctr, "container");
        write(() -> {
            String id = require(ctr.id(), "container ID");
            String name = require(ctr.name(), "container name");
            containers.checkAddable(ctr);
            names.checkUnused(id, name);
            checkPodTakes(ctr);
            persist(() -> store.putContainer(ctr));
            load(ctr);
        });
    }

    /** A container may join only a pod that exists, in its own namespace. */
    private void checkPodTakes(Container ctr) {
        String podId = ctr.config().pod();
        if (podId == null) {
            return;
        }
        Pod pod = pods.get(podId);
        if (pod == null) {
            throw JpodException.of(ErrorCode.NO_SUCH_POD, "cannot add container " + ctr.id() + " to pod " + podId
                    + ": no pod with ID " + podId + " found in database");
        }
        String ns = ctr.config().namespace();
        if (!pod.namespace().equals(ns)) {
            throw JpodException.of(ErrorCode.NS_MISMATCH, "container " + ctr.id() + " is in namespace \"" + ns
                    + "\" and pod " + podId + " is in namespace \"" + pod.namespace() + "\"");
        }
    }

    @Override
    public void removeContainer(String id) {
        write(() -> {
            Container c = containers.byKey(id);
            persist(() -> store.deleteContainer(id));
            containers.remove(id);
            names.release(id, c.name());
            if (c.config().pod() != null) {
                pods.removeMember(c.config().pod(), id);
            }
        });
    }

    @Override
    public void saveContainer(Container ctr) {
        notNull(ctr, "container");
        write(() -> {
            Container old = containers.replaced(ctr);
            if (!Objects.equals(old.config().pod(), ctr.config().pod())
                    || !old.config().namespace().equals(ctr.config().namespace())) {
                throw JpodException.of(ErrorCode.INVALID_ARG, "the pod and namespace of container " + ctr.id()
                        + " cannot be changed");
            }
            String newName = require(ctr.name(), "container name");
            names.checkRename(old.name(), newName);
            persist(() -> store.putContainer(ctr));
            containers.put(ctr);
            names.rename(ctr.id(), old.name(), newName);
        });
    }

    @Override
    public Container renameContainer(String id, String newName) {
        String name = require(newName, "container name");
        Container[] out = new Container[1];
        write(() -> {
            Container old = containers.byKey(require(id, "container ID"));
            names.checkRename(old.name(), name);
            Container renamed = old.withConfig(old.config().toBuilder().name(name).build());
            persist(() -> store.putContainer(renamed));
            containers.put(renamed);
            names.rename(id, old.name(), name);
            out[0] = renamed;
        });
        return out[0];
    }

    @Override
    public List<Container> allContainers() {
        return read(containers::all);
    }

    @Override
    public void addContainerExitCode(String id, int exitCode) {
        write(() -> {
            require(id, "container ID");
            ExitCode e = new ExitCode(exitCode, Instant.now());
            persist(() -> store.putExitCode(id, e));
            exitCodes.put(id, e);
        });
    }

    @Override
    public OptionalInt containerExitCode(String id) {
        return read(() -> exitCodes.code(require(id, "container ID")));
    }

    @Override
    public void pruneContainerExitCodes(Instant olderThan) {
        notNull(olderThan, "the time to prune exit codes before");
        write(() -> {
            List<String> old = exitCodes.recordedBefore(olderThan);
            if (old.isEmpty()) {
                return;
            }
            persist(() -> old.forEach(store::deleteExitCode));
            exitCodes.removeAll(old);
        });
    }

    // ---- pods

    @Override
    public Pod pod(String id) {
        return read(() -> pods.byKey(id));
    }

    @Override
    public Pod lookupPod(String idOrName) {
        return read(() -> names.lookup(idOrName, pods, containers));
    }

    @Override
    public boolean hasPod(String id) {
        return read(() -> pods.has(id));
    }

    @Override
    public void addPod(Pod pod) {
        notNull(pod, "pod");
        write(() -> {
            String id = require(pod.id(), "pod ID");
            String name = require(pod.name(), "pod name");
            pods.checkAddable(pod);
            names.checkUnused(id, name);
            persist(() -> store.putPod(pod));
            load(pod);
        });
    }

    /** A pod with members stays: they go first. */
    @Override
    public void removePod(String id) {
        write(() -> {
            Pod p = pods.byKey(id);
            Set<String> members = pods.members(id);
            if (!members.isEmpty()) {
                throw JpodException.of(ErrorCode.CTR_IN_USE, "pod " + id + " still has " + members.size()
                        + (members.size() == 1 ? " container" : " containers") + " (" + String.join(", ", members)
                        + "): remove them before removing the pod");
            }
            persist(() -> store.deletePod(id));
            pods.remove(id);
            names.release(id, p.name());
        });
    }

    @Override
    public void savePod(Pod pod) {
        notNull(pod, "pod");
        write(() -> {
            Pod old = pods.replaced(pod);
            if (!old.namespace().equals(pod.namespace())) {
                throw JpodException.of(ErrorCode.INVALID_ARG, "the namespace of pod " + pod.id() + " cannot be changed");
            }
            String newName = require(pod.name(), "pod name");
            names.checkRename(old.name(), newName);
            persist(() -> store.putPod(pod));
            pods.put(pod);
            names.rename(pod.id(), old.name(), newName);
        });
    }

    @Override
    public Set<String> podContainers(String podId) {
        return read(() -> {
            pods.byKey(podId);
            return Set.copyOf(pods.members(podId));
        });
    }

    @Override
    public List<Pod> allPods() {
        return read(pods::all);
    }

    // ---- volumes

    @Override
    public Volume volume(String name) {
        return read(() -> volumes.byKey(name));
    }

    @Override
    public Volume lookupVolume(String nameOrPrefix) {
        return read(() -> volumes.lookup(nameOrPrefix));
    }

    @Override
    public boolean hasVolume(String name) {
        return read(() -> volumes.has(name));
    }

    @Override
    public void addVolume(Volume volume) {
        notNull(volume, "volume");
        write(() -> {
            String name = require(volume.name(), "volume name");
            volumes.checkAddable(volume);
            volumes.checkUnused(name);
            persist(() -> store.putVolume(volume));
            volumes.put(volume);
        });
    }

    /** A volume that a container mounts stays. */
    @Override
    public void removeVolume(String name) {
        write(() -> {
            volumes.byKey(name);
            List<String> users = containers.mounting(name);
            if (!users.isEmpty()) {
                throw JpodException.of(ErrorCode.VOLUME_BEING_USED, "volume " + name
                        + " is being used by the following container(s): " + String.join(", ", users));
            }
            persist(() -> store.deleteVolume(name));
            volumes.remove(name);
        });
    }

    @Override
    public void saveVolume(Volume volume) {
        notNull(volume, "volume");
        write(() -> {
            volumes.byKey(volume.name());
            persist(() -> store.putVolume(volume));
            volumes.put(volume);
        });
    }

    /** All containers that mount the volume, whatever their namespace. */
    @Override
    public List<String> volumeInUse(String name) {
        return read(() -> {
            volumes.byKey(name);
            return List.copyOf(containers.mounting(name));
        });
    }

    @Override
    public List<Volume> allVolumes() {
        return read(volumes::all);
    }
}
