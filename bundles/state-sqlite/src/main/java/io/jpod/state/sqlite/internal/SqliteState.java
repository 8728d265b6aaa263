package io.jpod.state.sqlite.internal;

import io.jpod.api.Container;
import io.jpod.api.DBConfig;
import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;
import io.jpod.api.Mount;
import io.jpod.api.Pod;
import io.jpod.api.Volume;
import io.jpod.spi.state.State;
import io.jpod.state.memory.internal.RecordJson;
import io.jpod.state.memory.internal.StoredDbConfig;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Set;

/**
 * libpod's State over SQLite tables, the database being the only copy: each object is a row keyed by its ID (or
 * name, for volumes) with the columns the lookups need and the object itself as JSON, and each change is one
 * transaction. The {@code container_volumes} table says which containers mount which volume. Lookups are SQL
 * queries; the objects they find are decoded once and kept ({@link RowCache}), as this process is the only writer.
 */
final class SqliteState implements State {
    /** The schema version this code reads and writes. */
    static final String FORMAT = "1";

    private static final String[] SCHEMA = {
        "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL)",
        "CREATE TABLE IF NOT EXISTS pods (id TEXT PRIMARY KEY NOT NULL, name TEXT NOT NULL UNIQUE,"
                + " namespace TEXT NOT NULL, json TEXT NOT NULL)",
        "CREATE TABLE IF NOT EXISTS containers (id TEXT PRIMARY KEY NOT NULL, name TEXT NOT NULL UNIQUE,"
                + " namespace TEXT NOT NULL, pod TEXT REFERENCES pods(id), json TEXT NOT NULL)",
        "CREATE INDEX IF NOT EXISTS containers_pod ON containers (pod)",
        "CREATE TABLE IF NOT EXISTS container_volumes (container TEXT NOT NULL REFERENCES containers(id)"
                + " ON DELETE CASCADE, volume TEXT NOT NULL, PRIMARY KEY (container, volume))",
        "CREATE INDEX IF NOT EXISTS container_volumes_volume ON container_volumes (volume)",
        "CREATE TABLE IF NOT EXISTS volumes (name TEXT PRIMARY KEY NOT NULL, namespace TEXT NOT NULL,"
                + " json TEXT NOT NULL)",
        "CREATE TABLE IF NOT EXISTS exit_codes (id TEXT PRIMARY KEY NOT NULL, code INTEGER NOT NULL,"
                + " at INTEGER NOT NULL)",
    };

