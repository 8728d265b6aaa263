package io.jpod.runtime.internal;

import io.jpod.api.AttachStreams;
import io.jpod.api.Container;
import io.jpod.api.ContainerStatus;
import io.jpod.api.ErrorCode;
import io.jpod.api.ExecConfig;
import io.jpod.api.ExecSession;
import io.jpod.api.JpodException;
import io.jpod.spi.oci.OciRuntime;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exec sessions. libpod keeps them in its database with the container; here they live in the engine's memory
 * (a session is worth nothing once the service that started it is gone: its client went with it), and their
 * files in the OCI runtime's exec directory of the container until the session's process ended.
 */
final class ExecSessionTable {
    private static final Logger LOG = LoggerFactory.getLogger(ExecSessionTable.class);
    private static final long POLL_MILLIS = 20, CHECK_NANOS = 1_000_000_000L;
    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

    /** A session's mutable record; {@link #view()} is what clients see. */
    private static final class Session {
        final String id;
        final String containerId;
        final ExecConfig config;
        volatile boolean started, running, cleaned;
        volatile int pid, exitCode = -1;

        Session(String id, String containerId, ExecConfig config) {
            this.id = id;
            this.containerId = containerId;
            this.config = config;
        }

        ExecSession view() {
            return new ExecSession(id, containerId, config, running, pid, exitCode);
        }
    }

    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final Lifecycle lifecycle;
    private final Function<String, OciRuntime> runtimes;
    private final java.util.function.Predicate<String> containerExists;

    ExecSessionTable(Lifecycle lifecycle, Function<String, OciRuntime> runtimes,
            java.util.function.Predicate<String> containerExists) {
        this.lifecycle = lifecycle;
        this.runtimes = runtimes;
        this.containerExists = containerExists;
    }

    /** libpod's ExecCreate: checks the command and that the container runs. */
    String create(String containerId, ExecConfig config) {
        if (config == null || config.command().isEmpty()) {
            throw new JpodException(ErrorCode.INVALID_ARG,
                    "must provide a non-empty command to start an exec session: invalid argument");
        }
        // the sessions of containers that went without the engine's removeContainer (--rm, the exit monitor)
        sessions.values().removeIf(s -> !s.running && !containerExists.test(s.containerId));
        return lifecycle.locked(containerId, ctr -> {
            requireRunning(ctr, "can only create exec sessions on running containers");
            byte[] b = new byte[32];
            RANDOM.nextBytes(b);
            String id = HexFormat.of().formatHex(b);
            sessions.put(id, new Session(id, ctr.id(), config));
            return id;
        });
    }

    private static void requireRunning(Container ctr, String what) {
        if (ctr.state().status() != ContainerStatus.RUNNING) {
            throw Lifecycle.invalid(ctr, "is not running: " + what);
        }
    }

    private Session session(String id) {
        Session s = id == null ? null : sessions.get(id);
        if (s == null) {
            throw new JpodException(ErrorCode.NO_SUCH_EXEC_SESSION, "no exec session with ID " + id
                    + " found: no such exec session");
        }
        return s;
    }

    /** The session as it is now; an ended process's exit code is read (and its files removed) on the way. */
    ExecSession get(String id) {
        Session s = session(id);
        if (s.running) {
            try {
                lifecycle.locked(s.containerId, ctr -> {
                    OciRuntime rt = runtimes.apply(ctr.config().ociRuntime());
                    OptionalInt code = rt.execExitCode(ctr, s.id);
                    if (code.isPresent()) {
                        ended(s, code.getAsInt(), ctr, rt);
                    } else if (ctr.state().status() != ContainerStatus.RUNNING) {
                        ended(s, -1, ctr, rt); // the container ended, and its exec processes with it
                    }
                    return null;
                });
            } catch (JpodException e) {
                if (!JpodException.is(e, ErrorCode.NO_SUCH_CTR)) {
                    throw e;
                }
                s.running = false;
            }
        }
        return s.view();
    }

    private static void ended(Session s, int code, Container ctr, OciRuntime rt) {
        s.exitCode = code;
        s.running = false;
        if (!s.cleaned) {
            s.cleaned = true;
            rt.execRemove(ctr, s.id);
        }
    }

