package io.jpod.state.sqlite.internal;

import io.jpod.api.DBConfig;
import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;
import io.jpod.state.memory.internal.RecordJson;
import java.sql.SQLException;
import java.util.List;

/** The tables of the state database, the format version they have, and the {@code meta} table's DB config. */
final class Schema {
    /** The schema version this code reads and writes. */
    static final String FORMAT = "1";

    private static final String[] TABLES = {
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

    private Schema() {
    }

    /** Checks the database's pages, makes the tables it lacks and checks its format; in a transaction. */
    static void apply(Database d) throws SQLException {
        // a damaged page is found now, not by the first lookup that reaches it
        List<String> check = d.list("PRAGMA quick_check", rs -> rs.getString(1));
        if (!check.equals(List.of("ok"))) {
            throw new JpodException(ErrorCode.INTERNAL, "its check found: " + String.join("; ",
                    check.subList(0, Math.min(3, check.size()))));
        }
        for (String sql : TABLES) {
            d.execute(sql);
        }
        String format = d.one("SELECT value FROM meta WHERE key = 'format'", rs -> rs.getString(1));
        if (format == null) {
            d.update("INSERT INTO meta (key, value) VALUES ('format', ?)", FORMAT);
        } else if (!FORMAT.equals(format)) {
            throw JpodException.of(ErrorCode.DB_BAD_CONFIG, "the state database " + d.file() + " has format "
                    + format + ", this jpod reads format " + FORMAT + ": use the jpod version that wrote it");
        }
    }

    /** The DB config stored first, or null. */
    static DBConfig dbConfig(Database d) throws SQLException {
        String json = d.one("SELECT value FROM meta WHERE key = 'dbConfig'", rs -> rs.getString(1));
        return json == null ? null : RecordJson.read(json, DBConfig.class, "DB config");
    }

    static void storeDbConfig(Database d, DBConfig config) throws SQLException {
        d.update("INSERT INTO meta (key, value) VALUES ('dbConfig', ?)", RecordJson.write(config));
    }
}
