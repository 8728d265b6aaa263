package io.jpod.cli;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.Test;

/** attach, system renumber, reset and service: against a stand-in service where they talk to one. */
public class SystemAndAttachTest {
    private static String[] run(String... args) {
        StringWriter err = new StringWriter();
        int code = Main.execute(args, new PrintWriter(err, true));
        return new String[] {String.valueOf(code), err.toString()};
    }

    private static String[] runWithInput(String stdin, String... args) {
        InputStream saved = System.in;
        System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
        try {
            return run(args);
        } finally {
            System.setIn(saved);
        }
    }

    @Test
    public void newCommandsTakeHelp() {
        for (String[] cmd : List.of(new String[] {"attach", "--help"}, new String[] {"container", "attach", "--help"},
                new String[] {"system", "renumber", "--help"}, new String[] {"system", "reset", "--help"},
                new String[] {"system", "service", "--help"})) {
            StringWriter out = new StringWriter();
            picocli.CommandLine cl = Main.commandLine();
            cl.setOut(new PrintWriter(out, true));
            assertEquals(String.join(" ", cmd), 0, cl.execute(cmd));
            assertTrue(out.toString(), out.toString().startsWith("Usage: jpod " + String.join(" ", List.of(cmd).subList(0, cmd.length - 1))));
        }
        StringWriter out = new StringWriter();
        picocli.CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.execute("system", "service", "--help");
        assertTrue(out.toString(), out.toString().contains("no idle timeout"));
    }

    @Test
    public void renumberAsksTheService() throws Exception {
        try (StandInService s = new StandInService().answer("POST", "system/renumber", 200, "{\"Renumbered\":3}")) {
            String[] r = run("--url", s.url(), "system", "renumber");
            assertEquals(r[1], "0", r[0]);
            assertEquals(List.of("POST /v4.0.0/libpod/system/renumber".replace(Api.PREFIX, "")), s.requests);
        }
        try (StandInService s = new StandInService().answer("POST", "system/renumber", 503,
                "{\"cause\":\"x\",\"message\":\"engine not assembled: lock provider shm missing\",\"response\":503}")) {
            String[] r = run("--url", s.url(), "system", "renumber");
            assertEquals("125", r[0]);
            assertEquals("Error: engine not assembled: lock provider shm missing\n", r[1]);
        }
    }

    @Test
    public void resetRemovesEverythingInLibpodsOrder() throws Exception {
        try (StandInService s = new StandInService()
                .answer("GET", "containers/json", 200, "[{\"Id\":\"c1\"},{\"Id\":\"c2\"}]")
                .answer("DELETE", "containers/c1", 200, "[]").answer("DELETE", "containers/c2", 200, "[]")
                .answer("GET", "images/json", 200, "[{\"Id\":\"i1\"}]")
                .answer("DELETE", "images/i1", 200, "{}")
                .answer("GET", "volumes/json", 200, "[{\"Name\":\"v1\"}]")
                .answer("DELETE", "volumes/v1", 204, "")
                .answer("GET", "networks/json", 200, "[{\"name\":\"n1\"}]")
                .answer("DELETE", "networks/n1", 200, "[]")) {
            String[] r = run("--url", s.url(), "system", "reset", "--force");
            assertEquals(r[1], "0", r[0]);
            assertEquals("", r[1]);
            assertEquals(List.of("GET pods/json",
                    "GET containers/json?all=true",
                    "DELETE containers/c1?force=true&v=true", "DELETE containers/c2?force=true&v=true",
                    "GET images/json?all=true", "DELETE images/i1?force=true",
                    "GET volumes/json", "DELETE volumes/v1?force=true",
                    "GET networks/json?filters=%7B%22type%22%3A%5B%22custom%22%5D%7D", "DELETE networks/n1?force=true"),
                    s.requests);
        }
    }

    @Test
    public void resetGoesOnPastAFailureAndExits125() throws Exception {
        try (StandInService s = new StandInService()
                .answer("GET", "containers/json", 200, "[]")
                .answer("GET", "images/json", 200, "[{\"Id\":\"i1\"},{\"Id\":\"i2\"}]")
                .answer("DELETE", "images/i1", 500, "{\"message\":\"image i1 is busy\"}")
                .answer("DELETE", "images/i2", 200, "{}")
                .answer("GET", "volumes/json", 200, "[]")
                .answer("GET", "networks/json", 200, "[]")) {
            String[] r = run("--url", s.url(), "system", "reset", "-f");
            assertEquals("125", r[0]);
            assertEquals("Error: image i1 is busy\n", r[1]);
            assertTrue(s.requests.toString(), s.requests.contains("DELETE images/i2?force=true"));
            assertTrue(s.requests.toString(), s.requests.contains("GET networks/json?filters=%7B%22type%22%3A%5B%22custom%22%5D%7D"));
        }
    }

