package io.jpod.cli;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.Test;

/** Offline: flags, filters, specs, exit codes, the shapes of ps rows and events. */
public class CliTest {
    private static String[] run(String... args) {
        StringWriter err = new StringWriter();
        int code = Main.execute(args, new PrintWriter(err, true));
        return new String[] {String.valueOf(code), err.toString()};
    }

    @Test
    public void badFlagIsAClearError() {
        String[] r = run("ps", "--bogus");
        assertEquals("125", r[0]);
        assertTrue(r[1], r[1].startsWith("Error: Unknown option: '--bogus'"));
        assertTrue(r[1], r[1].contains("See 'jpod ps --help'"));
        r = run("frobnicate");
        assertEquals("125", r[0]);
        assertTrue(r[1], r[1].startsWith("Error: Unmatched argument"));
    }

    @Test
    public void everyCommandTakesHelp() {
        for (String[] cmd : List.of(new String[] {"run", "--help"}, new String[] {"network", "ls", "--help"},
                new String[] {"system", "migrate", "--help"}, new String[] {"container", "cleanup", "--help"})) {
            java.io.StringWriter out = new java.io.StringWriter();
            picocli.CommandLine cl = Main.commandLine();
            cl.setOut(new PrintWriter(out, true));
            assertEquals(String.join(" ", cmd), 0, cl.execute(cmd));
            String usage = "Usage: jpod " + String.join(" ", List.of(cmd).subList(0, cmd.length - 1));
            assertTrue(out.toString(), out.toString().startsWith(usage));
        }
        // run's -h is --hostname, as podman's
        assertTrue(Main.commandLine().getSubcommands().get("run").getCommandSpec().findOption("-h").longestName()
                .equals("--hostname"));
    }

    @Test
    public void missingServiceNamesTheSocket() {
        String[] r = run("--url", "unix:///nonexistent/jpod-cli-test.sock", "ps");
        assertEquals("125", r[0]);
        assertTrue(r[1], r[1].startsWith("Error: unable to connect to jpod service: nothing answers on /nonexistent/jpod-cli-test.sock"));
        assertTrue(r[1], !r[1].contains("\tat "));
        r = run("--url", "tcp://localhost:1", "ps");
        assertEquals("125", r[0]);
        assertTrue(r[1], r[1].contains("only unix:///path is supported"));
    }

    @Test
    public void exitCodesAsPodman() {
        assertEquals(127, Main.exitCode(new ApiException(500, "runc: exec: \"x\": executable file not found in $PATH: OCI runtime attempted to invoke a command that was not found")));
        assertEquals(126, Main.exitCode(new ApiException(500, "exec: \"/etc\": permission denied: OCI permission denied")));
        assertEquals(125, Main.exitCode(new ApiException(404, "no container with name or ID \"x\" found: no such container")));
        assertEquals(3, Main.exitCode(new Main.ExitException(3, "x")));
    }

    @Test
    public void filters() {
        Map<String, List<String>> f = Filters.parse(List.of("status=running", "label=a=b", "status=exited"));
        assertEquals("{\"status\":[\"running\",\"exited\"],\"label\":[\"a=b\"]}", Filters.toJson(f));
        assertThrows(IllegalArgumentException.class, () -> Filters.parse(List.of("nokey")));
    }

    @Test
    public void specFromRunFlags() throws Exception {
        picocli.CommandLine cl = Main.commandLine();
        picocli.CommandLine.ParseResult pr = cl.parseArgs("run", "--name", "web", "-e", "A=1", "-v", "/h:/c:ro",
                "-p", "127.0.0.1:8080:80", "--restart", "on-failure:3", "-l", "k=v", "--network", "none",
                "--ulimit", "nofile=1000:1000", "--stop-signal", "SIGINT", "img", "sh", "-c", "echo hi");
        ContainerCommands.Run run = (ContainerCommands.Run) pr.subcommand().commandSpec().userObject();
        ObjectNode s = run.spec();
        assertEquals("web", s.path("name").asText());
        assertEquals("img", s.path("image").asText());
        assertEquals("[\"sh\",\"-c\",\"echo hi\"]", s.path("command").toString());
        assertEquals("1", s.path("env").path("A").asText());
        assertEquals("{\"destination\":\"/c\",\"source\":\"/h\",\"type\":\"bind\",\"options\":[\"rbind\",\"ro\"]}", s.path("mounts").path(0).toString());
        assertEquals("{\"host_ip\":\"127.0.0.1\",\"host_port\":8080,\"container_port\":80,\"protocol\":\"tcp\"}", s.path("portmappings").path(0).toString());
        assertEquals("on-failure", s.path("restart_policy").asText());
        assertEquals(3, s.path("restart_tries").asInt());
        assertEquals("none", s.path("netns").path("nsmode").asText());
        assertEquals("{\"type\":\"nofile\",\"soft\":1000,\"hard\":1000}", s.path("r_limits").path(0).toString());
        assertEquals(2, s.path("stop_signal").asInt());
        // attached run: removed by the CLI after the wait, not by the service
        assertEquals(false, s.path("remove").asBoolean());
    }

    @Test
    public void badSpecFlags() {
        assertThrows(IllegalArgumentException.class, () -> Specs.bindMount("relative"));
        assertThrows(IllegalArgumentException.class, () -> Specs.portMapping("x:y"));
        assertThrows(IllegalArgumentException.class, () -> Specs.signalNumber("SIGNOPE"));
        assertEquals(9, Specs.signalNumber("kill"));
        assertEquals(15, Specs.signalNumber("15"));
    }

