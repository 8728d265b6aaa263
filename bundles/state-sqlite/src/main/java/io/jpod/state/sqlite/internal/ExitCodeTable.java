package io.jpod.state.sqlite.internal;

import java.sql.SQLException;
import java.time.Instant;
import java.util.OptionalInt;

/** The exit codes of containers, by ID, with when each was recorded (in nanoseconds since the epoch). */
final class ExitCodeTable {

    private static long nanos(Instant t) {
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
    }

    static void add(Database d, String id, int exitCode, Instant at) throws SQLException {
        d.update("INSERT OR REPLACE INTO exit_codes (id, code, at) VALUES (?, ?, ?)", id, exitCode, nanos(at));
    }

    static OptionalInt get(Database d, String id) throws SQLException {
        Integer code = d.one("SELECT code FROM exit_codes WHERE id = ?", rs -> rs.getInt(1), id);
        return code == null ? OptionalInt.empty() : OptionalInt.of(code);
    }

    static void prune(Database d, Instant olderThan) throws SQLException {
        d.update("DELETE FROM exit_codes WHERE at < ?", nanos(olderThan));
    }
}
