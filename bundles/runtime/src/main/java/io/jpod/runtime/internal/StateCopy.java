package io.jpod.runtime.internal;

import io.jpod.api.Container;
import io.jpod.api.DBConfig;
import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;
import io.jpod.api.Pod;
import io.jpod.api.Volume;
import io.jpod.spi.state.State;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies one state's objects into another, empty one: the DB config, pods (before their containers), volumes,
 * containers as stored (their runtime state too: a running container stays running) and the exit codes recorded
 * for them. A copy that fails part way takes back what it added, so the target is empty again.
 */
final class StateCopy {
    private static final Logger LOG = LoggerFactory.getLogger(StateCopy.class);

    /** How many of each kind were copied. */
    record Counts(int containers, int pods, int volumes, int exitCodes) {
    }

    private StateCopy() {
    }

    /**
     * @param fromName the source provider's name, for messages
     * @param toName   the target provider's name, for messages
     */
    static Counts copy(State from, String fromName, State to, String toName) {
        from.setNamespace("");
        to.setNamespace("");
        refuseUnlessEmpty(to, toName);
        DBConfig cfg = from.dbConfig();
        if (cfg != null) {
            to.validateDBConfig(cfg);
        }
        List<Pod> pods = from.allPods();
        List<Volume> volumes = from.allVolumes();
        List<Container> containers = from.allContainers();
        List<Runnable> undo = new ArrayList<>();
        int exitCodes = 0;
        try {
            for (Pod p : pods) {
                to.addPod(p);
                undo.add(() -> to.removePod(p.id()));
            }
            for (Volume v : volumes) {
                to.addVolume(v);
                undo.add(() -> to.removeVolume(v.name()));
            }
            for (Container c : containers) {
                to.addContainer(c);
                undo.add(() -> to.removeContainer(c.id()));
            }
            for (Container c : containers) {
                OptionalInt code = from.containerExitCode(c.id());
                if (code.isPresent()) {
                    to.addContainerExitCode(c.id(), code.getAsInt());
                    exitCodes++;
                }
            }
        } catch (RuntimeException e) {
            takeBack(to, undo, e);
            throw new JpodException(e instanceof JpodException je ? je.code() : ErrorCode.INTERNAL,
                    "copying the state from \"" + fromName + "\" to \"" + toName + "\" failed: " + e.getMessage()
                    + "; the state stays on \"" + fromName + "\" and \"" + toName + "\" was emptied again", e);
        }
        LOG.info("copied {} containers, {} pods, {} volumes and {} exit codes from state {} to {}", containers.size(),
                pods.size(), volumes.size(), exitCodes, fromName, toName);
        return new Counts(containers.size(), pods.size(), volumes.size(), exitCodes);
    }

    /** The target must hold no container, pod or volume: a copy never merges two stores. */
    static void refuseUnlessEmpty(State to, String toName) {
        int c = to.allContainers().size();
        int p = to.allPods().size();
        int v = to.allVolumes().size();
        if (c + p + v == 0) {
            return;
        }
        ErrorCode code = c > 0 ? ErrorCode.CTR_EXISTS : p > 0 ? ErrorCode.POD_EXISTS : ErrorCode.VOLUME_EXISTS;
        throw new JpodException(code, "the state \"" + toName + "\" already holds " + c + " containers, " + p
                + " pods and " + v + " volumes: a migration copies into an empty store only; remove them (or that"
                + " provider's files in static_dir) first");
    }

    private static void takeBack(State to, List<Runnable> undo, RuntimeException cause) {
        for (int i = undo.size() - 1; i >= 0; i--) {
            try {
                undo.get(i).run();
            } catch (RuntimeException e) {
                cause.addSuppressed(e);
            }
        }
        try {
            // the target held none before (its containers were none), so every exit code there is the copy's
            to.pruneContainerExitCodes(Instant.now().plus(Duration.ofMinutes(1)));
        } catch (RuntimeException e) {
            cause.addSuppressed(e);
        }
    }
}
