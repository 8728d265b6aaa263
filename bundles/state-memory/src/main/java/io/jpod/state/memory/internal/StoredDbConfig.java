package io.jpod.state.memory.internal;

import io.jpod.api.DBConfig;
import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;

/** The DB config stored when the database was created, which every later start must match. */
public final class StoredDbConfig {
    private DBConfig stored;

    /** The stored config, or null before one is stored. */
    DBConfig get() {
        return stored;
    }

    void set(DBConfig config) {
        stored = config;
    }

    /** Fails with DB_BAD_CONFIG naming the first field where {@code ours} differs from the stored config. */
    void checkMatches(DBConfig ours) {
        checkMatches(stored, ours);
    }

    /** Fails with DB_BAD_CONFIG naming the first field where {@code ours} differs from {@code stored}. */
    public static void checkMatches(DBConfig stored, DBConfig ours) {
        check("static dir", stored.staticDir(), ours.staticDir());
        check("tmp dir", stored.tmpDir(), ours.tmpDir());
        check("graph root", stored.graphRoot(), ours.graphRoot());
        check("run root", stored.runRoot(), ours.runRoot());
        check("graph driver", stored.graphDriver(), ours.graphDriver());
        check("volume path", stored.volumePath(), ours.volumePath());
    }

    private static void check(String field, String stored, String ours) {
        String a = stored == null ? "" : stored;
        String b = ours == null ? "" : ours;
        if (!a.equals(b)) {
            throw JpodException.of(ErrorCode.DB_BAD_CONFIG, "database " + field + " \"" + a + "\" does not match our "
                    + field + " \"" + b + "\"");
        }
    }
}
