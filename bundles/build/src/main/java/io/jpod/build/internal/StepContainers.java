package io.jpod.build.internal;

import io.jpod.api.Container;
import io.jpod.api.ContainerConfig;
import io.jpod.api.ContainerStatus;
import io.jpod.api.Containers;
import io.jpod.api.JpodException;
import io.jpod.api.LogOptions;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The containers a build's RUN steps run in: created from the step's parent image, started, followed, waited. */
final class StepContainers {
    /** The label every container a build makes carries, so that they can be told from the user's. */
    static final String LABEL = "io.jpod.build";
    private static final Logger LOG = LoggerFactory.getLogger(StepContainers.class);

    private final Containers containers;

    StepContainers(Containers containers) {
        this.containers = containers;
    }

    /** What to run. */
    record Run(String imageId, List<String> argv, List<String> env, String workingDir, String user,
            String networkMode) {
    }

    /** Creates the container; the caller removes it. */
    String create(Run run) {
        ContainerConfig.Builder b = ContainerConfig.builder().image(run.imageId()).imageId(run.imageId())
                .command(run.argv()).entrypoint(List.of()).env(run.env())
                .workingDir(run.workingDir() == null || run.workingDir().isEmpty() ? "/" : run.workingDir())
                .user(run.user() == null ? "" : run.user())
                .networkMode(run.networkMode() == null || run.networkMode().isEmpty() ? "bridge" : run.networkMode())
                .labels(Map.of(LABEL, "run"));
        Container c = containers.createContainer(b.build());
        return c.config().id();
    }

    /** Starts it, hands each line it writes to {@code output}, and returns its exit code. */
    int run(String id, Consumer<String> output) throws InterruptedException {
        containers.start(id);
        containers.logs(id, new LogOptions(-1, null, null, true), line -> {
            output.accept(line.text() + "\n");
            return true;
        });
        return containers.waitFor(id, Set.of(ContainerStatus.EXITED, ContainerStatus.STOPPED), 200);
    }

    /** Removes it, also when it still runs; a failure is logged, not thrown over the step's own error. */
    void remove(String id) {
        try {
            containers.removeContainer(id, true);
        } catch (JpodException e) {
            LOG.warn("the build container {} could not be removed: {}", id, e.getMessage());
        }
    }
}
