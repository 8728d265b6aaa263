package io.jpod.state.sqlite.internal;

import io.jpod.api.JpodException;
import io.jpod.spi.JpodName;
import io.jpod.spi.ProviderContext;
import io.jpod.spi.state.State;
import io.jpod.spi.state.StateProvider;
import io.jpod.state.memory.internal.DatabaseErrors;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state backend that keeps everything in an SQLite database, {@code <static_dir>/jpod.sqlite} (WAL mode, each
 * change one transaction synced before it returns), owned by one process at a time through an exclusive lock on
 * {@code <static_dir>/jpod.sqlite.lock}.
 */
@Component(service = StateProvider.class)
@JpodName("sqlite")
public class SqliteStateProvider implements StateProvider {
    private static final Logger LOG = LoggerFactory.getLogger(SqliteStateProvider.class);

    /** How long {@link #open} waits for another process to let go of the database. */
    static final Duration DEFAULT_LOCK_WAIT = Duration.ofSeconds(10);

    private final Duration lockWait;

    public SqliteStateProvider() {
        this(DEFAULT_LOCK_WAIT);
    }

    SqliteStateProvider(Duration lockWait) {
        this.lockWait = lockWait;
    }

    @Override
    public State open(ProviderContext context) {
        return open(context.staticDir(), lockWait);
    }

    static State open(Path staticDir, Duration lockWait) {
        StateFiles files = StateFiles.claim(staticDir, lockWait);
        Path file = files.file();
        Database db = null;
        try {
            try {
                db = Database.open(file);
            } catch (SQLException e) {
                throw damaged(file, e);
            }
            SqliteState state;
            try {
                state = SqliteState.on(db, files);
            } catch (JpodException e) {
                throw damaged(file, e);
            }
            LOG.info("opened the state database {}", file);
            return state;
        } catch (RuntimeException | Error e) {
            if (db != null) {
                db.close();
            }
            files.close();
            throw e;
        }
    }

    private static JpodException damaged(Path file, Exception e) {
        return DatabaseErrors.damaged(file, e, file.getFileName() + "-wal file");
    }
}
