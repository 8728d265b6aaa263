package io.jpod.state.sqlite.internal;

import static io.jpod.state.sqlite.internal.Table.require;

import io.jpod.api.Container;
import io.jpod.api.DBConfig;
import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;
import io.jpod.api.Pod;
import io.jpod.api.Volume;
import io.jpod.spi.state.State;
import io.jpod.state.memory.internal.StoredDbConfig;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Set;

/**
 * libpod's State over SQLite tables, the database being the only copy: each object is a row keyed by its ID (or
 * name, for volumes) with the columns the lookups need and the object itself as JSON, and each change is one
 * transaction. One class per table ({@link ContainerTable}, {@link PodTable}, {@link VolumeTable},
 * {@link ExitCodeTable}); this class holds the connection and what spans tables: the name space containers and
 * pods share, pods' members, volumes in use by containers, the namespace.
 */
final class SqliteState implements State {
    private final Database db;
    private final AutoCloseable files;
    private final Namespace namespace = new Namespace();
    private final ContainerTable ctrs = new ContainerTable(namespace);
    private final PodTable pods = new PodTable(namespace);
    private final VolumeTable vols = new VolumeTable(namespace);

    private SqliteState(Database db, AutoCloseable files) {
        this.db = db;
        this.files = files;
        db.onEnd(() -> {
            ctrs.commit();
            pods.commit();
            vols.commit();
        }, () -> {
            ctrs.abandon();
            pods.abandon();
            vols.abandon();
        });
    }

    /** Makes or checks the schema of an opened database; {@code files} is closed with the state. */
    static SqliteState on(Database db, AutoCloseable files) {
        db.write(d -> {
            Schema.apply(d);
            return null;
        });
        return new SqliteState(db, files);
    }

    // ---- lifecycle and config

    @Override
    public void close() {
        if (db.isClosed()) {
            return;
        }
        db.close();
        try {
            files.close();
        } catch (Exception e) {
            throw new JpodException(ErrorCode.INTERNAL, "closing the state database " + db.file() + " failed: " + e, e);
        }
    }

    @Override
    public void refresh() {
        db.write(d -> {
            ctrs.refresh(d);
            vols.refresh(d);
            return null;
        });
    }

    @Override
    public DBConfig dbConfig() {
        return db.read(Schema::dbConfig);
    }

    @Override
    public void validateDBConfig(DBConfig config) {
        if (config == null) {
            throw JpodException.of(ErrorCode.INVALID_ARG, "DB config must not be null");
        }
        db.write(d -> {
            DBConfig stored = Schema.dbConfig(d);
            if (stored == null) {
                Schema.storeDbConfig(d, config);
                return null;
            }
            StoredDbConfig.checkMatches(stored, config);
            return null;
        });
    }

    @Override
    public void setNamespace(String ns) {
        db.read(d -> {
            namespace.set(ns);
            return null;
        });
    }

    @Override
    public String namespace() {
        return db.read(d -> namespace.current());
    }

    // ---- the name space containers and pods share

    /** Fails if the ID or name is used by a container or pod. */
    private void checkUnused(Database d, String id, String name) throws SQLException {
        if (ctrs.exists(d, id)) {
            throw JpodException.of(ErrorCode.CTR_EXISTS, "ID \"" + id + "\" is in use by a container");
        }
        if (pods.exists(d, id)) {
            throw JpodException.of(ErrorCode.POD_EXISTS, "ID \"" + id + "\" is in use by a pod");
        }
        checkNameUnused(d, name);
    }

    private void checkNameUnused(Database d, String name) throws SQLException {
        String ctr = ctrs.keyNamed(d, name);
        if (ctr != null) {
            throw JpodException.of(ErrorCode.CTR_EXISTS, "name \"" + name + "\" is in use by container " + ctr);
        }
        String pod = pods.keyNamed(d, name);
        if (pod != null) {
            throw JpodException.of(ErrorCode.POD_EXISTS, "name \"" + name + "\" is in use by pod " + pod);
        }
    }

    // ---- containers

    @Override
    public Container container(String id) {
        return db.read(d -> ctrs.byKey(d, id));
    }

