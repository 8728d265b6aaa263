package io.jpod.state.mapdb.internal;

import io.jpod.api.Container;
import io.jpod.api.DBConfig;
import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;
import io.jpod.api.Mount;
import io.jpod.api.Pod;
import io.jpod.api.Volume;
import io.jpod.spi.state.State;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * The state logic shared by the backends (this file is kept identical, but for its package, in
 * state-memory and state-mapdb): libpod's State semantics over in-memory maps, with every mutation
 * written through a {@link Store} and committed before the maps change.
 */
public class StateCore implements State {

    /** An exit code recorded for a container, with the time it was recorded. */
    public record ExitCode(int code, Instant at) {
    }

    /** Where mutations are made durable. A failed write is rolled back and the maps stay unchanged. */
    public interface Store {
        void putContainer(Container ctr);

        void deleteContainer(String id);

        void putPod(Pod pod);

        void deletePod(String id);

        void putVolume(Volume volume);

        void deleteVolume(String name);

        void putExitCode(String id, ExitCode exit);

        void deleteExitCode(String id);

        void putDbConfig(DBConfig config);

        void commit();

        void rollback();

        void close();

        /** The store doing nothing: the memory backend. */
        Store NONE = new Store() {
            public void putContainer(Container ctr) { }
            public void deleteContainer(String id) { }
            public void putPod(Pod pod) { }
            public void deletePod(String id) { }
            public void putVolume(Volume volume) { }
            public void deleteVolume(String name) { }
            public void putExitCode(String id, ExitCode exit) { }
            public void deleteExitCode(String id) { }
            public void putDbConfig(DBConfig config) { }
            public void commit() { }
            public void rollback() { }
            public void close() { }
        };
    }

    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private final Store store;
    private final String description;
    private final Map<String, Container> ctrs = new LinkedHashMap<>();
    private final Map<String, Pod> pods = new LinkedHashMap<>();
    /** Names of containers and pods, one name space, to their IDs. */
    private final Map<String, String> names = new HashMap<>();
    private final Map<String, Set<String>> podMembers = new HashMap<>();
    private final Map<String, Volume> volumes = new LinkedHashMap<>();
    private final Map<String, ExitCode> exitCodes = new HashMap<>();
    private DBConfig dbConfig;
    private String namespace = "";
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
        ctrs.put(ctr.id(), ctr);
        names.put(ctr.name(), ctr.id());
        if (ctr.config().pod() != null) {
            podMembers.computeIfAbsent(ctr.config().pod(), k -> new LinkedHashSet<>()).add(ctr.id());
        }
    }

    public void load(Pod pod) {
        pods.put(pod.id(), pod);
        names.put(pod.name(), pod.id());
        podMembers.computeIfAbsent(pod.id(), k -> new LinkedHashSet<>());
    }

    public void load(Volume volume) {
        volumes.put(volume.name(), volume);
    }

    public void load(String id, ExitCode exit) {
        exitCodes.put(id, exit);
    }

    public void load(DBConfig config) {
        dbConfig = config;
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

    private static String require(String value, String what) {
        if (value == null || value.isEmpty()) {
            throw JpodException.of(ErrorCode.EMPTY_ID, what + " is empty");
        }
        return value;
    }

    private boolean visible(String objectNamespace) {
        return namespace.isEmpty() || namespace.equals(objectNamespace);
    }

    private JpodException nsMismatch(String kind, String id, String objectNamespace) {
        return JpodException.of(ErrorCode.NS_MISMATCH, kind + " " + id + " is in namespace \"" + objectNamespace
                + "\" and we are in namespace \"" + namespace + "\"");
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
            Map<String, Container> newCtrs = new LinkedHashMap<>();
            ctrs.values().forEach(c -> newCtrs.put(c.id(), c.withState(c.state().refreshed())));
            Map<String, Volume> newVols = new LinkedHashMap<>();
            volumes.values().forEach(v -> newVols.put(v.name(), v.withMountCount(0)));
            persist(() -> {
                newCtrs.values().forEach(store::putContainer);
                newVols.values().forEach(store::putVolume);
            });
            ctrs.putAll(newCtrs);
            volumes.putAll(newVols);
        });
    }

    @Override
    public DBConfig dbConfig() {
        return read(() -> dbConfig);
    }

    @Override
    public void validateDBConfig(DBConfig config) {
        if (config == null) {
            throw JpodException.of(ErrorCode.INVALID_ARG, "DB config must not be null");
        }
        write(() -> {
            if (dbConfig == null) {
                persist(() -> store.putDbConfig(config));
                dbConfig = config;
                return;
            }
            check("static dir", dbConfig.staticDir(), config.staticDir());
            check("tmp dir", dbConfig.tmpDir(), config.tmpDir());
            check("graph root", dbConfig.graphRoot(), config.graphRoot());
            check("run root", dbConfig.runRoot(), config.runRoot());
            check("graph driver", dbConfig.graphDriver(), config.graphDriver());
            check("volume path", dbConfig.volumePath(), config.volumePath());
        });
    }

    private static void check(String field, String stored, String ours) {
        String a = stored == null ? "" : stored;
        String b = ours == null ? "" : ours;
        if (!a.equals(b)) {
            throw JpodException.of(ErrorCode.DB_BAD_CONFIG, "database " + field + " \"" + a + "\" does not match our "
                    + field + " \"" + b + "\"");
        }
    }

    @Override
    public void setNamespace(String ns) {
        write(() -> namespace = ns == null ? "" : ns);
    }

    @Override
    public String namespace() {
        return read(() -> namespace);
    }

    // ---- containers

    private Container ctrById(String id) {
        require(id, "container ID");
        Container c = ctrs.get(id);
        if (c == null) {
            throw JpodException.of(ErrorCode.NO_SUCH_CTR, "no container with ID " + id + " found in database");
        }
        if (!visible(c.config().namespace())) {
            throw nsMismatch("container", id, c.config().namespace());
        }
        return c;
    }

    @Override
    public Container container(String id) {
        return read(() -> ctrById(id));
    }

    @Override
    public Container lookupContainer(String idOrName) {
        return read(() -> {
            require(idOrName, "container name or ID");
            Container c = ctrs.get(idOrName);
            if (c != null) {
                if (!visible(c.config().namespace())) {
                    throw nsMismatch("container", idOrName, c.config().namespace());
                }
                return c;
            }
            String byName = names.get(idOrName);
            boolean isPod = false;
            if (byName != null) {
                c = ctrs.get(byName);
                if (c != null && visible(c.config().namespace())) {
                    return c;
                }
                Pod p = pods.get(byName);
                isPod = p != null && visible(p.namespace());
            }
            Container found = null;
            for (Container each : ctrs.values()) {
                if (visible(each.config().namespace()) && each.id().startsWith(idOrName)) {
                    if (found != null) {
                        throw JpodException.of(ErrorCode.INVALID_ARG, "more than one result for container ID prefix "
                                + idOrName);
                    }
                    found = each;
                }
            }
            if (found == null) {
                if (isPod) {
                    throw JpodException.of(ErrorCode.NO_SUCH_CTR, "\"" + idOrName + "\" is a pod, not a container");
                }
                throw JpodException.of(ErrorCode.NO_SUCH_CTR, "no container with name or ID \"" + idOrName + "\" found");
            }
            return found;
        });
    }

    @Override
    public boolean hasContainer(String id) {
        return read(() -> {
            require(id, "container ID");
            Container c = ctrs.get(id);
            return c != null && visible(c.config().namespace());
        });
    }

    /** Fails if the ID or name is used by a container or pod. */
    private void checkUnused(String id, String name) {
        if (ctrs.containsKey(id)) {
            throw JpodException.of(ErrorCode.CTR_EXISTS, "ID \"" + id + "\" is in use by a container");
        }
        if (pods.containsKey(id)) {
            throw JpodException.of(ErrorCode.POD_EXISTS, "ID \"" + id + "\" is in use by a pod");
        }
        checkNameUnused(name);
    }

    private void checkNameUnused(String name) {
        String holder = names.get(name);
        if (holder != null) {
            if (ctrs.containsKey(holder)) {
                throw JpodException.of(ErrorCode.CTR_EXISTS, "name \"" + name + "\" is in use by container " + holder);
            }
            throw JpodException.of(ErrorCode.POD_EXISTS, "name \"" + name + "\" is in use by pod " + holder);
        }
    }

    @Override
    public void addContainer(Container ctr) {
        if (ctr == null) {
            throw JpodException.of(ErrorCode.INVALID_ARG, "container must not be null");
        }
        write(() -> {
            String id = require(ctr.id(), "container ID");
            String name = require(ctr.name(), "container name");
            String ns = ctr.config().namespace();
            if (!visible(ns)) {
                throw JpodException.of(ErrorCode.NS_MISMATCH, "cannot add container " + id + " as it is in namespace \""
                        + ns + "\" and we are in namespace \"" + namespace + "\"");
            }
            checkUnused(id, name);
            String podId = ctr.config().pod();
            if (podId != null) {
                Pod pod = pods.get(podId);
                if (pod == null) {
                    throw JpodException.of(ErrorCode.NO_SUCH_POD, "cannot add container " + id + " to pod " + podId
                            + ": no pod with ID " + podId + " found in database");
                }
                if (!pod.namespace().equals(ns)) {
                    throw JpodException.of(ErrorCode.NS_MISMATCH, "container " + id + " is in namespace \"" + ns
                            + "\" and pod " + podId + " is in namespace \"" + pod.namespace() + "\"");
                }
            }
            persist(() -> store.putContainer(ctr));
            load(ctr);
        });
    }

    @Override
    public void removeContainer(String id) {
        write(() -> {
            Container c = ctrById(id);
            persist(() -> store.deleteContainer(id));
            ctrs.remove(id);
            names.remove(c.name(), id);
            String podId = c.config().pod();
            if (podId != null && podMembers.containsKey(podId)) {
                podMembers.get(podId).remove(id);
            }
        });
    }

    @Override
    public void saveContainer(Container ctr) {
        if (ctr == null) {
            throw JpodException.of(ErrorCode.INVALID_ARG, "container must not be null");
        }
        write(() -> {
            Container old = ctrs.get(require(ctr.id(), "container ID"));
            if (old == null) {
                throw JpodException.of(ErrorCode.NO_SUCH_CTR, "container " + ctr.id() + " does not exist in database");
            }
            if (!visible(old.config().namespace())) {
                throw nsMismatch("container", ctr.id(), old.config().namespace());
            }
            if (!Objects.equals(old.config().pod(), ctr.config().pod())
                    || !old.config().namespace().equals(ctr.config().namespace())) {
                throw JpodException.of(ErrorCode.INVALID_ARG, "the pod and namespace of container " + ctr.id()
                        + " cannot be changed");
            }
            String newName = require(ctr.name(), "container name");
            boolean renamed = !newName.equals(old.name());
            if (renamed) {
                checkNameUnused(newName);
            }
            persist(() -> store.putContainer(ctr));
            ctrs.put(ctr.id(), ctr);
            if (renamed) {
                names.remove(old.name(), ctr.id());
                names.put(newName, ctr.id());
            }
        });
    }

    @Override
    public List<Container> allContainers() {
        return read(() -> ctrs.values().stream().filter(c -> visible(c.config().namespace())).toList());
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
        return read(() -> {
            require(id, "container ID");
            ExitCode e = exitCodes.get(id);
            return e == null ? OptionalInt.empty() : OptionalInt.of(e.code());
        });
    }

    @Override
    public void pruneContainerExitCodes(Instant olderThan) {
        if (olderThan == null) {
            throw JpodException.of(ErrorCode.INVALID_ARG, "the time to prune exit codes before must not be null");
        }
        write(() -> {
            List<String> old = exitCodes.entrySet().stream().filter(e -> e.getValue().at().isBefore(olderThan))
                    .map(Map.Entry::getKey).toList();
            if (old.isEmpty()) {
                return;
            }
            persist(() -> old.forEach(store::deleteExitCode));
            old.forEach(exitCodes::remove);
        });
    }

    // ---- pods

    private Pod podById(String id) {
        require(id, "pod ID");
        Pod p = pods.get(id);
        if (p == null) {
            throw JpodException.of(ErrorCode.NO_SUCH_POD, "no pod with ID " + id + " found in database");
        }
        if (!visible(p.namespace())) {
            throw nsMismatch("pod", id, p.namespace());
        }
        return p;
    }

    @Override
    public Pod pod(String id) {
        return read(() -> podById(id));
    }

    @Override
    public Pod lookupPod(String idOrName) {
        return read(() -> {
            require(idOrName, "pod name or ID");
            Pod p = pods.get(idOrName);
            if (p != null) {
                if (!visible(p.namespace())) {
                    throw nsMismatch("pod", idOrName, p.namespace());
                }
                return p;
            }
            String byName = names.get(idOrName);
            boolean isCtr = false;
            if (byName != null) {
                p = pods.get(byName);
                if (p != null && visible(p.namespace())) {
                    return p;
                }
                Container c = ctrs.get(byName);
                isCtr = c != null && visible(c.config().namespace());
            }
            Pod found = null;
            for (Pod each : pods.values()) {
                if (visible(each.namespace()) && each.id().startsWith(idOrName)) {
                    if (found != null) {
                        throw JpodException.of(ErrorCode.INVALID_ARG, "more than one result for pod ID prefix " + idOrName);
                    }
                    found = each;
                }
            }
            if (found == null) {
                if (isCtr) {
                    throw JpodException.of(ErrorCode.NO_SUCH_POD, "\"" + idOrName + "\" is a container, not a pod");
                }
                throw JpodException.of(ErrorCode.NO_SUCH_POD, "no pod with name or ID \"" + idOrName + "\" found");
            }
            return found;
        });
    }

    @Override
    public boolean hasPod(String id) {
        return read(() -> {
            require(id, "pod ID");
            Pod p = pods.get(id);
            return p != null && visible(p.namespace());
        });
    }

    @Override
    public void addPod(Pod pod) {
        if (pod == null) {
            throw JpodException.of(ErrorCode.INVALID_ARG, "pod must not be null");
        }
        write(() -> {
            String id = require(pod.id(), "pod ID");
            String name = require(pod.name(), "pod name");
            if (!visible(pod.namespace())) {
                throw JpodException.of(ErrorCode.NS_MISMATCH, "cannot add pod " + id + " as it is in namespace \""
                        + pod.namespace() + "\" and we are in namespace \"" + namespace + "\"");
            }
            checkUnused(id, name);
            persist(() -> store.putPod(pod));
            load(pod);
        });
    }

    @Override
    public void removePod(String id) {
        write(() -> {
            Pod p = podById(id);
            Set<String> members = podMembers.getOrDefault(id, Set.of());
            if (!members.isEmpty()) {
                throw JpodException.of(ErrorCode.CTR_IN_USE, "pod " + id + " still has " + members.size()
                        + (members.size() == 1 ? " container" : " containers") + " (" + String.join(", ", members)
                        + "): remove them before removing the pod");
            }
            persist(() -> store.deletePod(id));
            pods.remove(id);
            names.remove(p.name(), id);
            podMembers.remove(id);
        });
    }

    @Override
    public void savePod(Pod pod) {
        if (pod == null) {
            throw JpodException.of(ErrorCode.INVALID_ARG, "pod must not be null");
        }
        write(() -> {
            Pod old = pods.get(require(pod.id(), "pod ID"));
            if (old == null) {
                throw JpodException.of(ErrorCode.NO_SUCH_POD, "pod " + pod.id() + " does not exist in database");
            }
            if (!visible(old.namespace())) {
                throw nsMismatch("pod", pod.id(), old.namespace());
            }
            if (!old.namespace().equals(pod.namespace())) {
                throw JpodException.of(ErrorCode.INVALID_ARG, "the namespace of pod " + pod.id() + " cannot be changed");
            }
            String newName = require(pod.name(), "pod name");
            boolean renamed = !newName.equals(old.name());
            if (renamed) {
                checkNameUnused(newName);
            }
            persist(() -> store.putPod(pod));
            pods.put(pod.id(), pod);
            if (renamed) {
                names.remove(old.name(), pod.id());
                names.put(newName, pod.id());
            }
        });
    }

    @Override
    public Set<String> podContainers(String podId) {
        return read(() -> {
            podById(podId);
            return Set.copyOf(podMembers.getOrDefault(podId, Set.of()));
        });
    }

    @Override
    public List<Pod> allPods() {
        return read(() -> pods.values().stream().filter(p -> visible(p.namespace())).toList());
    }

    // ---- volumes

    private Volume volByName(String name) {
        require(name, "volume name");
        Volume v = volumes.get(name);
        if (v == null) {
            throw JpodException.of(ErrorCode.NO_SUCH_VOLUME, "no volume with name " + name + " found in database");
        }
        if (!visible(v.namespace())) {
            throw nsMismatch("volume", name, v.namespace());
        }
        return v;
    }

    @Override
    public Volume volume(String name) {
        return read(() -> volByName(name));
    }

    @Override
    public Volume lookupVolume(String nameOrPrefix) {
        return read(() -> {
            require(nameOrPrefix, "volume name");
            Volume v = volumes.get(nameOrPrefix);
            if (v != null) {
                if (!visible(v.namespace())) {
                    throw nsMismatch("volume", nameOrPrefix, v.namespace());
                }
                return v;
            }
            Volume found = null;
            for (Volume each : volumes.values()) {
                if (visible(each.namespace()) && each.name().startsWith(nameOrPrefix)) {
                    if (found != null) {
                        throw JpodException.of(ErrorCode.INVALID_ARG, "more than one result for volume name prefix "
                                + nameOrPrefix);
                    }
                    found = each;
                }
            }
            if (found == null) {
                throw JpodException.of(ErrorCode.NO_SUCH_VOLUME, "no volume with name \"" + nameOrPrefix + "\" found");
            }
            return found;
        });
    }

    @Override
    public boolean hasVolume(String name) {
        return read(() -> {
            require(name, "volume name");
            Volume v = volumes.get(name);
            return v != null && visible(v.namespace());
        });
    }

    @Override
    public void addVolume(Volume volume) {
        if (volume == null) {
            throw JpodException.of(ErrorCode.INVALID_ARG, "volume must not be null");
        }
        write(() -> {
            String name = require(volume.name(), "volume name");
            if (!visible(volume.namespace())) {
                throw JpodException.of(ErrorCode.NS_MISMATCH, "cannot add volume " + name + " as it is in namespace \""
                        + volume.namespace() + "\" and we are in namespace \"" + namespace + "\"");
            }
            if (volumes.containsKey(name)) {
                throw JpodException.of(ErrorCode.VOLUME_EXISTS, "volume with name " + name + " already exists in state");
            }
            persist(() -> store.putVolume(volume));
            volumes.put(name, volume);
        });
    }

    @Override
    public void removeVolume(String name) {
        write(() -> {
            volByName(name);
            List<String> users = users(name);
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
        if (volume == null) {
            throw JpodException.of(ErrorCode.INVALID_ARG, "volume must not be null");
        }
        write(() -> {
            volByName(volume.name());
            persist(() -> store.putVolume(volume));
            volumes.put(volume.name(), volume);
        });
    }

    private List<String> users(String volumeName) {
        List<String> ids = new ArrayList<>();
        for (Container c : ctrs.values()) {
            for (Mount m : c.config().mounts()) {
                if ("volume".equals(m.type()) && volumeName.equals(m.source())) {
                    ids.add(c.id());
                    break;
                }
            }
        }
        return ids;
    }

    /** All containers that mount the volume, whatever their namespace. */
    @Override
    public List<String> volumeInUse(String name) {
        return read(() -> {
            volByName(name);
            return List.copyOf(users(name));
        });
    }

    @Override
    public List<Volume> allVolumes() {
        return read(() -> volumes.values().stream().filter(v -> visible(v.namespace())).toList());
    }
}
