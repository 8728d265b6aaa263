package io.jpod.runtime.internal;

import io.jpod.api.AttachStreams;
import io.jpod.api.Container;
import io.jpod.api.ErrorCode;
import io.jpod.api.ExecConfig;
import io.jpod.api.ExecSession;
import io.jpod.api.JpodException;

/** The exec sessions service: the engine's gate in front of the session table ({@link ExecSessionTable}). */
final class ExecSessionsService implements io.jpod.api.ExecSessions {
    private final EngineGate gate;
    private final Parts parts;
    private final Names names;
    private final ExecSessionTable table;

    ExecSessionsService(EngineGate gate, Parts parts, Names names, ExecSessionTable table) {
        this.gate = gate;
        this.parts = parts;
        this.names = names;
        this.table = table;
    }

    @Override
    public String execCreate(String idOrName, ExecConfig config) {
        return gate.call(() -> table.create(names.containerId(idOrName), config));
    }

    @Override
    public int execStart(String sessionId, AttachStreams streams) throws InterruptedException {
        // not through the gate: a session lasts as long as its process
        gate.check();
        return table.start(sessionId, streams);
    }

    @Override
    public ExecSession execSession(String sessionId) {
        return gate.call(() -> table.get(sessionId));
    }

    @Override
    public void execResizeTerminal(String sessionId, int height, int width) {
        TerminalSize.check(height, width);
        gate.run(() -> {
            ExecSession s = table.get(sessionId);
            Container c = parts.state().container(s.containerId());
            if (!s.running()) {
                throw new JpodException(ErrorCode.CTR_STATE_INVALID, "exec session " + sessionId
                        + " is not running: can only resize running exec sessions");
            }
            if (s.config().tty()) {
                parts.runtime(c.config().ociRuntime()).execResizeTerminal(c, sessionId, height, width);
            }
        });
    }
}
