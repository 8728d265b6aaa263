package io.jpod.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code jpod attach}: the running container's output on ours, our stdin on its (when it keeps stdin
 * open), until it exits or the detach keys are typed. Exits 0 either way, as podman 4.3.1's attach does;
 * {@code jpod wait} gives the container's code.
 */
@Command(name = "attach", description = {"Attach to a running container",
    "",
    "Attaches to a running container using its ID or name, either to view its ongoing output or to control "
            + "it interactively. Ends when the container exits or on the detach keys (the container keeps "
            + "running); exits 0 either way, as podman's."})
final class AttachCommand extends Base {
    private static final Logger LOG = LoggerFactory.getLogger(AttachCommand.class);
    static final String DEFAULT_DETACH_KEYS = "ctrl-p,ctrl-q";
    /** Signals proxied to the container: those a JVM may handle, as podman proxies all it can catch. */
    private static final List<String> PROXIED = List.of("HUP", "INT", "TERM", "USR2", "ALRM");

    @Option(names = "--detach-keys", paramLabel = "KEYS", defaultValue = DEFAULT_DETACH_KEYS,
            description = "Select the key sequence for detaching a container: a single character [a-Z] or a comma "
                    + "separated sequence of ctrl-<value>, where <value> is one of a-z, @, ^, [, \\, ] or _ "
                    + "(default ${DEFAULT-VALUE}; empty: none)")
    String detachKeys;
    @Option(names = "--no-stdin", description = "Do not attach STDIN. The default is false")
    boolean noStdin;
    @Option(names = "--sig-proxy", defaultValue = "true", arity = "0..1", paramLabel = "BOOL",
            description = "Proxy received signals to the process (default ${DEFAULT-VALUE})")
    boolean sigProxy;
    @Parameters(arity = "1", paramLabel = "CONTAINER")
    String container;

    @Override
    int run() throws IOException {
        byte[] keys = detachKeys(detachKeys);
        JsonNode c = api().get("containers/" + Api.seg(container) + "/json", null);
        if (!"running".equals(c.path("State").path("Status").asText())) {
            throw new IllegalArgumentException("you can only attach to running containers");
        }
        String id = c.path("Id").asText(container);
        boolean tty = c.path("Config").path("Tty").asBoolean();
        // as podman: stdin only goes to a container that keeps it open (-i)
        boolean stdin = !noStdin && c.path("Config").path("OpenStdin").asBoolean();
        String path = "containers/" + Api.seg(id);
        if (sigProxy) {
            for (String sig : PROXIED) {
                Signals.on(sig, () -> proxy(path, sig));
            }
        }
        AtomicBoolean detached = new AtomicBoolean();
        Terminal raw = tty && stdin ? Terminal.raw() : null;
        try (Hijack h = api().hijack(path + "/attach",
                Api.query("stream", "true", "stdin", String.valueOf(stdin), "stdout", "true", "stderr", "true"), null)) {
            if (stdin && h.upgraded()) {
                Thread t = new Thread(() -> Attach.copyStdin(System.in, h, keys, detached), "jpod-attach-stdin");
                t.setDaemon(true);
                t.start();
            }
            Attach.pump(h, false, tty, out, Attach.resizer(api(), path + "/resize"));
        } catch (IOException | RuntimeException e) {
            if (!detached.get()) {
                throw e;
            }
            LOG.debug("after the detach: {}", e.toString());
        } finally {
            if (raw != null) {
                raw.restore();
            }
        }
        // podman 4.3's attach exits 0 when the container ends, whatever its code (docker's gives the code)
        return 0;
    }

    private void proxy(String path, String sig) {
        try {
            api().post(path + "/kill", Api.query("signal", "SIG" + sig), null);
        } catch (RuntimeException e) {
            LOG.debug("proxying SIG{}: {}", sig, e.toString());
        }
    }

    /** moby's term.ToBytes, as podman reads --detach-keys: single characters or ctrl-<value>, comma separated. */
    static byte[] detachKeys(String spec) {
        if (spec == null || spec.isEmpty()) {
            return new byte[0];
        }
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (String key : spec.split(",", -1)) {
            if (key.length() == 1) {
                b.write(key.charAt(0));
                continue;
            }
            String k = key;
            if (k.startsWith("ctrl-") && k.length() == 6) {
                char v = k.charAt(5);
                int code = v >= 'a' && v <= 'z' ? v - 'a' + 1 : "@[\\]^_".indexOf(v) < 0 ? -1
                        : v == '@' ? 0 : 27 + "[\\]^_".indexOf(v);
                if (code >= 0) {
                    b.write(code);
                    continue;
                }
            } else if (key.equals("DEL")) {
                b.write(127);
                continue;
            }
            throw new IllegalArgumentException("invalid detach keys: unknown character: '" + key + "'");
        }
        return b.toByteArray();
    }
}
