package io.jpod.state.mapdb.internal;

import io.jpod.state.memory.internal.DatabaseErrors;
import io.jpod.state.memory.internal.DatabaseLock;
import io.jpod.state.memory.internal.ExitCode;
import io.jpod.state.memory.internal.RecordJson;
import io.jpod.state.memory.internal.StateCore;
import io.jpod.state.memory.internal.Store;
import io.jpod.api.Container;
import io.jpod.api.DBConfig;
import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;
import io.jpod.api.Pod;
import io.jpod.api.Volume;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.mapdb.DB;
import org.mapdb.DBMaker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MapDB file behind a {@link StateCore}: one map of JSON strings per kind of object, written
 * through and committed (MapDB's write-ahead log) before each mutation returns. The core keeps the
 * objects in memory too; this process is the only one with the file open, as the lock file ensures.
 */
final class MapdbStore implements Store {
    private static final Logger LOG = LoggerFactory.getLogger(MapdbStore.class);

    static final String DB_FILE = "jpod.db";
    static final String LOCK_FILE = "jpod.db.lock";
    static final String FORMAT = "1";

    private final Path file;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final DB db;
    private final Map<String, String> containers;
    private final Map<String, String> pods;
    private final Map<String, String> volumes;
    private final Map<String, String> exitCodes;
    private final Map<String, String> meta;

    private MapdbStore(Path file, FileChannel lockChannel, FileLock lock, DB db) {
        this.file = file;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.db = db;
        containers = db.getTreeMap("containers");
        pods = db.getTreeMap("pods");
        volumes = db.getTreeMap("volumes");
        exitCodes = db.getTreeMap("exitCodes");
        meta = db.getTreeMap("meta");
    }

    /** Opens (or creates) the database in {@code staticDir} and loads it into a new state. */
    static StateCore open(Path staticDir, Duration lockWait) {
        Path dir = staticDir.toAbsolutePath();
        try {
            OwnerOnlyFiles.directory(dir);
        } catch (IOException e) {
            throw DatabaseErrors.cannotCreateDir(dir, e);
        }
        Path lockFile = dir.resolve(LOCK_FILE);
        FileChannel channel;
        try {
            channel = FileChannel.open(lockFile, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE),
                    OwnerOnlyFiles.FILE);
        } catch (IOException e) {
            throw DatabaseErrors.cannotOpenLock(lockFile, dir, e);
        }
        Path file = dir.resolve(DB_FILE);
        FileLock lock = null;
        DB db = null;
        try {
            lock = DatabaseLock.acquire(channel, file, lockFile, lockWait);
            makeOwnerOnly(dir, file);
            try {
                db = DBMaker.newFileDB(file.toFile()).checksumEnable().make();
            } catch (RuntimeException | Error e) {
                throw damaged(file, e);
            }
            MapdbStore store = new MapdbStore(file, channel, lock, db);
            StateCore core = new StateCore(store, "database " + file);
            try {
                store.loadInto(core);
            } catch (RuntimeException | Error e) {
                throw damaged(file, e);
            }
            LOG.info("opened the state database {}", file);
            return core;
        } catch (RuntimeException | Error e) {
            if (db != null) {
                try {
                    db.close();
                } catch (RuntimeException | Error c) {
                    e.addSuppressed(c);
                }
            }
            try {
                channel.close(); // releases the lock too
            } catch (IOException c) {
                e.addSuppressed(c);
            }
            throw e;
        }
    }

    /**
     * Makes MapDB's files (the database, its .p and .t) 0600 before MapDB opens them, as it takes an empty file
     * for a missing one, and sets those an older jpod made readable to others (and the lock file) to 0600.
     */
    private static void makeOwnerOnly(Path dir, Path file) {
        try {
            for (String suffix : List.of("", ".p", ".t")) {
                OwnerOnlyFiles.createMissing(file.resolveSibling(file.getFileName() + suffix));
            }
            OwnerOnlyFiles.tighten(dir, DB_FILE + "*");
        } catch (IOException e) {
            throw new JpodException(ErrorCode.INTERNAL, "cannot make the state database " + file
                    + " readable by its owner only: " + DatabaseErrors.reason(e) + "; make " + dir
                    + " writable or set static_dir to a writable directory");
        }
    }

    private static JpodException damaged(Path file, Throwable e) {
        return DatabaseErrors.damaged(file, e, file.getFileName() + ".p and " + file.getFileName() + ".t files");
    }

    private void loadInto(StateCore core) {
        String format = meta.get("format");
        if (format == null) {
            meta.put("format", FORMAT);
            db.commit();
        } else if (!FORMAT.equals(format)) {
            throw new JpodException(ErrorCode.DB_BAD_CONFIG, "the state database " + file + " has format " + format
                    + ", this jpod reads format " + FORMAT + ": use the jpod version that wrote it");
        }
        String cfg = meta.get("dbConfig");
        if (cfg != null) {
            core.load(RecordJson.read(cfg, DBConfig.class, "DB config"));
        }
        pods.forEach((id, json) -> core.load(RecordJson.read(json, Pod.class, "pod " + id)));
        containers.forEach((id, json) -> core.load(RecordJson.read(json, Container.class, "container " + id)));
        volumes.forEach((name, json) -> core.load(RecordJson.read(json, Volume.class, "volume " + name)));
        exitCodes.forEach((id, json) -> core.load(id, RecordJson.read(json, ExitCode.class, "exit code of " + id)));
        LOG.debug("loaded {} containers, {} pods, {} volumes from {}", containers.size(), pods.size(), volumes.size(),
                file);
    }

    @Override
    public void putContainer(Container ctr) {
        containers.put(ctr.id(), RecordJson.write(ctr));
    }

    @Override
    public void deleteContainer(String id) {
        containers.remove(id);
    }

    @Override
    public void putPod(Pod pod) {
        pods.put(pod.id(), RecordJson.write(pod));
    }

    @Override
    public void deletePod(String id) {
        pods.remove(id);
    }

    @Override
    public void putVolume(Volume volume) {
        volumes.put(volume.name(), RecordJson.write(volume));
    }

    @Override
    public void deleteVolume(String name) {
        volumes.remove(name);
    }

    @Override
    public void putExitCode(String id, ExitCode exit) {
        exitCodes.put(id, RecordJson.write(exit));
    }

    @Override
    public void deleteExitCode(String id) {
        exitCodes.remove(id);
    }

    @Override
    public void putDbConfig(DBConfig config) {
        meta.put("dbConfig", RecordJson.write(config));
    }

    @Override
    public void commit() {
        db.commit();
    }

    @Override
    public void rollback() {
        db.rollback();
    }

    @Override
    public void close() {
        try {
            db.close();
        } catch (RuntimeException | Error e) {
            LOG.warn("closing the state database {} failed", file, e);
        } finally {
            try {
                lock.release();
                lockChannel.close();
            } catch (IOException e) {
                LOG.warn("releasing the lock of the state database {} failed", file, e);
            }
            LOG.info("closed the state database {}", file);
        }
    }
}