    private final Database db;
    private final AutoCloseable files;
    private final RowCache<Container> ctrs = new RowCache<>();
    private final RowCache<Pod> pods = new RowCache<>();
    private final RowCache<Volume> vols = new RowCache<>();
    private volatile String namespace = "";

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
            // a damaged page is found now, not by the first lookup that reaches it
            List<String> check = d.list("PRAGMA quick_check", rs -> rs.getString(1));
            if (!check.equals(List.of("ok"))) {
                throw new JpodException(ErrorCode.INTERNAL, "its check found: " + String.join("; ",
                        check.subList(0, Math.min(3, check.size()))));
            }
            for (String sql : SCHEMA) {
                d.execute(sql);
            }
            String format = d.one("SELECT value FROM meta WHERE key = 'format'", rs -> rs.getString(1));
            if (format == null) {
                d.update("INSERT INTO meta (key, value) VALUES ('format', ?)", FORMAT);
            } else if (!FORMAT.equals(format)) {
                throw JpodException.of(ErrorCode.DB_BAD_CONFIG, "the state database " + d.file() + " has format "
                        + format + ", this jpod reads format " + FORMAT + ": use the jpod version that wrote it");
            }
            return null;
        });
        return new SqliteState(db, files);
    }

    // ---- helpers

    private static String require(String value, String what) {
        if (value == null || value.isEmpty()) {
            throw JpodException.of(ErrorCode.EMPTY_ID, what + " is empty");
        }
        return value;
    }

    private boolean visible(String objectNamespace) {
        String ns = namespace;
        return ns.isEmpty() || ns.equals(objectNamespace);
    }

    private JpodException nsMismatch(String kind, String id, String objectNamespace) {
        return JpodException.of(ErrorCode.NS_MISMATCH, kind + " " + id + " is in namespace \"" + objectNamespace
                + "\" and we are in namespace \"" + namespace + "\"");
    }

    /** The object stored under {@code key}: from the cache, else read, decoded and cached; null if none. */
    private static <T> T load(Database d, RowCache<T> cache, String table, String keyColumn, String key,
            Class<T> type) throws SQLException {
        T cached = cache.get(key);
        if (cached != null || cache.deleted(key)) {
            return cached;
        }
        String json = d.one("SELECT json FROM " + table + " WHERE " + keyColumn + " = ?", rs -> rs.getString(1), key);
        if (json == null) {
            return null;
        }
        T value = RecordJson.read(json, type, type.getSimpleName().toLowerCase(java.util.Locale.ROOT) + " " + key);
        cache.fill(key, value);
        return value;
    }

    private Container ctrOf(Database d, String id) throws SQLException {
        return id == null ? null : load(d, ctrs, "containers", "id", id, Container.class);
    }

    private Pod podOf(Database d, String id) throws SQLException {
        return id == null ? null : load(d, pods, "pods", "id", id, Pod.class);
    }

    private Volume volOf(Database d, String name) throws SQLException {
        return name == null ? null : load(d, vols, "volumes", "name", name, Volume.class);
    }

    /** The containers whose IDs a query gives, in its order. */
    private List<Container> ctrList(Database d, String sql, Object... args) throws SQLException {
        List<Container> out = new java.util.ArrayList<>();
        for (String id : d.list(sql, rs -> rs.getString(1), args)) {
            out.add(ctrOf(d, id));
        }
        return out;
    }

    private List<Pod> podList(Database d, String sql, Object... args) throws SQLException {
        List<Pod> out = new java.util.ArrayList<>();
        for (String id : d.list(sql, rs -> rs.getString(1), args)) {
            out.add(podOf(d, id));
        }
        return out;
    }

    private List<Volume> volList(Database d, String sql, Object... args) throws SQLException {
        List<Volume> out = new java.util.ArrayList<>();
        for (String name : d.list(sql, rs -> rs.getString(1), args)) {
            out.add(volOf(d, name));
        }
        return out;
    }

    /** The names of the volumes a container mounts. */
    private static Set<String> volumesOf(Container ctr) {
        Set<String> names = new LinkedHashSet<>();
        for (Mount m : ctr.config().mounts()) {
            if ("volume".equals(m.type()) && m.source() != null) {
                names.add(m.source());
            }
        }
        return names;
    }

    private static long nanos(Instant t) {
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
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
            for (Container c : ctrList(d, "SELECT id FROM containers ORDER BY rowid")) {
                Container fresh = c.withState(c.state().refreshed());
                d.update("UPDATE containers SET json = ? WHERE id = ?", RecordJson.write(fresh), c.id());
                ctrs.put(c.id(), fresh);
            }
            for (Volume v : volList(d, "SELECT name FROM volumes ORDER BY rowid")) {
                Volume fresh = v.withMountCount(0);
                d.update("UPDATE volumes SET json = ? WHERE name = ?", RecordJson.write(fresh), v.name());
                vols.put(v.name(), fresh);
            }
            return null;
        });
    }

    private static DBConfig storedConfig(Database d) throws SQLException {
        String json = d.one("SELECT value FROM meta WHERE key = 'dbConfig'", rs -> rs.getString(1));
        return json == null ? null : RecordJson.read(json, DBConfig.class, "DB config");
    }

    @Override
    public DBConfig dbConfig() {
        return db.read(SqliteState::storedConfig);
    }

    @Override
    public void validateDBConfig(DBConfig config) {
        if (config == null) {
            throw JpodException.of(ErrorCode.INVALID_ARG, "DB config must not be null");
        }
        db.write(d -> {
            DBConfig stored = storedConfig(d);
            if (stored == null) {
                d.update("INSERT INTO meta (key, value) VALUES ('dbConfig', ?)", RecordJson.write(config));
                return null;
            }
            StoredDbConfig.checkMatches(stored, config);
            return null;
        });
    }

    @Override
    public void setNamespace(String ns) {
        db.read(d -> {
            namespace = ns == null ? "" : ns;
            return null;
        });
    }

    @Override
    public String namespace() {
        return db.read(d -> namespace);
    }

    // ---- containers

    private Container storedCtr(Database d, String id) throws SQLException {
        return ctrOf(d, id);
    }

    private Container ctrById(Database d, String id) throws SQLException {
        require(id, "container ID");
        Container c = storedCtr(d, id);
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
        return db.read(d -> ctrById(d, id));
    }

    @Override
    public Container lookupContainer(String idOrName) {
        return db.read(d -> {
            require(idOrName, "container name or ID");
            Container c = storedCtr(d, idOrName);
            if (c != null) {
                if (!visible(c.config().namespace())) {
                    throw nsMismatch("container", idOrName, c.config().namespace());
                }
                return c;
            }
            c = ctrOf(d, d.one("SELECT id FROM containers WHERE name = ?", rs -> rs.getString(1), idOrName));
            if (c != null && visible(c.config().namespace())) {
                return c;
            }
            boolean isPod = false;
            if (c == null) {
                Pod p = podOf(d, d.one("SELECT id FROM pods WHERE name = ?", rs -> rs.getString(1), idOrName));
                isPod = p != null && visible(p.namespace());
            }
            List<Container> found = ctrList(d, "SELECT id FROM containers WHERE substr(id, 1, ?) = ?"
                    + " AND (? = '' OR namespace = ?) ORDER BY rowid LIMIT 2", idOrName.length(), idOrName, namespace,
                    namespace);
            if (found.size() > 1) {
                throw JpodException.of(ErrorCode.INVALID_ARG, "more than one result for container ID prefix "
                        + idOrName);
            }
            if (found.isEmpty()) {
                if (isPod) {
                    throw JpodException.of(ErrorCode.NO_SUCH_CTR, "\"" + idOrName + "\" is a pod, not a container");
                }
                throw JpodException.of(ErrorCode.NO_SUCH_CTR, "no container with name or ID \"" + idOrName + "\" found");
            }
            return found.get(0);
        });
    }

    @Override
    public boolean hasContainer(String id) {
        return db.read(d -> {
            require(id, "container ID");
            String ns = d.one("SELECT namespace FROM containers WHERE id = ?", rs -> rs.getString(1), id);
            return ns != null && visible(ns);
        });
    }

    /** Fails if the ID or name is used by a container or pod. */
    private static void checkUnused(Database d, String id, String name) throws SQLException {
        if (d.one("SELECT 1 FROM containers WHERE id = ?", rs -> true, id) != null) {
            throw JpodException.of(ErrorCode.CTR_EXISTS, "ID \"" + id + "\" is in use by a container");
        }
        if (d.one("SELECT 1 FROM pods WHERE id = ?", rs -> true, id) != null) {
            throw JpodException.of(ErrorCode.POD_EXISTS, "ID \"" + id + "\" is in use by a pod");
        }
        checkNameUnused(d, name);
    }

    private static void checkNameUnused(Database d, String name) throws SQLException {
        String ctr = d.one("SELECT id FROM containers WHERE name = ?", rs -> rs.getString(1), name);
        if (ctr != null) {
            throw JpodException.of(ErrorCode.CTR_EXISTS, "name \"" + name + "\" is in use by container " + ctr);
        }
        String pod = d.one("SELECT id FROM pods WHERE name = ?", rs -> rs.getString(1), name);
        if (pod != null) {
            throw JpodException.of(ErrorCode.POD_EXISTS, "name \"" + name + "\" is in use by pod " + pod);
        }
    }

    private static void writeVolumeUsers(Database d, String id, Set<String> volumes) throws SQLException {
        for (String v : volumes) {
            d.update("INSERT INTO container_volumes (container, volume) VALUES (?, ?)", id, v);
        }
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
            if (!visible(ns)) {
                throw JpodException.of(ErrorCode.NS_MISMATCH, "cannot add container " + id + " as it is in namespace \""
                        + ns + "\" and we are in namespace \"" + namespace + "\"");
            }
            checkUnused(d, id, name);
            String podId = ctr.config().pod();
            if (podId != null) {
                Pod pod = podOf(d, podId);
                if (pod == null) {
                    throw JpodException.of(ErrorCode.NO_SUCH_POD, "cannot add container " + id + " to pod " + podId
                            + ": no pod with ID " + podId + " found in database");
                }
                if (!pod.namespace().equals(ns)) {
                    throw JpodException.of(ErrorCode.NS_MISMATCH, "container " + id + " is in namespace \"" + ns
                            + "\" and pod " + podId + " is in namespace \"" + pod.namespace() + "\"");
                }
            }
            d.update("INSERT INTO containers (id, name, namespace, pod, json) VALUES (?, ?, ?, ?, ?)", id, name, ns,
                    podId, RecordJson.write(ctr));
            ctrs.put(id, ctr);
            writeVolumeUsers(d, id, volumesOf(ctr));
            return null;
        });
    }

    @Override
    public void removeContainer(String id) {
        db.write(d -> {
            ctrById(d, id);
            d.update("DELETE FROM containers WHERE id = ?", id);
            ctrs.remove(id);
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
            Container old = storedCtr(d, id);
            if (old == null) {
                throw JpodException.of(ErrorCode.NO_SUCH_CTR, "container " + id + " does not exist in database");
            }
            if (!visible(old.config().namespace())) {
                throw nsMismatch("container", id, old.config().namespace());
            }
            if (!Objects.equals(old.config().pod(), ctr.config().pod())
                    || !old.config().namespace().equals(ctr.config().namespace())) {
                throw JpodException.of(ErrorCode.INVALID_ARG, "the pod and namespace of container " + id
                        + " cannot be changed");
            }
            String newName = require(ctr.name(), "container name");
            if (!newName.equals(old.name())) {
                checkNameUnused(d, newName);
            }
            d.update("UPDATE containers SET name = ?, json = ? WHERE id = ?", newName, RecordJson.write(ctr), id);
            ctrs.put(id, ctr);
            Set<String> volumes = volumesOf(ctr);
            if (!volumes.equals(volumesOf(old))) {
                d.update("DELETE FROM container_volumes WHERE container = ?", id);
                writeVolumeUsers(d, id, volumes);
            }
            return null;
        });
    }

    @Override
    public List<Container> allContainers() {
        return db.read(d -> ctrList(d, "SELECT id FROM containers WHERE ? = '' OR namespace = ? ORDER BY rowid",
                namespace, namespace));
    }

    @Override
    public void addContainerExitCode(String id, int exitCode) {
        require(id, "container ID");
        db.write(d -> d.update("INSERT OR REPLACE INTO exit_codes (id, code, at) VALUES (?, ?, ?)", id, exitCode,
                nanos(Instant.now())));
    }

    @Override
    public OptionalInt containerExitCode(String id) {
        return db.read(d -> {
            require(id, "container ID");
            Integer code = d.one("SELECT code FROM exit_codes WHERE id = ?", rs -> rs.getInt(1), id);
            return code == null ? OptionalInt.empty() : OptionalInt.of(code);
        });
    }

    @Override
    public void pruneContainerExitCodes(Instant olderThan) {
        if (olderThan == null) {
            throw JpodException.of(ErrorCode.INVALID_ARG, "the time to prune exit codes before must not be null");
        }
        db.write(d -> d.update("DELETE FROM exit_codes WHERE at < ?", nanos(olderThan)));
    }

    // ---- pods

    private Pod podById(Database d, String id) throws SQLException {
        require(id, "pod ID");
        Pod p = podOf(d, id);
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
        return db.read(d -> podById(d, id));
    }

    @Override
    public Pod lookupPod(String idOrName) {
        return db.read(d -> {
            require(idOrName, "pod name or ID");
            Pod p = podOf(d, idOrName);
            if (p != null) {
                if (!visible(p.namespace())) {
                    throw nsMismatch("pod", idOrName, p.namespace());
                }
                return p;
            }
            p = podOf(d, d.one("SELECT id FROM pods WHERE name = ?", rs -> rs.getString(1), idOrName));
            if (p != null && visible(p.namespace())) {
                return p;
            }
            boolean isCtr = false;
            if (p == null) {
                String ns = d.one("SELECT namespace FROM containers WHERE name = ?", rs -> rs.getString(1), idOrName);
                isCtr = ns != null && visible(ns);
            }
            List<Pod> found = podList(d, "SELECT id FROM pods WHERE substr(id, 1, ?) = ?"
                    + " AND (? = '' OR namespace = ?) ORDER BY rowid LIMIT 2", idOrName.length(), idOrName, namespace,
                    namespace);
            if (found.size() > 1) {
                throw JpodException.of(ErrorCode.INVALID_ARG, "more than one result for pod ID prefix " + idOrName);
            }
            if (found.isEmpty()) {
                if (isCtr) {
                    throw JpodException.of(ErrorCode.NO_SUCH_POD, "\"" + idOrName + "\" is a container, not a pod");
                }
                throw JpodException.of(ErrorCode.NO_SUCH_POD, "no pod with name or ID \"" + idOrName + "\" found");
            }
            return found.get(0);
        });
    }

    @Override
    public boolean hasPod(String id) {
        return db.read(d -> {
            require(id, "pod ID");
            String ns = d.one("SELECT namespace FROM pods WHERE id = ?", rs -> rs.getString(1), id);
            return ns != null && visible(ns);
        });
    }

    @Override
    public void addPod(Pod pod) {
        if (pod == null) {
            throw JpodException.of(ErrorCode.INVALID_ARG, "pod must not be null");
        }
        db.write(d -> {
            String id = require(pod.id(), "pod ID");
            String name = require(pod.name(), "pod name");
            if (!visible(pod.namespace())) {
                throw JpodException.of(ErrorCode.NS_MISMATCH, "cannot add pod " + id + " as it is in namespace \""
                        + pod.namespace() + "\" and we are in namespace \"" + namespace + "\"");
            }
            checkUnused(d, id, name);
            d.update("INSERT INTO pods (id, name, namespace, json) VALUES (?, ?, ?, ?)", id, name, pod.namespace(),
                    RecordJson.write(pod));
            pods.put(id, pod);
            return null;
        });
    }

    private static List<String> members(Database d, String podId) throws SQLException {
        return d.list("SELECT id FROM containers WHERE pod = ? ORDER BY rowid", rs -> rs.getString(1), podId);
    }

    @Override
    public void removePod(String id) {
        db.write(d -> {
            podById(d, id);
            List<String> members = members(d, id);
            if (!members.isEmpty()) {
                throw JpodException.of(ErrorCode.CTR_IN_USE, "pod " + id + " still has " + members.size()
                        + (members.size() == 1 ? " container" : " containers") + " (" + String.join(", ", members)
                        + "): remove them before removing the pod");
            }
            d.update("DELETE FROM pods WHERE id = ?", id);
            pods.remove(id);
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
            Pod old = podOf(d, id);
            if (old == null) {
                throw JpodException.of(ErrorCode.NO_SUCH_POD, "pod " + id + " does not exist in database");
            }
            if (!visible(old.namespace())) {
                throw nsMismatch("pod", id, old.namespace());
            }
            if (!old.namespace().equals(pod.namespace())) {
                throw JpodException.of(ErrorCode.INVALID_ARG, "the namespace of pod " + id + " cannot be changed");
            }
            String newName = require(pod.name(), "pod name");
            if (!newName.equals(old.name())) {
                checkNameUnused(d, newName);
            }
            d.update("UPDATE pods SET name = ?, json = ? WHERE id = ?", newName, RecordJson.write(pod), id);
            pods.put(id, pod);
            return null;
        });
    }

    @Override
    public Set<String> podContainers(String podId) {
        return db.read(d -> {
            podById(d, podId);
            return Set.copyOf(members(d, podId));
        });
    }

    @Override
    public List<Pod> allPods() {
        return db.read(d -> podList(d, "SELECT id FROM pods WHERE ? = '' OR namespace = ? ORDER BY rowid",
                namespace, namespace));
    }

    // ---- volumes

    private Volume volByName(Database d, String name) throws SQLException {
        require(name, "volume name");
        Volume v = volOf(d, name);
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
        return db.read(d -> volByName(d, name));
    }

    @Override
    public Volume lookupVolume(String nameOrPrefix) {
        return db.read(d -> {
            require(nameOrPrefix, "volume name");
            Volume v = volOf(d, nameOrPrefix);
            if (v != null) {
                if (!visible(v.namespace())) {
                    throw nsMismatch("volume", nameOrPrefix, v.namespace());
                }
                return v;
            }
            List<Volume> found = volList(d, "SELECT name FROM volumes WHERE substr(name, 1, ?) = ?"
                    + " AND (? = '' OR namespace = ?) ORDER BY rowid LIMIT 2", nameOrPrefix.length(), nameOrPrefix,
                    namespace, namespace);
            if (found.size() > 1) {
                throw JpodException.of(ErrorCode.INVALID_ARG, "more than one result for volume name prefix "
                        + nameOrPrefix);
            }
            if (found.isEmpty()) {
                throw JpodException.of(ErrorCode.NO_SUCH_VOLUME, "no volume with name \"" + nameOrPrefix + "\" found");
            }
            return found.get(0);
        });
    }

    @Override
    public boolean hasVolume(String name) {
        return db.read(d -> {
            require(name, "volume name");
            String ns = d.one("SELECT namespace FROM volumes WHERE name = ?", rs -> rs.getString(1), name);
            return ns != null && visible(ns);
        });
    }

    @Override
    public void addVolume(Volume volume) {
        if (volume == null) {
            throw JpodException.of(ErrorCode.INVALID_ARG, "volume must not be null");
        }
        db.write(d -> {
            String name = require(volume.name(), "volume name");
            if (!visible(volume.namespace())) {
                throw JpodException.of(ErrorCode.NS_MISMATCH, "cannot add volume " + name + " as it is in namespace \""
                        + volume.namespace() + "\" and we are in namespace \"" + namespace + "\"");
            }
            if (d.one("SELECT 1 FROM volumes WHERE name = ?", rs -> true, name) != null) {
                throw JpodException.of(ErrorCode.VOLUME_EXISTS, "volume with name " + name + " already exists in state");
            }
            d.update("INSERT INTO volumes (name, namespace, json) VALUES (?, ?, ?)", name, volume.namespace(),
                    RecordJson.write(volume));
            vols.put(name, volume);
            return null;
        });
    }

    private static List<String> users(Database d, String volume) throws SQLException {
        return d.list("SELECT c.id FROM container_volumes v JOIN containers c ON c.id = v.container"
                + " WHERE v.volume = ? ORDER BY c.rowid", rs -> rs.getString(1), volume);
    }

    @Override
    public void removeVolume(String name) {
        db.write(d -> {
            volByName(d, name);
            List<String> users = users(d, name);
            if (!users.isEmpty()) {
                throw JpodException.of(ErrorCode.VOLUME_BEING_USED, "volume " + name
                        + " is being used by the following container(s): " + String.join(", ", users));
            }
            d.update("DELETE FROM volumes WHERE name = ?", name);
            vols.remove(name);
            return null;
        });
    }

    @Override
    public void saveVolume(Volume volume) {
        if (volume == null) {
            throw JpodException.of(ErrorCode.INVALID_ARG, "volume must not be null");
        }
        db.write(d -> {
            volByName(d, volume.name());
            d.update("UPDATE volumes SET namespace = ?, json = ? WHERE name = ?", volume.namespace(), RecordJson.write(volume),
                    volume.name());
            vols.put(volume.name(), volume);
            return null;
        });
    }

    /** All containers that mount the volume, whatever their namespace. */
    @Override
    public List<String> volumeInUse(String name) {
        return db.read(d -> {
            volByName(d, name);
            return List.copyOf(users(d, name));
        });
    }

    @Override
    public List<Volume> allVolumes() {
        return db.read(d -> volList(d, "SELECT name FROM volumes WHERE ? = '' OR namespace = ? ORDER BY rowid",
                namespace, namespace));
    }
}
