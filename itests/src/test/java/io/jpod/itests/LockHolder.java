package io.jpod.itests;

import io.jpod.api.DBConfig;
import io.jpod.api.config.JpodConfig;
import io.jpod.api.config.RuntimeOptions;
import io.jpod.config.ConfigLoader;
import io.jpod.lock.shm.internal.ShmLockProvider;
import io.jpod.spi.ProviderContext;
import io.jpod.spi.lock.LockManager;
import io.jpod.spi.lock.Locker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A second process on the engine's lock segment, as another jpod process would be: it takes one lock,
 * says so, writes a marker and only then releases it. Runs on the plain class path, outside OSGi.
 */
public final class LockHolder {
    private LockHolder() {
    }

    public static void main(String[] args) throws Exception {
        JpodConfig cfg = ConfigLoader.of(List.of(Path.of(args[0]))).load(RuntimeOptions.NONE).config();
        DBConfig dirs = new DBConfig(cfg.engine().staticDir(), cfg.engine().tmpDir(), cfg.storage().graphRoot(),
                cfg.storage().runRoot(), cfg.storage().driver(), cfg.engine().volumePath());
        try (LockManager m = new ShmLockProvider().open(new ProviderContext("shm", cfg, dirs, false, null))) {
            Locker l = m.retrieveLock(Integer.parseInt(args[1]));
            l.lock();
            System.out.println("locked");
            System.out.flush();
            Thread.sleep(500);
            Files.writeString(Path.of(args[2]), "released by the other process");
            l.unlock();
        }
    }
}
