package io.jpod.state.sqlite.internal;

import io.jpod.api.Container;
import io.jpod.api.ContainerStatus;
import io.jpod.spi.state.State;
import io.jpod.state.memory.internal.AbstractStateContractTest;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A process for the tests: {@code changes <staticDir> <n>} adds containers, marks each running and records an exit
 * code, printing {@code added|running|exit <id>} once each call returned; {@code hold <staticDir>} opens the state,
 * prints "open" and waits until killed.
 */
public final class Child {
    private Child() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[1]);
        State state = new SqliteStateProvider(Duration.ofSeconds(5)).open(SqliteStateTest.context(dir));
        if (args[0].equals("hold")) {
            System.out.println("open");
            System.out.flush();
            Thread.sleep(Long.MAX_VALUE);
        }
        int n = Integer.parseInt(args[2]);
        for (int i = 0; i < n; i++) {
            String prefix = String.format("c%07x", i);
            Container c = AbstractStateContractTest.ctr(prefix, "ctr-" + i);
            state.addContainer(c);
            System.out.println("added " + c.id());
            System.out.flush();
            state.saveContainer(c.withState(c.state().withStatus(ContainerStatus.RUNNING).withProcess(1000 + i, 999)));
            System.out.println("running " + c.id());
            System.out.flush();
            state.addContainerExitCode(c.id(), i % 256);
            System.out.println("exit " + c.id());
            System.out.flush();
        }
        state.close();
        System.out.println("done");
    }
}