    /**
     * Starts the session's process; with streams, copies its output (from its log, which conmon writes before
     * its exit file, so none is missed) and feeds its stdin until it exits, and returns its exit code.
     */
    int start(String id, AttachStreams streams) throws InterruptedException {
        Session s = session(id);
        synchronized (s) {
            if (s.started) {
                throw new JpodException(ErrorCode.CTR_STATE_INVALID, "exec session " + id
                        + " has already been started: container state improper");
            }
            s.started = true;
        }
        Object[] started;
        try {
            started = lifecycle.locked(s.containerId, ctr -> {
                requireRunning(ctr, "can only start exec sessions when their container is running");
                OciRuntime rt = runtimes.apply(ctr.config().ociRuntime());
                try {
                    s.pid = rt.execContainer(ctr, s.id, s.config);
                } catch (RuntimeException e) {
                    rt.execRemove(ctr, s.id); // what the failed start left
                    throw e;
                }
                s.running = true;
                return new Object[] {ctr, rt};
            });
        } catch (RuntimeException e) {
            s.started = false;
            throw e;
        }
        if (streams == null) {
            return -1;
        }
        Container ctr = (Container) started[0];
        OciRuntime rt = (OciRuntime) started[1];
        AutoCloseable feeding = s.config.attachStdin() && streams.stdin() != null
                ? rt.execStdin(ctr, s.id, streams.stdin()) : null;
        try {
            streams.signalAttached();
            return copyUntilExit(s, ctr, rt, streams);
        } finally {
            if (feeding != null) {
                try {
                    feeding.close();
                } catch (Exception e) {
                    LOG.debug("stopping the stdin of exec session {}: {}", s.id, e.getMessage());
                }
            }
        }
    }

    private int copyUntilExit(Session s, Container ctr, OciRuntime rt, AttachStreams streams)
            throws InterruptedException {
        Path log = rt.execLogPath(ctr, s.id);
        LogFollower follower = new LogFollower(log);
        try {
            return copyUntilExit(s, ctr, rt, streams, log, follower);
        } finally {
            try {
                follower.close();
            } catch (IOException e) {
                LOG.debug("closing the log of exec session {}: {}", s.id, e.getMessage());
            }
        }
    }

    private int copyUntilExit(Session s, Container ctr, OciRuntime rt, AttachStreams streams, Path log,
            LogFollower follower) throws InterruptedException {
        OutputStream out = streams.stdout(), err = s.config.tty() ? streams.stdout() : streams.stderr();
        long nextCheck = System.nanoTime() + CHECK_NANOS;
        int stoppedChecks = 0;
        while (true) {
            OptionalInt code = rt.execExitCode(ctr, s.id);
            boolean gone = code.isEmpty() && !Files.isDirectory(log.getParent());
            if (code.isEmpty() && System.nanoTime() > nextCheck) {
                // a process whose container ended without conmon recording its exit (conmon killed) is waited
                // for a few checks more, then given up on
                nextCheck = System.nanoTime() + CHECK_NANOS;
                stoppedChecks = containerRuns(s.containerId) ? 0 : stoppedChecks + 1;
                gone |= stoppedChecks > 3;
            }
            try {
                for (LogFollower.Entry e : follower.next()) {
                    OutputStream to = "stderr".equals(e.stream()) ? err : out;
                    if (to != null) {
                        to.write(e.bytes());
                    }
                }
                if (out != null) {
                    out.flush();
                }
                if (err != null && err != out) {
                    err.flush();
                }
            } catch (IOException e) {
                LOG.debug("exec session {}: the client's streams failed: {}", s.id, e.getMessage());
                out = null;
                err = null;
            }
            if (code.isPresent() || gone) {
                int c = code.orElse(-1);
                synchronized (s) {
                    if (!s.cleaned) {
                        ended(s, c, ctr, rt);
                    }
                }
                return c;
            }
            Thread.sleep(POLL_MILLIS);
        }
    }

    private boolean containerRuns(String containerId) {
        try {
            return lifecycle.locked(containerId, c -> c.state().status() == ContainerStatus.RUNNING);
        } catch (JpodException e) {
            return false;
        }
    }

    /** Forgets one session whose process ended (the engine's own, such as a healthcheck's). */
    void forget(String id) {
        Session s = sessions.get(id);
        if (s != null && !s.running) {
            sessions.remove(id);
        }
    }

    /** Forgets the sessions of a removed container (its runtime removed their files with it). */
    void containerRemoved(String containerId) {
        sessions.values().removeIf(s -> s.containerId.equals(containerId));
    }

    /** The sessions of a container, for tests and inspect. */
    List<ExecSession> of(String containerId) {
        return sessions.values().stream().filter(s -> s.containerId.equals(containerId)).map(Session::view).toList();
    }
}
