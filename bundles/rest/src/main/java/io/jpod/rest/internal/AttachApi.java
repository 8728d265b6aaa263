package io.jpod.rest.internal;

import io.jpod.api.AttachStreams;
import io.jpod.api.Container;
import io.jpod.api.LogOptions;
import java.io.InputStream;
import java.io.OutputStream;

/** Attaching to a container's stdio, over a hijacked connection. */
final class AttachApi {
    private final Services services;
    private final ApiHandler handler;

    AttachApi(Services services, ApiHandler handler) {
        this.services = services;
        this.handler = handler;
    }

    void register(Router docker, Router libpod) {
        for (Router r : java.util.List.of(docker, libpod)) {
            r.add("POST", "/containers/{id}/attach", this::attach);
        }
    }

    private void attach(Exchange x) throws Exception {
        EngineServices e = services.engine();
        Container c = e.containers().container(x.param("id"));
        boolean tty = c.config().terminal();
        boolean multiplexed = Streams.multiplexed(x, tty);
        boolean in = x.bool("stdin", false);
        boolean out = x.bool("stdout", x.libpod);
        boolean err = x.bool("stderr", x.libpod);
        boolean stream = x.bool("stream", true);
        boolean logs = x.bool("logs", false);
        String id = c.id();
        DeferredStreams client = new DeferredStreams();
        OutputStream o = out ? (multiplexed ? new Frames(client.output, Frames.STDOUT) : client.output) : null;
        OutputStream r = err ? (multiplexed ? new Frames(client.output, Frames.STDERR) : client.output) : null;
        java.util.concurrent.CompletableFuture<Void> attached = new java.util.concurrent.CompletableFuture<>();
        java.util.concurrent.CompletableFuture<Void> ended = new java.util.concurrent.CompletableFuture<>();
        Thread t = null;
        // the log replayed is what came before the attach: what came after, the attach has
        java.time.Instant[] attachedAt = {null};
        if (stream) {
            // attached before the answer: a client starts the container as soon as it has the 101
            t = new Thread(() -> {
                try {
                    e.containers().attach(id, new AttachStreams(in ? client.input : null, o, r, () -> attached.complete(null)));
                    ended.complete(null);
                } catch (Throwable failed) {
                    attached.completeExceptionally(failed);
                    ended.completeExceptionally(failed);
                }
            }, "jpod-attach-" + id.substring(0, 12));
            t.setDaemon(true);
            t.start();
            try {
                attached.get(30, java.util.concurrent.TimeUnit.SECONDS);
                attachedAt[0] = java.time.Instant.now();
            } catch (java.util.concurrent.ExecutionException failed) {
                if (failed.getCause() instanceof RuntimeException re) {
                    throw re;
                }
                throw new ApiException(500, "attach failed: " + failed.getCause());
            }
        } else {
            ended.complete(null);
        }
        Thread attaching = t;
        handler.hijack(x, tty ? Frames.RAW : multiplexed ? Frames.MULTIPLEXED : Frames.RAW, "attach " + id,
                new Hijack.Session() {
                    @Override
                    public void abandoned() {
                        if (attaching != null) {
                            attaching.interrupt();
                        }
                    }

                    @Override
                    public void run(InputStream stdin, OutputStream conn) throws Exception {
                        if (logs) {
                            // the log first, straight to the client (a log of any size is not held), then what the
                            // attach saw meanwhile
                            OutputStream lo = out ? (multiplexed ? new Frames(conn, Frames.STDOUT, false) : conn) : null;
                            OutputStream lr = err ? (multiplexed ? new Frames(conn, Frames.STDERR, false) : conn) : null;
                            e.containers().logs(id, new LogOptions(-1, null, attachedAt[0], false),
                                    line -> Streams.write(line, false, "stderr".equals(line.stream()) ? lr : lo));
                        }
                        client.connect(stdin, conn);
                        try {
                            ended.get();
                        } catch (java.util.concurrent.ExecutionException failed) {
                            // the stream ends: the client sees its connection close
                        } catch (InterruptedException clientGone) {
                            // the attach to conmon ends with its client
                            if (attaching != null) {
                                attaching.interrupt();
                            }
                            throw clientGone;
                        }
                    }
                });
    }
}
