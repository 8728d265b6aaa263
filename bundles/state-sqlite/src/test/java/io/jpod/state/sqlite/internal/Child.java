package io.jpod.state.sqlite.internal;

import io.jpod.state.memory.internal.StateChild;
import java.time.Duration;

/** The test process of {@link SqliteDurabilityTest} (see {@link StateChild}). */
public final class Child {
    private Child() {
    }

    public static void main(String[] args) throws Exception {
        StateChild.run(args, dir -> new SqliteStateProvider(Duration.ofSeconds(5)).open(SqliteStateTest.context(dir)));
    }
}
