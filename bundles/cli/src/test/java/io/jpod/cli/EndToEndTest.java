package io.jpod.cli;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.After;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * The CLI against a real service (jpod's or podman's):
 * {@code -Djpod.cli.it.url=unix:///path.sock -Djpod.cli.it.image=localhost/busybox}; skipped without them.
 * Each test runs the CLI in a JVM of its own (stdin, stdout and exit codes as a user sees them).
 * {@code -Djpod.cli.it.ulimits=true} adds the rlimits podman needs on hosts that refuse more than their hard limit.
 */
public class EndToEndTest {
    private static final String URL = System.getProperty("jpod.cli.it.url", "");
    private static final String IMAGE = System.getProperty("jpod.cli.it.image", "");
    private static final String PREFIX = "jpodcli-it-";
    private final List<String> made = new ArrayList<>();

    @BeforeClass
    public static void needsAService() {
        boolean given = !URL.isBlank() && !URL.startsWith("${") && !IMAGE.isBlank() && !IMAGE.startsWith("${");
        if (!given) {
            System.out.println("EndToEndTest skipped: give -Djpod.cli.it.url=unix:///path.sock and -Djpod.cli.it.image=IMAGE");
        }
        assumeTrue("no service given (-Djpod.cli.it.url, -Djpod.cli.it.image)", given);
    }

    record Result(int code, String out, String err) {
    }

    private static Result jpod(String stdin, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(System.getProperty("java.home") + "/bin/java", "-cp",
                System.getProperty("java.class.path"), "io.jpod.cli.Main", "--url", URL));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectInput(stdin == null ? ProcessBuilder.Redirect.from(new File("/dev/null"))
                : ProcessBuilder.Redirect.PIPE).start();
        if (stdin != null) {
            p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
            p.getOutputStream().close();
        }
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Thread t = new Thread(() -> {
            try {
                p.getErrorStream().transferTo(err);
            } catch (IOException ignored) {
                // the process is gone
            }
        });
        t.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        t.join();
        return new Result(p.exitValue(), out, err.toString(StandardCharsets.UTF_8));
    }

    private List<String> runArgs(String name, String... rest) {
        List<String> a = new ArrayList<>(List.of("run", "--name", name));
        if (Boolean.getBoolean("jpod.cli.it.ulimits")) {
            a.addAll(List.of("--ulimit", "nofile=1000:1000", "--ulimit", "nproc=1000:1000"));
        }
        a.addAll(List.of(rest));
        made.add(name);
        return a;
    }

    @After
    public void removeWhatWasMade() throws Exception {
        for (String name : made) {
            jpod(null, "rm", "-f", name);
        }
    }

    @Test
    public void versionInfoPing() throws Exception {
        Result v = jpod(null, "version");
        assertEquals(v.err, 0, v.code);
        assertTrue(v.out, v.out.contains("Server:"));
        Result i = jpod(null, "info", "--format", "json");
        assertEquals(i.err, 0, i.code);
        assertTrue(i.out, i.out.trim().startsWith("{"));
    }

    @Test
    public void runAttachedWithExitCodeAndStreams() throws Exception {
        List<String> a = runArgs(PREFIX + "run", "--rm", IMAGE, "sh", "-c", "echo out; echo err >&2; exit 7");
        Result r = jpod(null, a.toArray(String[]::new));
        assertEquals(r.err, 7, r.code);
        assertEquals("out\n", r.out);
        assertEquals("err\n", r.err);
        Result gone = jpod(null, "inspect", PREFIX + "run");
        assertEquals(125, gone.code);
    }

    @Test
    public void runInteractiveStdin() throws Exception {
        List<String> a = runArgs(PREFIX + "stdin", "--rm", "-i", IMAGE, "cat");
        Result r = jpod("piped\n", a.toArray(String[]::new));
        assertEquals(r.err, 0, r.code);
        assertEquals("piped\n", r.out);
    }

    @Test
    public void commandNotFoundIs127() throws Exception {
        List<String> a = runArgs(PREFIX + "nf", "--rm", IMAGE, "jpod-no-such-command");
        Result r = jpod(null, a.toArray(String[]::new));
        assertEquals(r.err, 127, r.code);
        assertTrue(r.err, r.err.startsWith("Error: "));
    }

    @Test
    public void detachedLifecycle() throws Exception {
        String name = PREFIX + "d";
        List<String> a = runArgs(name, "-d", "-l", "jpodcli=it", IMAGE, "sh", "-c", "echo started; sleep 300");
        Result r = jpod(null, a.toArray(String[]::new));
        assertEquals(r.err, 0, r.code);
        assertEquals(64, r.out.trim().length());
        Result ps = jpod(null, "ps", "--filter", "label=jpodcli=it", "--format", "{{.Names}} {{.Status}}");
        assertTrue(ps.out, ps.out.startsWith(name + " Up "));
        Thread.sleep(500);
        Result logs = jpod(null, "logs", name);
        assertEquals("started\n", logs.out);
        Result exec = jpod(null, "exec", name, "sh", "-c", "echo in; exit 4");
        assertEquals(exec.err, 4, exec.code);
        assertEquals("in\n", exec.out);
        Result execIn = jpod("x\n", "exec", "-i", name, "cat");
        assertEquals("x\n", execIn.out);
        assertEquals(0, jpod(null, "pause", name).code);
        assertEquals(0, jpod(null, "unpause", name).code);
        Result inspect = jpod(null, "inspect", "--format", "{{.State.Status}}", name);
        assertEquals("running\n", inspect.out);
        Result stop = jpod(null, "stop", "-t", "1", name);
        assertEquals(stop.err, name + "\n", stop.out);
        Result wait = jpod(null, "wait", name);
        assertEquals(wait.err, 0, wait.code);
        Result rm = jpod(null, "rm", name);
        assertEquals(rm.err, name + "\n", rm.out);
        Result missing = jpod(null, "rm", name);
        assertEquals(125, missing.code);
        assertTrue(missing.err, missing.err.startsWith("Error: "));
    }

    @Test
    public void imagesTagSaveLoad() throws Exception {
        String tag = "localhost/" + PREFIX + "tag:v1";
        assertEquals(0, jpod(null, "tag", IMAGE, tag).code);
        Result images = jpod(null, "images", "--format", "{{.Repository}}:{{.Tag}}");
        assertTrue(images.out, images.out.contains(tag + "\n"));
        File tar = File.createTempFile(PREFIX, ".tar");
        try {
            Result save = jpod(null, "save", "-o", tar.getPath(), tag);
            assertEquals(save.err, 0, save.code);
            assertTrue(tar.length() > 0);
            Result rmi = jpod(null, "rmi", tag);
            assertEquals(rmi.err, 0, rmi.code);
            Result load = jpod(null, "load", "-i", tar.getPath());
            assertEquals(load.err, 0, load.code);
            assertTrue(load.out, load.out.contains(tag));
        } finally {
            tar.delete();
            jpod(null, "rmi", tag);
        }
    }

    @Test
    public void eventsSinceUntil() throws Exception {
        Result e = jpod(null, "events", "--since", "5m", "--until", "1s", "--format", "json");
        assertEquals(e.err, 0, e.code);
    }
}
