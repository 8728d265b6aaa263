package io.jpod.rest.internal;

import static io.jpod.rest.internal.ContainerStates.ENDED;
import static io.jpod.rest.internal.ContainerStates.NOT_RUNNING;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jpod.api.Container;
import io.jpod.api.ContainerStatus;
import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;
import java.io.OutputStream;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** Waiting for a container: Docker's conditions (not-running, next-exit, removed) and libpod's states. */
final class WaitApi {
    /** How long a wait sleeps at most: every change of a container's state wakes it before that. */
    private static final long WAIT_POLL_MS = 500;

    private final Services services;
    private final Shapes shapes;

    WaitApi(Services services, Shapes shapes) {
        this.services = services;
        this.shapes = shapes;
    }

    void register(Router docker, Router libpod) {
        docker.add("POST", "/containers/{id}/wait", this::dockerWait);
        libpod.add("POST", "/containers/{id}/wait", this::libpodWait);
    }

    private void dockerWait(Exchange x) throws Exception {
        String cond = x.query("condition");
        cond = cond == null || cond.isEmpty() ? "not-running" : cond;
        if (!List.of("not-running", "next-exit", "removed").contains(cond)) {
            throw ApiException.badRequest("invalid condition: \"" + cond + "\": use not-running, next-exit or removed");
        }
        EngineServices e = services.engine();
        Container c = e.containers().container(x.param("id"));
        x.noIdleTimeout();
        // a wait's body is its one line: the client's going is seen on its connection, not by a write
        Runnable unwatch = x.interruptWhenClientGoes();
        // the docker CLI sends start only after it got this answer's headers
        try (OutputStream out = x.startStream(200, "application/json")) {
            ObjectNode o = shapes.object();
            String condition = cond;
            try {
                o.put("StatusCode", acrossReassembly(e, now -> waitFor(now, c, condition)));
                o.putNull("Error");
            } catch (JpodException | ApiException err) {
                o.put("StatusCode", -1);
                o.putObject("Error").put("Message", err.getMessage());
            }
            Streams.jsonLine(x, out, o);
        } catch (InterruptedException clientGone) {
            // nobody is left to answer
        } finally {
            unwatch.run();
        }
    }

    @FunctionalInterface
    private interface WaitCall {
        int on(EngineServices e) throws InterruptedException;
    }

    /**
     * A wait outlives the engine it began on: when a provider bundle is updated the engine is assembled
     * again, the container stays, and the wait goes on with the new engine (or a 503 says why there is none).
     */
    private int acrossReassembly(EngineServices first, WaitCall call) throws InterruptedException {
        EngineServices e = first;
        while (true) {
            try {
                return call.on(e);
            } catch (JpodException ex) {
                if (!JpodException.is(ex, ErrorCode.RUNTIME_STOPPED)) {
                    throw ex;
                }
                e = services.engine();
            }
        }
    }

    private int waitFor(EngineServices e, Container c, String condition) throws InterruptedException {
        String id = c.id();
        switch (condition) {
            case "not-running" -> {
                return e.containers().waitFor(id, NOT_RUNNING, WAIT_POLL_MS);
            }
            case "next-exit" -> {
                return nextExit(e, c);
            }
            default -> {
                int code = nextExitOrNow(e, c);
                while (true) {
                    try {
                        e.containers().container(id);
                    } catch (JpodException gone) {
                        if (JpodException.is(gone, ErrorCode.NO_SUCH_CTR)) {
                            return code;
                        }
                        throw gone;
                    }
                    Thread.sleep(50);
                }
            }
        }
    }

    /** Waits for an exit after now: a container that exited before keeps waiting until it ran again. */
    private static int nextExit(EngineServices e, Container c) throws InterruptedException {
        Instant before = c.state().finishedAt();
        while (true) {
            int code = e.containers().waitFor(c.id(), ENDED, WAIT_POLL_MS);
            Container now;
            try {
                now = e.containers().container(c.id());
            } catch (JpodException gone) {
                return code; // auto-removed: waitFor had its exit code
            }
            if (!ENDED.contains(now.state().status())) {
                continue;
            }
            if (before == null || (now.state().finishedAt() != null && now.state().finishedAt().isAfter(before))) {
                return now.state().exitCode();
            }
            Thread.sleep(50);
        }
    }

    private static int nextExitOrNow(EngineServices e, Container c) throws InterruptedException {
        return ENDED.contains(c.state().status()) ? c.state().exitCode() : e.containers().waitFor(c.id(), ENDED, WAIT_POLL_MS);
    }

    private void libpodWait(Exchange x) throws Exception {
        Set<ContainerStatus> conds = EnumSet.noneOf(ContainerStatus.class);
        for (String c : x.queryAll("condition")) {
            for (String word : c.split(",")) {
                try {
                    conds.add(ContainerStatus.parse(word));
                } catch (JpodException bad) {
                    throw ApiException.badRequest(bad.getMessage());
                }
            }
        }
        EngineServices e = services.engine();
        Container c = e.containers().container(x.param("id"));
        x.noIdleTimeout();
        Runnable unwatch = x.interruptWhenClientGoes();
        try (OutputStream out = x.startStream(200, "application/json")) {
            int code = acrossReassembly(e, now -> now.containers().waitFor(c.id(), conds.isEmpty() ? ENDED : conds, WAIT_POLL_MS));
            Streams.textLine(out, String.valueOf(code));
        } catch (InterruptedException clientGone) {
            // nobody is left to answer
        } finally {
            unwatch.run();
        }
    }
}