    @Override
    public Container lookupContainer(String idOrName) {
        return db.read(d -> {
            require(idOrName, "container name or ID");
            Container c = ctrs.exact(d, idOrName);
            if (c != null) {
                return c;
            }
            c = ctrs.load(d, ctrs.keyNamed(d, idOrName));
            if (c != null && ctrs.visible(c)) {
                return c;
            }
            boolean isPod = false;
            if (c == null) {
                Pod p = pods.load(d, pods.keyNamed(d, idOrName));
                isPod = p != null && pods.visible(p);
            }
            Container found = ctrs.byPrefix(d, idOrName);
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
        return db.read(d -> ctrs.has(d, id));
    }

    @Override
    public void addContainer(Container ctr) {
        if (ctr == null) {
            throw JpodException.of(ErrorCode.INVALID_ARG, "container must not be null");
        }
        db.write(d -> {
            String id = require(ctr.id(), "container ID");
            String name = require(ctr.name(), "container name");
            String ns = ctr.config().namespace();
            ctrs.checkAddable(id, ctr);
            checkUnused(d, id, name);
            String podId = ctr.config().pod();
            if (podId != null) {
                Pod pod = pods.load(d, podId);
                if (pod == null) {
                    throw JpodException.of(ErrorCode.NO_SUCH_POD, "cannot add container " + id + " to pod " + podId
                            + ": no pod with ID " + podId + " found in database");
                }
                if (!pod.namespace().equals(ns)) {
                    throw JpodException.of(ErrorCode.NS_MISMATCH, "container " + id + " is in namespace \"" + ns
                            + "\" and pod " + podId + " is in namespace \"" + pod.namespace() + "\"");
                }
            }
            ctrs.insert(d, ctr);
            return null;
        });
    }

    @Override
    public void removeContainer(String id) {
        db.write(d -> {
            ctrs.byKey(d, id);
            ctrs.delete(d, id);
            return null;
        });
    }

    @Override
    public void saveContainer(Container ctr) {
        if (ctr == null) {
            throw JpodException.of(ErrorCode.INVALID_ARG, "container must not be null");
        }
        db.write(d -> {
            String id = require(ctr.id(), "container ID");
            Container old = ctrs.replaced(d, id);
            if (!Objects.equals(old.config().pod(), ctr.config().pod())
                    || !old.config().namespace().equals(ctr.config().namespace())) {
                throw JpodException.of(ErrorCode.INVALID_ARG, "the pod and namespace of container " + id
                        + " cannot be changed");
            }
            String newName = require(ctr.name(), "container name");
            if (!newName.equals(old.name())) {
                checkNameUnused(d, newName);
            }
            ctrs.update(d, old, ctr);
            return null;
        });
    }

    @Override
    public Container renameContainer(String id, String newName) {
        String name = require(newName, "container name");
        return db.write(d -> {
            Container old = ctrs.byKey(d, require(id, "container ID"));
            if (!name.equals(old.name())) {
                checkNameUnused(d, name);
            }
            Container renamed = old.withConfig(old.config().toBuilder().name(name).build());
            ctrs.update(d, old, renamed);
            return renamed;
        });
    }

    @Override
    public List<Container> allContainers() {
        return db.read(ctrs::all);
    }

    @Override
    public void addContainerExitCode(String id, int exitCode) {
        require(id, "container ID");
        db.write(d -> {
            ExitCodeTable.add(d, id, exitCode, Instant.now());
            return null;
        });
    }

    @Override
    public OptionalInt containerExitCode(String id) {
        return db.read(d -> {
            require(id, "container ID");
            return ExitCodeTable.get(d, id);
        });
    }

    @Override
    public void pruneContainerExitCodes(Instant olderThan) {
        if (olderThan == null) {
            throw JpodException.of(ErrorCode.INVALID_ARG, "the time to prune exit codes before must not be null");
        }
        db.write(d -> {
            ExitCodeTable.prune(d, olderThan);
            return null;
        });
    }

    // ---- pods

    @Override
    public Pod pod(String id) {
        return db.read(d -> pods.byKey(d, id));
    }

    @Override
    public Pod lookupPod(String idOrName) {
        return db.read(d -> {
            require(idOrName, "pod name or ID");
            Pod p = pods.exact(d, idOrName);
            if (p != null) {
                return p;
            }
            p = pods.load(d, pods.keyNamed(d, idOrName));
            if (p != null && pods.visible(p)) {
                return p;
            }
            boolean isCtr = p == null && ctrs.visibleWhere(d, "name", idOrName);
            Pod found = pods.byPrefix(d, idOrName);
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
        return db.read(d -> pods.has(d, id));
    }

    @Override
    public void addPod(Pod pod) {
        if (pod == null) {
            throw JpodException.of(ErrorCode.INVALID_ARG, "pod must not be null");
        }
        db.write(d -> {
            String id = require(pod.id(), "pod ID");
            String name = require(pod.name(), "pod name");
            pods.checkAddable(id, pod);
            checkUnused(d, id, name);
            pods.insert(d, pod);
            return null;
        });
    }

    @Override
    public void removePod(String id) {
        db.write(d -> {
            pods.byKey(d, id);
            List<String> members = ctrs.members(d, id);
            if (!members.isEmpty()) {
                throw JpodException.of(ErrorCode.CTR_IN_USE, "pod " + id + " still has " + members.size()
                        + (members.size() == 1 ? " container" : " containers") + " (" + String.join(", ", members)
                        + "): remove them before removing the pod");
            }
            pods.delete(d, id);
            return null;
        });
    }

    @Override
    public void savePod(Pod pod) {
        if (pod == null) {
            throw JpodException.of(ErrorCode.INVALID_ARG, "pod must not be null");
        }
        db.write(d -> {
            String id = require(pod.id(), "pod ID");
            Pod old = pods.replaced(d, id);
            if (!old.namespace().equals(pod.namespace())) {
                throw JpodException.of(ErrorCode.INVALID_ARG, "the namespace of pod " + id + " cannot be changed");
            }
            String newName = require(pod.name(), "pod name");
            if (!newName.equals(old.name())) {
                checkNameUnused(d, newName);
            }
            pods.update(d, pod);
            return null;
        });
    }

    @Override
    public Set<String> podContainers(String podId) {
        return db.read(d -> {
            pods.byKey(d, podId);
            return Set.copyOf(ctrs.members(d, podId));
        });
    }

    @Override
    public List<Pod> allPods() {
        return db.read(pods::all);
    }

    // ---- volumes

    @Override
    public Volume volume(String name) {
        return db.read(d -> vols.byKey(d, name));
    }

    @Override
    public Volume lookupVolume(String nameOrPrefix) {
        return db.read(d -> {
            require(nameOrPrefix, "volume name");
            Volume v = vols.exact(d, nameOrPrefix);
            if (v != null) {
                return v;
            }
            Volume found = vols.byPrefix(d, nameOrPrefix);
            if (found == null) {
                throw JpodException.of(ErrorCode.NO_SUCH_VOLUME, "no volume with name \"" + nameOrPrefix + "\" found");
            }
            return found;
        });
    }

    @Override
    public boolean hasVolume(String name) {
        return db.read(d -> vols.has(d, name));
    }

    @Override
    public void addVolume(Volume volume) {
        if (volume == null) {
            throw JpodException.of(ErrorCode.INVALID_ARG, "volume must not be null");
        }
        db.write(d -> {
            String name = require(volume.name(), "volume name");
            vols.checkAddable(name, volume);
            if (vols.exists(d, name)) {
                throw JpodException.of(ErrorCode.VOLUME_EXISTS, "volume with name " + name + " already exists in state");
            }
            vols.insert(d, volume);
            return null;
        });
    }

    @Override
    public void removeVolume(String name) {
        db.write(d -> {
            vols.byKey(d, name);
            List<String> users = ctrs.mounting(d, name);
            if (!users.isEmpty()) {
                throw JpodException.of(ErrorCode.VOLUME_BEING_USED, "volume " + name
                        + " is being used by the following container(s): " + String.join(", ", users));
            }
            vols.delete(d, name);
            return null;
        });
    }

    @Override
    public void saveVolume(Volume volume) {
        if (volume == null) {
            throw JpodException.of(ErrorCode.INVALID_ARG, "volume must not be null");
        }
        db.write(d -> {
            vols.byKey(d, volume.name());
            vols.update(d, volume);
            return null;
        });
    }

    /** All containers that mount the volume, whatever their namespace. */
    @Override
    public List<String> volumeInUse(String name) {
        return db.read(d -> {
            vols.byKey(d, name);
            return List.copyOf(ctrs.mounting(d, name));
        });
    }

    @Override
    public List<Volume> allVolumes() {
        return db.read(vols::all);
    }
}
