package io.jpod.state.sqlite.internal;

import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;

/**
 * One SQLite connection, used by one thread at a time: each read under the lock, each change one transaction,
 * committed (and with {@code synchronous=FULL}, the WAL fsync'd) before the call returns.
 */
final class Database implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Database.class);

    /** A unit of work on the connection. */
    @FunctionalInterface
    interface Work<T> {
        T run(Database db) throws SQLException;
    }

    /** One row read into a value. */
    @FunctionalInterface
    interface Row<T> {
        T read(ResultSet rs) throws SQLException;
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Path file;
    private final Connection conn;
    private final Map<String, PreparedStatement> statements = new HashMap<>();
    private boolean closed;
    private Runnable committed = () -> { };
    private Runnable abandoned = () -> { };

    private Database(Path file, Connection conn) {
        this.file = file;
        this.conn = conn;
    }

    /**
     * Opens the file in WAL mode with {@code synchronous=FULL} (a commit returns once the WAL is on disk, so an
     * answered change outlives a power cut, not only a killed process), the exclusive locking mode (no shared
     * memory file: this process is the only user) and foreign keys on.
     */
    static Database open(Path file) throws SQLException {
        SQLiteConfig cfg = new SQLiteConfig();
        cfg.setJournalMode(SQLiteConfig.JournalMode.WAL);
        cfg.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        cfg.setLockingMode(SQLiteConfig.LockingMode.EXCLUSIVE);
        cfg.enforceForeignKeys(true);
        cfg.setBusyTimeout(0);
        // transactions are begun and ended here (BEGIN IMMEDIATE, COMMIT, ROLLBACK), not by the driver: SQLite ends
        // a transaction itself on some errors (a full disk), which the driver's own bookkeeping would not notice
        return new Database(file, cfg.createConnection("jdbc:sqlite:" + file));
    }

    Path file() {
        return file;
    }

    /** What to run, under the lock, after each transaction commits and after each one rolls back. */
    void onEnd(Runnable whenCommitted, Runnable whenAbandoned) {
        committed = whenCommitted;
        abandoned = whenAbandoned;
    }

    /** Runs {@code work} under the lock, outside any change. */
    <T> T read(Work<T> work) {
        lock.lock();
        try {
            checkOpen();
            return work.run(this);
        } catch (SQLException e) {
            throw failed("reading", e);
        } finally {
            lock.unlock();
        }
    }

    /** Runs {@code work} as one transaction: committed when it returns, rolled back when it throws. */
    <T> T write(Work<T> work) {
        lock.lock();
        try {
            checkOpen();
            try {
                control("BEGIN IMMEDIATE");
                T result = work.run(this);
                control("COMMIT");
                committed.run();
                return result;
            } catch (SQLException e) {
                rollback(e);
                throw failed("writing to", e);
            } catch (RuntimeException | Error e) {
                rollback(e);
                throw e;
            }
        } finally {
            lock.unlock();
        }
    }

    private void rollback(Throwable cause) {
        abandoned.run();
        try {
            control("ROLLBACK");
        } catch (SQLException r) {
            // SQLite may have rolled it back already (a full disk, an I/O error): then there is nothing to undo
            if (r.getMessage() == null || !r.getMessage().contains("no transaction is active")) {
                cause.addSuppressed(r);
            }
        }
    }

    private JpodException failed(String what, SQLException e) {
        String hint = e instanceof org.sqlite.SQLiteException se
                && se.getResultCode() == org.sqlite.SQLiteErrorCode.SQLITE_FULL
                ? "; nothing of the change was stored: free space on the file system of " + file.getParent() : "";
        return new JpodException(ErrorCode.INTERNAL, what + " the state database " + file + " failed: "
                + e.getMessage() + hint, e);
    }

    private void checkOpen() {
        if (closed) {
            throw JpodException.of(ErrorCode.DB_CLOSED, "the state database " + file + " has been closed");
        }
    }

    private PreparedStatement statement(String sql, Object... args) throws SQLException {
        PreparedStatement ps = statements.get(sql);
        if (ps == null) {
            ps = conn.prepareStatement(sql);
            statements.put(sql, ps);
        }
        ps.clearParameters();
        for (int i = 0; i < args.length; i++) {
            ps.setObject(i + 1, args[i]);
        }
        return ps;
    }

    /** Runs an INSERT, UPDATE or DELETE; returns the rows it changed. */
    int update(String sql, Object... args) throws SQLException {
        return statement(sql, args).executeUpdate();
    }

    /** Every row of a query, in its order. */
    <T> List<T> list(String sql, Row<T> row, Object... args) throws SQLException {
        List<T> out = new ArrayList<>();
        try (ResultSet rs = statement(sql, args).executeQuery()) {
            while (rs.next()) {
                out.add(row.read(rs));
            }
        }
        return out;
    }

    /** The first row of a query, or null. */
    <T> T one(String sql, Row<T> row, Object... args) throws SQLException {
        try (ResultSet rs = statement(sql, args).executeQuery()) {
            return rs.next() ? row.read(rs) : null;
        }
    }

    /** Begins or ends a transaction. */
    private void control(String sql) throws SQLException {
        try (var st = conn.createStatement()) {
            st.execute(sql);
        }
    }

    /** Runs statements without parameters (the schema). */
    void execute(String sql) throws SQLException {
        try (var st = conn.createStatement()) {
            st.executeUpdate(sql);
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            for (PreparedStatement ps : statements.values()) {
                try {
                    ps.close();
                } catch (SQLException e) {
                    LOG.debug("closing a statement on {} failed", file, e);
                }
            }
            try {
                conn.close();
            } catch (SQLException e) {
                LOG.warn("closing the state database {} failed", file, e);
            }
        } finally {
            lock.unlock();
        }
    }

    boolean isClosed() {
        lock.lock();
        try {
            return closed;
        } finally {
            lock.unlock();
        }
    }
}
