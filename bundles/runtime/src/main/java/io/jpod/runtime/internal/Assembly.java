package io.jpod.runtime.internal;

import io.jpod.api.DBConfig;
import io.jpod.api.ErrorCode;
import io.jpod.api.Event;
import io.jpod.api.JpodException;
import io.jpod.api.ProviderKind;
import io.jpod.api.config.JpodConfig;
import io.jpod.api.config.RuntimeOptions;
import io.jpod.config.LoadedConfig;
import io.jpod.spi.Provider;
import io.jpod.spi.ProviderContext;
import io.jpod.spi.events.Eventer;
import io.jpod.spi.events.EventerProvider;
import io.jpod.spi.lock.LockManager;
import io.jpod.spi.lock.LockProvider;
import io.jpod.spi.network.NetworkBackend;
import io.jpod.spi.network.NetworkProvider;
import io.jpod.spi.oci.OciRuntime;
import io.jpod.spi.oci.OciRuntimeProvider;
import io.jpod.spi.state.State;
import io.jpod.spi.state.StateProvider;
import io.jpod.spi.storage.Storage;
import io.jpod.spi.storage.StorageProvider;
import io.jpod.util.internal.AtomicFiles;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds an engine from providers in the order of libpod's {@code makeRuntime}: state, DB config merge
 * and validation, namespace, storage, events, directories, OCI runtimes, network, the alive file,
 * locks, renumbering, refresh after reboot, migration. On any failure what was opened is closed again.
 */
final class Assembly {
    private static final Logger LOG = LoggerFactory.getLogger(Assembly.class);
    static final String ALIVE = "alive";
    /** The lock type the objects' locks were last taken in, so a change of lock_type is noticed. */
    static final String LOCK_TYPE = "lock_type";
    static final String ALIVE_LOCK = "alive.lck";
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private final LoadedConfig loaded;
    private final RuntimeOptions options;
    private final Map<ProviderKind, Map<String, Provider<?>>> installed;
    private final Deque<AutoCloseable> opened = new ArrayDeque<>();

    Assembly(LoadedConfig loaded, RuntimeOptions options, Map<ProviderKind, Map<String, Provider<?>>> installed) {
        this.loaded = loaded;
        this.options = options;
        this.installed = installed;
    }

    JpodEngine assemble() {
        try {
            return doAssemble();
        } catch (RuntimeException e) {
            closeOpened();
            throw e;
        }
    }

