package io.jpod.oci.conmon.internal;

import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The OCI runtime's own command line ({@code runc --root <root> start|kill|state|delete...}) and its failures. */
final class RuntimeCli {
    private static final long TIMEOUT_SECONDS = 60;
    private static final Pattern MSG = Pattern.compile("msg=\"((?:[^\"\\\\]|\\\\.)*)\"");

    private final String name;
    private final Path runtimePath, runtimeRoot;
    private final OciErrors errors;

    RuntimeCli(String name, Path runtimePath, Path runtimeRoot, OciErrors errors) {
        this.name = name;
        this.runtimePath = runtimePath;
        this.runtimeRoot = runtimeRoot;
        this.errors = errors;
    }

    /** Runs the runtime; its failure is an exception. */
    void run(String... args) {
        Exec.Result r = quiet(args);
        if (!r.ok()) {
            throw failure(args[0], r);
        }
    }

    /** Runs the runtime; the caller looks at the result. */
    Exec.Result quiet(String... args) {
        List<String> cmd = new ArrayList<>(List.of(runtimePath.toString(), "--root", runtimeRoot.toString()));
        cmd.addAll(List.of(args));
        return Exec.run(cmd, TIMEOUT_SECONDS);
    }

    /** The runtime's failure of {@code what}: its last {@code msg="..."}, else what it wrote, classified. */
    JpodException failure(String what, Exec.Result r) {
        String err = r.err().isBlank() ? r.out() : r.err();
        Matcher m = MSG.matcher(err);
        String msg = null;
        while (m.find()) {
            msg = m.group(1).replace("\\\"", "\"");
        }
        String text = (msg != null ? msg : err).strip();
        JpodException e = errors.ociError(what + ": " + text);
        return e.code() == ErrorCode.OCI_RUNTIME ? new JpodException(ErrorCode.OCI_RUNTIME, name + " " + what
                + " failed (exit " + r.exit() + "): " + text + ": OCI runtime error") : e;
    }

    /** True when the runtime said it does not know the container. */
    static boolean notExist(Exec.Result r) {
        String s = (r.err() + r.out()).toLowerCase(Locale.ROOT);
        return s.contains("does not exist") || s.contains("not found") && s.contains("container");
    }
}
