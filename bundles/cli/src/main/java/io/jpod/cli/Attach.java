package io.jpod.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Attached sessions: podman-remote's create → attach → start → wait, and the stdin/stdout pumps. */
final class Attach {
    private static final Logger LOG = LoggerFactory.getLogger(Attach.class);
    static final byte[] NO_DETACH_KEYS = new byte[0];

    private Attach() {
    }

    /** Attaches, starts (if asked), copies the streams until the output ends and returns the exit code. */
    static int startAttached(Api api, String id, boolean stdin, boolean tty, boolean start, PrintStream out) throws IOException {
        String c = Api.seg(id);
        try (Hijack h = api.hijack("containers/" + c + "/attach",
                Api.query("stream", "true", "stdin", stdin ? "true" : "false", "stdout", "true", "stderr", "true"), null)) {
            if (start) {
                api.post("containers/" + c + "/start", null, null);
            }
            pump(h, stdin, tty, out, resizer(api, "containers/" + c + "/resize"));
        }
        JsonNode code = api.post("containers/" + c + "/wait", null, null);
        return code.isObject() ? code.path("StatusCode").asInt() : code.asInt();
    }

    /**
     * What keeps a remote terminal the size of ours: sends our rows and columns to {@code path} (a resize
     * call), now and on every SIGWINCH. Failures only log: the session goes on at the old size.
     */
    static Resizer resizer(Api api, String path) {
        return new Resizer(api, path);
    }

    /** Sends our terminal's rows and columns to a resize call. */
    static final class Resizer implements Runnable {
        private final Api api;
        private final String path;

        Resizer(Api api, String path) {
            this.api = api;
            this.path = path;
        }

        @Override
        public void run() {
            send();
        }

        /** False when the service refused the size (e.g. an exec session that does not run yet). */
        boolean send() {
            int[] size = Terminal.size();
            if (size == null) {
                return true;
            }
            try {
                api.post(path, Api.query("h", size[0], "w", size[1]), null);
                return true;
            } catch (RuntimeException e) {
                LOG.debug("resize: {}", e.toString());
                return false;
            }
        }

        /**
         * The first size of a session, in the background: the process may not run yet when its stream is up
         * (an exec session starts with its stream), so it is sent again for a while, as the docker CLI does.
         */
        void sendFirst() {
            Thread t = new Thread(() -> {
                for (int i = 0; i < 20 && !send(); i++) {
                    try {
                        Thread.sleep(100);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "jpod-resize");
            t.setDaemon(true);
            t.start();
        }
    }

    /**
     * Sends stdin (when asked) and copies the output until the service closes the stream. With a terminal
     * on both ends, {@code resize} makes the remote one follow ours.
     */
    static void pump(Hijack h, boolean stdin, boolean tty, PrintStream out, Resizer resize) throws IOException {
        Terminal raw = tty && stdin ? Terminal.raw() : null;
        if (tty && resize != null && System.console() != null) {
            resize.sendFirst();
            Signals.on("WINCH", resize);
        }
        try {
            if (stdin && h.upgraded()) {
                Thread t = new Thread(() -> copyStdin(System.in, h, NO_DETACH_KEYS, new AtomicBoolean()), "jpod-stdin");
                t.setDaemon(true);
                t.start();
            }
            copyOutput(h.input(), tty, out);
        } finally {
            if (raw != null) {
                raw.restore();
            }
        }
    }

    /**
     * Copies stdin to the container until its end (then half-closes, so the container reads its end too) or
     * until the detach keys (none when empty): then it closes the connection, which ends the session.
     */
    static void copyStdin(InputStream in, Hijack h, byte[] keys, AtomicBoolean detached) {
        DetachKeys matcher = new DetachKeys(keys);
        byte[] buf = new byte[8192];
        try {
            int n;
            while ((n = in.read(buf)) >= 0) {
                byte[] pass = matcher.filter(buf, n);
                if (pass.length > 0) {
                    h.write(pass, 0, pass.length);
                }
                if (matcher.matched()) {
                    detached.set(true);
                    h.close();
                    return;
                }
            }
            h.closeWrite();
        } catch (IOException e) {
            LOG.debug("stdin: {}", e.toString());
        }
    }

    /** Holds back bytes that may begin the detach sequence; what turns out not to be is passed on. */
    static final class DetachKeys {
        private final byte[] keys;
        private int held;
        private boolean matched;

        DetachKeys(byte[] keys) {
            this.keys = keys;
        }

        boolean matched() {
            return matched;
        }

        /** The bytes of {@code buf[0..n)} to send on; stops at a complete sequence. */
        byte[] filter(byte[] buf, int n) {
            ByteArrayOutputStream pass = new ByteArrayOutputStream(n);
            for (int i = 0; i < n && !matched; i++) {
                byte b = buf[i];
                if (keys.length == 0) {
                    pass.write(b);
                } else if (b == keys[held]) {
                    held++;
                    matched = held == keys.length;
                } else {
                    pass.write(keys, 0, held);
                    held = 0;
                    if (b == keys[0]) {
                        held = 1;
                        matched = keys.length == 1;
                    } else {
                        pass.write(b);
                    }
                }
            }
            return pass.toByteArray();
        }
    }

    /** Output of logs/attach/exec: raw for a TTY, else the multiplexed frames (detected as docker-java does). */
    static void copyOutput(InputStream input, boolean tty, PrintStream out) throws IOException {
        OutputStream err = new FileOutputStream(FileDescriptor.err);
        BufferedInputStream in = input instanceof BufferedInputStream b ? b : new BufferedInputStream(input);
        if (tty) {
            Frames.raw(in, out);
            return;
        }
        in.mark(1);
        int first = in.read();
        if (first < 0) {
            return;
        }
        in.reset();
        if (first <= 3) {
            String system = Frames.demux(in, out, err);
            if (system != null) {
                throw new ApiException(500, system.trim());
            }
        } else {
            Frames.raw(in, out);
        }
    }
}