    private JpodEngine doAssemble() {
        JpodConfig cfg = loaded.config();
        Map<ProviderKind, String> sel = Selection.of(cfg);
        DBConfig fromConfig = new DBConfig(cfg.engine().staticDir(), cfg.engine().tmpDir(), cfg.storage().graphRoot(),
                cfg.storage().runRoot(), cfg.storage().driver(), cfg.engine().volumePath());
        createDir(fromConfig.staticDir(), "static_dir");

        // state, then the DB config merge
        State state = open(ProviderKind.STATE, sel, StateProvider.class, ctx(sel, ProviderKind.STATE, fromConfig, null));
        DBConfig dirs = mergeDBConfig(state.dbConfig(), fromConfig);
        state.validateDBConfig(dirs);
        state.setNamespace(cfg.engine().namespace());
        if (!Objects.equals(dirs.graphDriver(), sel.get(ProviderKind.STORAGE))) {
            LOG.info("using storage driver {} stored in the database", dirs.graphDriver());
            sel.put(ProviderKind.STORAGE, dirs.graphDriver());
        }

        Storage storage = open(ProviderKind.STORAGE, sel, StorageProvider.class,
                ctx(sel, ProviderKind.STORAGE, dirs, null));
        Eventer eventer = open(ProviderKind.EVENTS, sel, EventerProvider.class,
                ctx(sel, ProviderKind.EVENTS, dirs, null));

        createDir(dirs.tmpDir(), "tmp_dir");
        createDir(dirs.volumePath(), "volume_path");

        Map<String, OciRuntime> runtimes = openRuntimes(sel, dirs, eventer);
        NetworkBackend network = open(ProviderKind.NETWORK, sel, NetworkProvider.class,
                ctx(sel, ProviderKind.NETWORK, dirs, eventer));

        // The alive file is checked under its lock, so two processes never refresh at once.
        Path tmp = Path.of(dirs.tmpDir());
        Path aliveLockFile = tmp.resolve(ALIVE_LOCK);
        // root's only: anyone who could take this lock would stall every assembly
        try (FileChannel ch = FileChannel.open(aliveLockFile, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE),
                PosixFilePermissions.asFileAttribute(OWNER_ONLY))) {
            Files.setPosixFilePermissions(aliveLockFile, OWNER_ONLY);
            FileLock aliveLock = ch.lock();
            LOG.debug("holding {}", aliveLock);
            boolean doRefresh = !Files.exists(tmp.resolve(ALIVE));

            LockManager locks = open(ProviderKind.LOCKS, sel, LockProvider.class,
                    new ProviderContext(sel.get(ProviderKind.LOCKS), cfg, dirs, options.renumber(), eventer));
            Parts parts = new Parts(state, storage, eventer, runtimes, sel.get(ProviderKind.OCI_RUNTIME), network,
                    locks);
            Map<String, String> names = new LinkedHashMap<>();
            sel.forEach((k, v) -> names.put(key(k), v));
            JpodEngine engine = new JpodEngine(cfg, dirs, parts, names);

            if (options.renumber()) {
                int n = Renumber.renumber(parts);
                LOG.info("renumbered the locks of {} objects", n);
                engine.event(Event.system("renumber"));
            }
            if (doRefresh) {
                refresh(engine);
                Files.writeString(tmp.resolve(ALIVE), "");
            } else if (!options.renumber()) {
                takeLocksAfterTypeChange(parts, tmp, sel.get(ProviderKind.LOCKS));
            }
            AtomicFiles.writeString(tmp.resolve(LOCK_TYPE), sel.get(ProviderKind.LOCKS), AtomicFiles.OWNER_ONLY);
            if (options.migrate()) {
                int n = engine.migrate(options.migrateRuntime());
                LOG.info("migrated {} containers", n);
            }
            opened.clear();
            return engine;
        } catch (IOException e) {
            throw new JpodException(ErrorCode.INTERNAL, "cannot use the alive file in " + tmp + ": " + e.getMessage()
                    + "; check that tmp_dir is writable");
        }
    }

    static String key(ProviderKind k) {
        return switch (k) {
            case STATE -> "state";
            case LOCKS -> "locks";
            case OCI_RUNTIME -> "runtime";
            case NETWORK -> "network";
            case EVENTS -> "events";
            case STORAGE -> "storage";
        };
    }

    /**
     * A lock manager of another type knows none of the locks the existing objects hold: without taking
     * them again there, new objects would be given lock numbers already in use.
     */
    static void takeLocksAfterTypeChange(Parts parts, Path tmp, String lockType) throws IOException {
        Path file = tmp.resolve(LOCK_TYPE);
        String before = Files.exists(file) ? Files.readString(file).strip() : null;
        if (before != null && !before.equals(lockType)) {
            Renumber.reacquire(parts);
            LOG.info("lock type changed from {} to {}: the locks of existing objects were taken again", before,
                    lockType);
        }
    }

    /** libpod's refresh: reset what a reboot invalidates, take the locks again, say so once. */
    static void refresh(JpodEngine engine) {
        Parts parts = engine.parts();
        LOG.info("first start since boot (no alive file): refreshing the state");
        parts.state().refresh();
        Renumber.reacquire(parts);
        engine.event(Event.system("refresh"));
    }

    /**
     * As libpod's mergeDBConfig: for what the user did not set explicitly the database's value wins; an
     * explicit value that differs from the database's is an error naming both.
     */
    DBConfig mergeDBConfig(DBConfig stored, DBConfig cfg) {
        if (stored == null) {
            return cfg;
        }
        return new DBConfig(
                merge("staticDir", "static_dir", stored.staticDir(), cfg.staticDir()),
                merge("tmpDir", "tmp_dir", stored.tmpDir(), cfg.tmpDir()),
                merge("graphRoot", "graphroot", stored.graphRoot(), cfg.graphRoot()),
                merge("runRoot", "runroot", stored.runRoot(), cfg.runRoot()),
                merge("graphDriver", "storage driver", stored.graphDriver(), cfg.graphDriver()),
                merge("volumePath", "volume_path", stored.volumePath(), cfg.volumePath()));
    }

    private String merge(String field, String word, String db, String ours) {
        if (db == null || db.isEmpty() || db.equals(ours)) {
            return ours;
        }
        if (loaded.explicitDbFields().contains(field)) {
            throw new JpodException(ErrorCode.DB_BAD_CONFIG, "database " + word + " \"" + db
                    + "\" does not match our " + word + " \"" + ours + "\": the database was created with other paths;"
                    + " use the database's value, or another static_dir for a new database: database configuration mismatch");
        }
        LOG.debug("overriding {} {} with {} from the database", word, ours, db);
        return db;
    }

    private Map<String, OciRuntime> openRuntimes(Map<ProviderKind, String> sel, DBConfig dirs, Eventer eventer) {
        String def = sel.get(ProviderKind.OCI_RUNTIME);
        Map<String, OciRuntime> runtimes = new LinkedHashMap<>();
        Map<String, Provider<?>> providers = new TreeMap<>(installed.getOrDefault(ProviderKind.OCI_RUNTIME, Map.of()));
        for (Map.Entry<String, Provider<?>> e : providers.entrySet()) {
            try {
                OciRuntime rt = (OciRuntime) e.getValue().open(new ProviderContext(e.getKey(), loaded.config(), dirs,
                        false, eventer));
                opened.push(rt);
                runtimes.put(e.getKey(), rt);
            } catch (RuntimeException ex) {
                if (e.getKey().equals(def)) {
                    throw new JpodException(ErrorCode.OCI_RUNTIME_UNAVAILABLE, "the default OCI runtime \"" + def
                            + "\" cannot be used: " + ex.getMessage());
                }
                LOG.warn("skipping OCI runtime {}: {}", e.getKey(), ex.getMessage());
            }
        }
        if (!runtimes.containsKey(def)) {
            throw new JpodException(ErrorCode.OCI_RUNTIME_UNAVAILABLE, "default OCI runtime \"" + def
                    + "\" not found; installed: " + (runtimes.isEmpty() ? "(none)" : String.join(", ", runtimes.keySet())));
        }
        return runtimes;
    }

    private ProviderContext ctx(Map<ProviderKind, String> sel, ProviderKind k, DBConfig dirs, Eventer eventer) {
        return new ProviderContext(sel.get(k), loaded.config(), dirs, options.renumber(), eventer);
    }

    private <T extends AutoCloseable> T open(ProviderKind kind, Map<ProviderKind, String> sel, Class<?> spi,
            ProviderContext context) {
        String name = sel.get(kind);
        Provider<?> p = installed.getOrDefault(kind, Map.of()).get(name);
        if (p == null || !spi.isInstance(p)) {
            throw new JpodException(ErrorCode.PROVIDER_MISSING, kind.word() + " provider \"" + name
                    + "\" is not installed; installed: " + String.join(", ",
                            new TreeMap<>(installed.getOrDefault(kind, Map.of())).keySet())
                    + "; set " + kind.configKey() + " to one of them or install its bundle");
        }
        AutoCloseable part;
        try {
            part = p.open(context);
        } catch (JpodException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new JpodException(ErrorCode.INTERNAL, kind.word() + " provider \"" + name + "\" failed to open: " + e,
                    e);
        }
        opened.push(part);
        @SuppressWarnings("unchecked")
        T t = (T) part;
        return t;
    }

    private static void createDir(String dir, String key) {
        try {
            Path p = Path.of(dir);
            Files.createDirectories(p);
            if (!Files.isWritable(p)) {
                throw new IOException("not writable");
            }
        } catch (IOException | RuntimeException e) {
            throw new JpodException(ErrorCode.CONFIG_INVALID, "cannot use " + key + " " + dir + ": " + e.getMessage()
                    + "; make it writable by the service or set another " + key + " in jpod.conf");
        }
    }

    private void closeOpened() {
        while (!opened.isEmpty()) {
            AutoCloseable c = opened.pop();
            try {
                c.close();
            } catch (Exception e) {
                LOG.warn("closing {} after a failed assembly: {}", c.getClass().getName(), e.toString());
            }
        }
    }
}