    @Test
    public void psRowsAsPodman() throws Exception {
        String json = "{\"Command\":[\"sh\",\"-c\",\"echo hi; echo err >&2; sleep 100\"],\"Created\":\"2026-11-28T18:46:35.772747746Z\","
                + "\"Id\":\"a074fb68d7dd7071c899cfb7103155138d3ce0d4143dc99c910847a449faccd6\",\"Image\":\"localhost/b:latest\","
                + "\"ImageID\":\"cbcc2ca00307ccfb0e8fab31b04fbf6138c472aa3c7e895421957af00f44d99b\",\"Labels\":{\"a\":\"b\"},"
                + "\"Names\":[\"web\"],\"State\":\"exited\",\"ExitCode\":3,\"ExitedAt\":1795891606,\"StartedAt\":1795891600,"
                + "\"Ports\":[{\"host_ip\":\"\",\"container_port\":80,\"host_port\":8080,\"protocol\":\"tcp\"}]}";
        Instant now = Instant.ofEpochSecond(1795891606 + 120);
        Map<String, Object> r = ContainerCommands.Ps.row(Api.JSON.readTree(json), now, false);
        assertEquals("a074fb68d7dd", r.get("ID"));
        assertEquals("sh -c echo hi; ec...", r.get("Command"));
        assertEquals("Exited (3) 2 minutes ago", r.get("Status"));
        assertEquals("0.0.0.0:8080->80/tcp", r.get("Ports"));
        assertEquals("2026-11-28 18:46:35.772747746 +0000 UTC", r.get("CreatedAt"));
        assertEquals("Up 2 minutes ago", ContainerCommands.Ps.status(Api.JSON.readTree("{\"State\":\"running\",\"StartedAt\":1795891606}"), now));
        assertEquals("Created", ContainerCommands.Ps.status(Api.JSON.readTree("{\"State\":\"created\"}"), now));
    }

    @Test
    public void eventsAsPodman() throws Exception {
        String line = "{\"status\":\"create\",\"id\":\"8c37\",\"from\":\"localhost/b:latest\",\"Type\":\"container\",\"Action\":\"create\","
                + "\"Actor\":{\"ID\":\"8c37\",\"Attributes\":{\"containerExitCode\":\"0\",\"image\":\"localhost/b:latest\",\"k\":\"1\",\"name\":\"web\",\"podId\":\"\"}},"
                + "\"scope\":\"local\",\"time\":1795893472,\"timeNano\":1795893472325013763}";
        Map<String, Object> e = EventCommands.EventsCmd.event(Api.JSON.readTree(line));
        assertEquals("2026-11-28 19:17:52.325013763 +0000 UTC container create 8c37 (image=localhost/b:latest, name=web, k=1)",
                EventCommands.EventsCmd.human(e, true));
        assertEquals("{\"ID\":\"8c37\",\"Image\":\"localhost/b:latest\",\"Name\":\"web\",\"Status\":\"create\","
                + "\"Time\":\"2026-11-28T19:17:52.325013763Z\",\"Type\":\"container\",\"Attributes\":{\"k\":\"1\"}}", Template.json(e));
    }

    @Test
    public void imageSizesAsGoUnits() {
        assertEquals("2.13 MB", ImageCommands.humanSize(2131015));
        assertEquals("512 B", ImageCommands.humanSize(512));
        assertEquals("1 kB", ImageCommands.humanSize(1000));
        assertEquals("1.5 GB", ImageCommands.humanSize(1_500_000_000L));
        assertEquals("[localhost/x, latest]", List.of(ImageCommands.repoTag("localhost/x")).toString());
        assertEquals("[localhost:5000/x, v1]", List.of(ImageCommands.repoTag("localhost:5000/x:v1")).toString());
    }

    @Test
    public void multiplexedFrames() throws Exception {
        byte[] in = {1, 0, 0, 0, 0, 0, 0, 3, 'h', 'i', '\n', 2, 0, 0, 0, 0, 0, 0, 4, 'e', 'r', 'r', '\n'};
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        assertEquals(null, Frames.demux(new java.io.ByteArrayInputStream(in), out, err));
        assertEquals("hi\n", out.toString());
        assertEquals("err\n", err.toString());
    }

    @Test
    public void aCommandLineGetsTheModelOfTheCommandItNamesOnly() {
        assertEquals(java.util.Set.of("run"), Main.commandLine(new String[] {"--url", "unix:///x.sock", "run",
            "busybox"}).getSubcommands().keySet());
        assertEquals(java.util.Set.of("network"), Main.commandLine(new String[] {"--log-level=debug", "network",
            "ls"}).getSubcommands().keySet());
        int all = Main.COMMANDS.size();
        for (String[] line : List.of(new String[] {}, new String[] {"--help"}, new String[] {"help", "run"},
                new String[] {"nosuch"})) {
            assertEquals(String.join(" ", line), all, Main.commandLine(line).getSubcommands().size());
        }
        String[] r = run("nosuch");
        assertEquals("125", r[0]);
        assertTrue(r[1], r[1].contains("nosuch"));
        for (String v : List.of("--version", "-V")) {
            assertEquals(0, Main.commandLine(new String[] {v}).getSubcommands().size());
            assertEquals(all, Main.commandLine(new String[] {v, "--help"}).getSubcommands().size());
        }
    }

    @Test
    public void versionPrintsTheVersionAsPodmanDoes() {
        for (String v : List.of("--version", "-V")) {
            java.io.PrintStream saved = System.out;
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            System.setOut(new java.io.PrintStream(out, true));
            int code;
            try {
                code = Main.execute(new String[] {v}, new java.io.PrintWriter(new java.io.StringWriter()));
            } finally {
                System.setOut(saved);
            }
            assertEquals(0, code);
            assertTrue(out.toString(), out.toString().matches("jpod version \\S+\\R"));
        }
    }
}
