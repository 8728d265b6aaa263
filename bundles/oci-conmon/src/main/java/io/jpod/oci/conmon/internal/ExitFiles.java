package io.jpod.oci.conmon.internal;

import io.jpod.api.Container;
import io.jpod.api.ContainerState;
import io.jpod.api.ContainerStatus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What conmon records when a container exits: its exit file (the code, the time) and the oom file. */
final class ExitFiles {
    private static final Logger LOG = LoggerFactory.getLogger(ExitFiles.class);

    private final RunFiles files;

    ExitFiles(RunFiles files) {
        this.files = files;
    }

    boolean exited(String id) {
        return Files.exists(files.exitFile(id));
    }

    /** Waits for conmon's exit file; true once it exists. */
    boolean await(Container ctr, long millis) {
        long end = System.nanoTime() + millis * 1_000_000;
        long sleep = 5;
        while (true) {
            if (exited(ctr.id())) {
                return true;
            }
            int conmon = ctr.state().conmonPid();
            if (conmon > 0 && !ConmonProcesses.isConmon(conmon) && !exited(ctr.id())) {
                return Files.exists(files.exitFile(ctr.id())); // conmon died without an exit file
            }
            if (System.nanoTime() > end) {
                return false;
            }
            try {
                Thread.sleep(sleep);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return exited(ctr.id());
            }
            sleep = Math.min(100, sleep * 2);
        }
    }

    /** The state after the container exited, with conmon's exit code (waiting a little for it). */
    ContainerState exitedState(Container ctr) {
        String id = ctr.id();
        Path f = files.exitFile(id);
        if (!Files.exists(f)) {
            await(ctr, 2000);
        }
        ContainerState s = ctr.state().withStatus(ContainerStatus.EXITED);
        boolean oom = Files.exists(files.persistDir(id).resolve("oom"));
        try {
            String code = Files.readString(f, StandardCharsets.UTF_8).trim();
            Instant at = Files.getLastModifiedTime(f).toInstant();
            return s.withExit(Integer.parseInt(code), oom, at).withError(null);
        } catch (NoSuchFileException e) {
            LOG.warn("container {} exited but conmon wrote no exit file {}: exit code unknown", id, f);
            return s.withExit(-1, oom, Instant.now()).withError("container exited, but conmon wrote no exit file");
        } catch (IOException | NumberFormatException e) {
            return s.withExit(-1, oom, Instant.now()).withError("reading exit file " + f + ": " + e.getMessage());
        }
    }
}
