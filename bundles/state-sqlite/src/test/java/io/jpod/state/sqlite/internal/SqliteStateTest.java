package io.jpod.state.sqlite.internal;

import io.jpod.api.DBConfig;
import io.jpod.spi.ProviderContext;
import io.jpod.spi.state.State;
import io.jpod.state.memory.internal.AbstractStateContractTest;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.Rule;
import org.junit.rules.TemporaryFolder;

/** The state contract, on a fresh SQLite database per test. */
public class SqliteStateTest extends AbstractStateContractTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    static ProviderContext context(Path staticDir) {
        return new ProviderContext("sqlite", null, new DBConfig(staticDir.toString(), "/tmp/t", "/tmp/g", "/tmp/r",
                "vfs", "/tmp/v"), false, null);
    }

    @Override
    protected State openState() throws Exception {
        return new SqliteStateProvider(Duration.ofSeconds(2)).open(context(tmp.newFolder("static").toPath()));
    }
}
