package io.jpod.rest.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jpod.api.ExecSession;
import java.util.List;

/** An exec session as both API families inspect it (one shape: libpod serves Docker's). */
final class ExecView {
    private final Shapes shapes;

    ExecView(Shapes shapes) {
        this.shapes = shapes;
    }

    ObjectNode inspect(ExecSession s) {
        ObjectNode o = shapes.object();
        o.put("ID", s.id());
        o.put("Running", s.running());
        if (s.exitCode() >= 0 || !s.running()) {
            o.put("ExitCode", s.exitCode());
        } else {
            o.putNull("ExitCode");
        }
        ObjectNode pc = o.putObject("ProcessConfig");
        List<String> cmd = s.config().command();
        pc.put("entrypoint", cmd.isEmpty() ? "" : cmd.get(0));
        pc.set("arguments", shapes.strings(cmd.isEmpty() ? List.of() : cmd.subList(1, cmd.size())));
        pc.put("tty", s.config().tty());
        pc.put("user", s.config().user() == null ? "" : s.config().user());
        pc.put("privileged", s.config().privileged());
        o.put("OpenStdin", s.config().attachStdin());
        o.put("OpenStderr", true);
        o.put("OpenStdout", true);
        o.put("CanRemove", false);
        o.put("ContainerID", s.containerId());
        o.put("DetachKeys", "");
        o.put("Pid", s.pid());
        return o;
    }
}
