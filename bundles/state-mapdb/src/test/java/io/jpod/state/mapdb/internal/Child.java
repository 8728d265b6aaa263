package io.jpod.state.mapdb.internal;

import io.jpod.spi.state.State;
import io.jpod.state.memory.internal.AbstractStateContractTest;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A process for the tests: {@code add <staticDir> <n>} adds containers and prints each ID once its add
 * returned; {@code hold <staticDir>} opens the state, prints "open" and waits until killed.
 */
public final class Child {
    private Child() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[1]);
        State state = new MapdbStateProvider(Duration.ofSeconds(5)).open(MapdbStateTest.context(dir));
        if (args[0].equals("hold")) {
            System.out.println("open");
            System.out.flush();
            Thread.sleep(Long.MAX_VALUE);
        }
        int n = Integer.parseInt(args[2]);
        for (int i = 0; i < n; i++) {
            String prefix = String.format("c%07x", i);
            state.addContainer(AbstractStateContractTest.ctr(prefix, "ctr-" + i));
            System.out.println(AbstractStateContractTest.id(prefix));
            System.out.flush();
        }
        state.close();
        System.out.println("done");
    }
}
