package io.jpod.build.internal;

import io.jpod.build.BuildProgress.Kind;
import io.jpod.build.BuildStepException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A RUN step: the command (exec form, or the stage's shell with the line) in a container of the engine made from the
 * stage's image, with its environment, user, working directory and the build's network; its output streamed, a
 * non-zero exit the build's end, the container's layer committed on top of the parent.
 */
final class RunStep {
    private final DockerfileBuild build;
    private final StageState s;
    private final Instruction i;

    RunStep(DockerfileBuild build, StageState s, Instruction i) {
        this.build = build;
        this.s = s;
        this.i = i;
    }

    void run() throws IOException, InterruptedException {
        for (String f : List.of("mount", "network", "security")) {
            if (i.flags().containsKey(f)) {
                throw DockerfileException.at(i.line(), "RUN --" + f + " is not supported by jpod's builder: "
                        + "drop it");
            }
        }
        if (s.imageId == null) {
            throw DockerfileException.at(i.line(), "RUN needs an image with a shell or the command to run: this "
                    + "stage is FROM scratch and has no files yet");
        }
        List<String> argv = new ArrayList<>();
        if (i.json()) {
            argv.addAll(i.args());
        } else {
            argv.addAll(s.shell);
            argv.add(i.text());
        }
        if (argv.isEmpty()) {
            throw DockerfileException.at(i.line(), "RUN needs a command");
        }
        String shown = String.join(" ", argv);
        String network = build.request().networkMode();
        String key = BuildCache.key(s.imageId, "RUN", String.join("\0", argv), String.join("\0", s.runEnv()),
                s.user, s.workingDir, String.valueOf(network), s.cacheText());
        if (build.cached(s, key)) {
            return;
        }
        StepContainers.Run r = new StepContainers.Run(s.imageId, argv, s.runEnv(), s.workingDir, s.user, network);
        String id = build.runs().create(r);
        try {
            build.event(Kind.RUNNING_IN, null, id);
            int code = build.runs().run(id, out -> build.event(Kind.OUTPUT, out, id));
            if (code != 0) {
                throw new BuildStepException(shown, code);
            }
            Path layer = Files.createTempFile(build.work(), "layer-", ".tar");
            try {
                try (var out = Files.newOutputStream(layer)) {
                    build.changes().writeLayer(id, out, false);
                }
                build.commit(s, layer, List.of(), shown, key);
            } finally {
                Files.deleteIfExists(layer);
            }
        } finally {
            // with --rm a failed step's container goes too (as podman's --force-rm default), so that a failed
            // build leaves none; --rm=false keeps them all, as docker does
            if (build.request().remove() || build.request().forceRemove()) {
                build.runs().remove(id);
                build.event(Kind.REMOVED_CONTAINER, null, id);
            }
        }
    }
}
