package io.jpod.state.memory.internal;

import io.jpod.api.Container;
import io.jpod.api.ContainerStatus;
import io.jpod.spi.state.State;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * The body of a file-backed state's test process: {@code changes <staticDir> <n>} adds containers, marks each running
 * and records an exit code, printing {@code added|running|exit <id>} once each call returned; {@code hold <staticDir>}
 * opens the state, prints "open" and waits until killed.
 */
public final class StateChild {
    private StateChild() {
    }

    public static void run(String[] args, Function<Path, State> open) throws Exception {
        State state = open.apply(Path.of(args[1]));
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
