package io.jpod.rest.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jpod.api.AttachStreams;
import io.jpod.api.ExecConfig;
import io.jpod.api.ExecSession;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/** Exec sessions: create, start (detached or over a hijacked connection), resize, inspect. */
final class ExecApi {
    private final Services services;
    private final ApiHandler handler;
    private final Shapes shapes;
    private final ExecView view;

    ExecApi(Services services, ApiHandler handler, Shapes shapes) {
        this.services = services;
        this.handler = handler;
        this.shapes = shapes;
        this.view = new ExecView(shapes);
    }

    void register(Router docker, Router libpod) {
        for (Router r : List.of(docker, libpod)) {
            r.add("POST", "/containers/{id}/exec", this::execCreate);
            r.add("POST", "/exec/{id}/start", this::execStart);
            r.add("POST", "/exec/{id}/resize", x -> {
                services.execs().execResizeTerminal(x.param("id"), Inputs.terminalSize(x, "h"), Inputs.terminalSize(x, "w"));
                x.empty(201);
            });
            r.add("GET", "/exec/{id}/json", this::execInspect);
        }
    }

    private void execCreate(Exchange x) throws IOException {
        JsonNode b = Inputs.requireObject(x.body());
        List<String> cmd = Inputs.strings(b.get("Cmd"), "Cmd");
        if (cmd.isEmpty()) {
            throw ApiException.badRequest("No exec command specified: give Cmd");
        }
        ExecConfig cfg = new ExecConfig(cmd, Inputs.strings(b.get("Env"), "Env"), b.path("Tty").asBoolean(false),
                b.path("AttachStdin").asBoolean(false), Inputs.emptyToNull(b.path("User").asText("")),
                Inputs.emptyToNull(b.path("WorkingDir").asText("")), b.path("Privileged").asBoolean(false));
        String id = services.execs().execCreate(x.param("id"), cfg);
        ObjectNode o = shapes.object();
        o.put("Id", id);
        x.json(201, o);
    }

    private void execStart(Exchange x) throws Exception {
        EngineServices e = services.engine();
        JsonNode b = x.body();
        ExecSession s = e.execs().execSession(x.param("id"));
        if (b.path("Detach").asBoolean(false)) {
            e.execs().execStart(s.id(), null);
            x.empty(200);
            return;
        }
        boolean tty = s.config().tty() || b.path("Tty").asBoolean(false);
        boolean multiplexed = Streams.multiplexed(x, tty);
        handler.hijack(x, tty || !multiplexed ? Frames.RAW : Frames.MULTIPLEXED, "exec " + s.id(), (stdin, conn) -> {
            OutputStream o = multiplexed ? new Frames(conn, Frames.STDOUT) : conn;
            OutputStream r = multiplexed ? new Frames(conn, Frames.STDERR) : conn;
            e.execs().execStart(s.id(), new AttachStreams(s.config().attachStdin() ? stdin : null, o, r));
        });
    }

    private void execInspect(Exchange x) throws IOException {
        ExecSession s = services.execs().execSession(x.param("id"));
        x.json(200, view.inspect(s));
    }
}
