package io.jpod.state.mapdb.internal;

import io.jpod.state.memory.internal.StateChild;
import java.time.Duration;

/** The test process of {@link MapdbDurabilityTest} (see {@link StateChild}). */
public final class Child {
    private Child() {
    }

    public static void main(String[] args) throws Exception {
        StateChild.run(args, dir -> new MapdbStateProvider(Duration.ofSeconds(5)).open(MapdbStateTest.context(dir)));
    }
}