    @Test
    public void resetWithoutForceAsksFirst() throws Exception {
        try (StandInService s = new StandInService()) {
            String[] no = runWithInput("n\n", "--url", s.url(), "system", "reset");
            assertEquals("0", no[0]);
            assertEquals(List.of(), s.requests);
            String[] empty = runWithInput("\n", "--url", s.url(), "system", "reset");
            assertEquals("0", empty[0]);
            assertEquals(List.of(), s.requests);
            // podman: no answer at all (end of input) is an error, exit 1
            String[] eof = runWithInput("", "--url", s.url(), "system", "reset");
            assertEquals("1", eof[0]);
            assertEquals("Error: EOF\n", eof[1]);
            assertEquals(List.of(), s.requests);
            s.answer("GET", "containers/json", 200, "[]").answer("GET", "images/json", 200, "[]")
                    .answer("GET", "volumes/json", 200, "[]").answer("GET", "networks/json", 200, "[]");
            String[] yes = runWithInput("Yes\n", "--url", s.url(), "system", "reset");
            assertEquals(yes[1], "0", yes[0]);
            assertEquals(5, s.requests.size());
        }
        assertEquals("y", SystemCommands.Reset.readLine(new ByteArrayInputStream("y\nmore".getBytes(StandardCharsets.UTF_8))));
        assertEquals(null, SystemCommands.Reset.readLine(new ByteArrayInputStream("y".getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    public void attachRefusesWhatPodmanRefuses() throws Exception {
        try (StandInService s = new StandInService()
                .answer("GET", "containers/missing/json", 404,
                        "{\"cause\":\"no such container\",\"message\":\"no container with name or ID \\\"missing\\\" found: "
                                + "no such container\",\"response\":404}")
                .answer("GET", "containers/made/json", 200,
                        "{\"Id\":\"made\",\"State\":{\"Status\":\"created\"},\"Config\":{\"Tty\":false}}")) {
            String[] missing = run("--url", s.url(), "attach", "missing");
            assertEquals("125", missing[0]);
            assertEquals("Error: no container with name or ID \"missing\" found: no such container\n", missing[1]);
            String[] created = run("--url", s.url(), "attach", "--no-stdin", "made");
            assertEquals("125", created[0]);
            assertEquals("Error: you can only attach to running containers\n", created[1]);
            assertFalse(s.requests.toString(), s.requests.stream().anyMatch(r -> r.contains("/attach")));
        }
        String[] two = run("attach", "a", "b");
        assertEquals("125", two[0]);
        String[] keys = run("attach", "--detach-keys", "ctrl-1", "x");
        assertEquals("125", keys[0]);
        assertEquals("Error: invalid detach keys: unknown character: 'ctrl-1'\n", keys[1]);
    }

    @Test
    public void detachKeysAsPodmanReadsThem() {
        assertArrayEquals(new byte[] {16, 17}, AttachCommand.detachKeys("ctrl-p,ctrl-q"));
        assertArrayEquals(new byte[] {0, 27, 28, 29, 30, 31, 'a', 127}, AttachCommand.detachKeys("ctrl-@,ctrl-[,ctrl-\\,ctrl-],ctrl-^,ctrl-_,a,DEL"));
        assertArrayEquals(new byte[0], AttachCommand.detachKeys(""));
        assertThrows(IllegalArgumentException.class, () -> AttachCommand.detachKeys("ctrl-P"));

        Attach.DetachKeys m = new Attach.DetachKeys(new byte[] {16, 17});
        assertArrayEquals("a\u0010b".getBytes(StandardCharsets.UTF_8), m.filter("a\u0010b".getBytes(StandardCharsets.UTF_8), 3));
        assertFalse(m.matched());
        // a sequence split over two reads, with what came before it passed on
        assertArrayEquals("x".getBytes(StandardCharsets.UTF_8), m.filter("x\u0010".getBytes(StandardCharsets.UTF_8), 2));
        assertArrayEquals(new byte[0], m.filter(new byte[] {17, 'z'}, 2));
        assertTrue(m.matched());
        // ctrl-p twice: the first is passed on, the second may still begin the sequence
        Attach.DetachKeys twice = new Attach.DetachKeys(new byte[] {16, 17});
        assertArrayEquals(new byte[] {16}, twice.filter(new byte[] {16, 16}, 2));
        assertFalse(twice.matched());
        assertArrayEquals(new byte[] {16, 16, 'q'}, twice.filter(new byte[] {16, 'q'}, 2));
        Attach.DetachKeys none = new Attach.DetachKeys(new byte[0]);
        assertArrayEquals(new byte[] {16, 17}, none.filter(new byte[] {16, 17}, 2));
        assertFalse(none.matched());
    }

    @Test
    public void serviceTakesUnixSocketsOnly() {
        assertEquals(Path.of("/tmp/x.sock"), SystemCommands.Service.socketOf("unix:///tmp/x.sock"));
        assertEquals(Path.of("/tmp/x.sock"), SystemCommands.Service.socketOf("unix:/tmp/x.sock"));
        String[] tcp = run("system", "service", "--time", "0", "tcp://localhost:8888");
        assertEquals("125", tcp[0]);
        assertTrue(tcp[1], tcp[1].startsWith("Error: API Service endpoint scheme \"tcp\" is not supported by jpod"));
        assertEquals("125", run("system", "service", "unix://host/x.sock")[0]);
        assertEquals("125", run("system", "service", "unix:relative.sock")[0]);
        assertEquals("125", run("system", "service", "/tmp/x.sock")[0]);
    }
}
