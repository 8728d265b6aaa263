package io.jpod.clients;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jpod.clients.JpodService.Result;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.Test;

/**
 * Healthchecks run by the service itself (podman needs systemd timers for them): the docker CLI and podman-remote
 * see a container become healthy or unhealthy, its log, its events; the checks go on after a restart of the service
 * and stop with the container.
 */
public class HealthcheckIT extends ClientTestSupport {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode health(String ctr) throws Exception {
        return JSON.readTree(ok("inspect", "-f", "{{json .State.Health}}", ctr).out());
    }

    private static String status(String ctr) throws Exception {
        return health(ctr).path("Status").asText();
    }

    private static String run(String name, String... more) throws Exception {
        List<String> args = new ArrayList<>(List.of("run", "-d", "--name", name, "--network", "none"));
        args.addAll(List.of(more));
        return ok(args.toArray(String[]::new)).out();
    }

    private static String lastStart(String ctr) throws Exception {
        JsonNode log = health(ctr).path("Log");
        return log.size() == 0 ? "" : log.get(log.size() - 1).path("Start").asText();
    }

    @Test
    public void aPassingCheckMakesItHealthyAndAFailingOneUnhealthyAfterItsRetries() throws Exception {
        String since = Long.toString(Instant.now().getEpochSecond() - 1);
        String good = run("hc-good", "--health-cmd", "echo all fine", "--health-interval", "1s", "busybox",
                "sleep", "300");
        String bad = run("hc-bad", "--health-cmd", "echo broken >&2; exit 3", "--health-interval", "1s",
                "--health-retries", "2", "busybox", "sleep", "300");
        String plain = run("hc-plain", "busybox", "sleep", "300");
        try {
            await("hc-good is healthy", () -> status(good).equals("healthy"));
            await("hc-bad is unhealthy", () -> status(bad).equals("unhealthy"));

            JsonNode ok = health(good);
            JsonNode entry = ok.path("Log").get(0);
            assertEquals(0, entry.path("ExitCode").asInt());
            assertEquals("all fine\n", entry.path("Output").asText());
            assertTrue("Start and End are times: " + entry, Instant.parse(entry.path("End").asText())
                    .compareTo(Instant.parse(entry.path("Start").asText())) >= 0);
            assertEquals(0, ok.path("FailingStreak").asInt());
            JsonNode sick = health(bad);
            assertTrue("the streak reached the retries: " + sick, sick.path("FailingStreak").asInt() >= 2);
            assertEquals(3, sick.path("Log").get(0).path("ExitCode").asInt());
            assertEquals("broken\n", sick.path("Log").get(0).path("Output").asText());
            assertEquals("[\"CMD-SHELL\",\"echo broken >&2; exit 3\"]",
                    ok("inspect", "-f", "{{json .Config.Healthcheck.Test}}", bad).out());
            await("the log keeps the last 5", () -> health(bad).path("Log").size() == 5);
            assertEquals("no Health without a healthcheck", "null",
                    ok("inspect", "-f", "{{json .State.Health}}", plain).out());

            String ps = ok("ps", "--format", "{{.Names}}|{{.Status}}").out();
            assertTrue(ps, ps.matches("(?s).*hc-good\\|Up [^\\n]*\\(healthy\\).*"));
            assertTrue(ps, ps.matches("(?s).*hc-bad\\|Up [^\\n]*\\(unhealthy\\).*"));
            assertTrue(ps, ps.matches("(?s).*hc-plain\\|Up [^(\\n]*(\\n.*)?"));
            assertEquals("hc-good", ok("ps", "--filter", "health=healthy", "--format", "{{.Names}}").out());
            assertEquals("hc-bad", ok("ps", "--filter", "health=unhealthy", "--format", "{{.Names}}").out());
            assertEquals("hc-plain", ok("ps", "--filter", "health=none", "--format", "{{.Names}}").out());
            Result wrong = jpod.docker("ps", "--filter", "health=sick");
            assertTrue(wrong.toString(), wrong.code() != 0 && wrong.err().contains("health"));
            // podman's ps adds the status libpod's list gives
            String pps = podman("ps", "--format", "{{.Names}}|{{.Status}}").out();
            assertTrue(pps, pps.contains("hc-good|Up ") && pps.matches("(?s).*hc-good\\|[^\\n]*\\(healthy\\).*"));
            assertEquals("hc-bad", podman("ps", "--filter", "health=unhealthy", "--format", "{{.Names}}").out());
            // libpod's inspect, as podman-remote reads it, and jpod's own ps
            assertEquals("healthy 0", podmanOk("inspect", "--format", "{{.State.Health.Status}} {{.State.Health.FailingStreak}}",
                    "hc-good").out());
            assertEquals("unhealthy", podmanOk("inspect", "--format", "{{.State.Health.Status}}", "hc-bad").out());
            assertEquals("broken\n", JSON.readTree(podmanOk("inspect", "--format", "{{json .State.Health.Log}}", "hc-bad")
                    .out()).get(0).path("Output").asText());
            String jps = jpodOk("ps", "--format", "{{.Names}}|{{.Status}}").out();
            assertTrue(jps, jps.matches("(?s).*hc-good\\|Up [^\\n]*\\(healthy\\).*"));
            assertTrue(jps, jps.matches("(?s).*hc-bad\\|Up [^\\n]*\\(unhealthy\\).*"));

            // Docker names the status in its action; podman has it as an attribute
            String events = ok("events", "--since", since, "--until", Long.toString(Instant.now().getEpochSecond()),
                    "--filter", "event=health_status", "--format", "{{.Action}} {{.Actor.Attributes.name}}").out();
            assertTrue(events, events.contains("health_status: healthy hc-good"));
            assertTrue(events, events.contains("health_status: unhealthy hc-bad"));
            String rfc = Instant.ofEpochSecond(Long.parseLong(since)).toString();
            String podmanEvents = podman("events", "--stream=false", "--since", rfc, "--filter",
                    "event=health_status").out();
            assertTrue(podmanEvents, podmanEvents.matches("(?s).*container health_status " + good
                    + " \\([^)]*name=hc-good[^)]*health_status=healthy.*"));
        } finally {
            ok("rm", "-f", good, bad, plain);
        }
    }

    @Test
    public void healthcheckRunAnswersAsPodmansDoes() throws Exception {
        String good = run("hc-run-good", "--health-cmd", "true", "busybox", "sleep", "300");
        String bad = run("hc-run-bad", "--health-cmd", "false", "busybox", "sleep", "300");
        String plain = run("hc-run-plain", "busybox", "sleep", "300");
        try {
            Result r = podman("healthcheck", "run", "hc-run-good");
            assertEquals(r.toString(), 0, r.code());
            assertEquals("", r.out());
            r = podman("healthcheck", "run", "hc-run-bad");
            assertEquals(r.toString(), 1, r.code());
            assertEquals("unhealthy", r.out());
            r = podman("healthcheck", "run", "hc-run-plain");
            assertEquals(r.toString(), 125, r.code());
            assertTrue(r.err(), r.err().contains("container " + plain + " has no defined healthcheck"));
            r = jpod.jpod("healthcheck", "run", "hc-run-bad");
            assertEquals(r.toString(), 1, r.code());
            assertEquals("unhealthy", r.out());
            assertEquals(0, jpod.jpod("healthcheck", "run", "hc-run-good").code());
            // a run on demand is recorded as the scheduled ones are
            assertEquals("healthy", status(good));
            assertTrue(health(bad).path("Log").size() >= 2);
            ok("stop", "-t", "0", good);
            r = podman("healthcheck", "run", "hc-run-good");
            assertEquals(r.toString(), 125, r.code());
            assertTrue(r.err(), r.err().contains("is not running"));
        } finally {
            ok("rm", "-f", good, bad, plain);
        }
    }

    @Test
    public void failuresInTheStartPeriodDoNotCountButASuccessEndsIt() throws Exception {
        // fails until /tmp/up exists; the start period (a minute) keeps it "starting" however often it fails
        String slow = run("hc-start", "--health-cmd", "test -e /tmp/up", "--health-interval", "1s",
                "--health-retries", "1", "--health-start-period", "60s", "busybox", "sleep", "300");
        try {
            await("two checks failed in the start period", () -> health(slow).path("Log").size() >= 2);
            JsonNode starting = health(slow);
            assertEquals(starting.toString(), "starting", starting.path("Status").asText());
            assertEquals(starting.toString(), 0, starting.path("FailingStreak").asInt());
            assertEquals(1, starting.path("Log").get(0).path("ExitCode").asInt());
            assertEquals(60_000_000_000L, JSON.readTree(ok("inspect", "-f", "{{json .Config.Healthcheck}}", slow).out())
                    .path("StartPeriod").asLong());
            ok("exec", slow, "touch", "/tmp/up");
            await("a passing check ends the start period", () -> status(slow).equals("healthy"));
        } finally {
            ok("rm", "-f", slow);
        }
    }

    @Test
    public void aCheckThatOutlivesItsTimeoutIsKilledAndFails() throws Exception {
        String slow = run("hc-slow", "--health-cmd", "sleep 120", "--health-interval", "1s", "--health-timeout",
                "1s", "--health-retries", "1", "busybox", "sleep", "300");
        try {
            await("hc-slow is unhealthy", () -> status(slow).equals("unhealthy"));
            JsonNode entry = health(slow).path("Log").get(0);
            assertEquals(-1, entry.path("ExitCode").asInt());
            assertEquals("Health check exceeded timeout (1s)", entry.path("Output").asText());
            await("the timed out checks' processes were killed", () -> !ok("exec", slow, "ps").out()
                    .contains("sleep 120"));
        } finally {
            ok("rm", "-f", slow);
        }
    }

    @Test
    public void anImagesHealthcheckAppliesUnlessTurnedOff() throws Exception {
        String change = "HEALTHCHECK --interval=1s --retries=2 CMD [\"test\", \"-d\", \"/bin\"]";
        Result imported = jpod.run(List.of("curl", "-sS", "--unix-socket", jpod.socket.toString(), "-X", "POST",
                "--data-binary", "@" + jpod.home.resolve("etc/busybox.tar"),
                "http://d/v4.3.1/libpod/images/import?reference=hc-image&changes="
                        + URLEncoder.encode(change, StandardCharsets.UTF_8) + "&changes=CMD%20%5B%22sh%22%5D"), 60);
        assertTrue("import: " + imported, imported.out().contains("\"Id\""));
        assertEquals("{\"Test\":[\"CMD\",\"test\",\"-d\",\"/bin\"],\"Interval\":1000000000,\"Retries\":2}",
                ok("image", "inspect", "-f", "{{json .Config.Healthcheck}}", "hc-image").out());
        String inherits = run("hc-inherits", "hc-image", "sleep", "300");
        String off = podman("run", "-d", "--name", "hc-off", "--network", "none", "--no-healthcheck", "hc-image",
                "sleep", "300").out();
        try {
            await("the image's check makes it healthy", () -> status(inherits).equals("healthy"));
            assertEquals("[\"NONE\"]", ok("inspect", "-f", "{{json .Config.Healthcheck.Test}}", off).out());
            assertEquals("null", ok("inspect", "-f", "{{json .State.Health}}", off).out());
            assertEquals("hc-off", ok("ps", "--filter", "health=none", "--format", "{{.Names}}").out());
            Result r = podman("healthcheck", "run", "hc-off");
            assertEquals(r.toString(), 125, r.code());
        } finally {
            ok("rm", "-f", inherits, off);
            ok("rmi", "hc-image");
        }
    }

    /** The service's threads that run healthchecks (Linux shows a thread's name cut to 15 characters). */
    private static long checkThreads() throws Exception {
        try (var tasks = java.nio.file.Files.list(java.nio.file.Path.of("/proc", Long.toString(jpod.pid()), "task"))) {
            return tasks.filter(t -> {
                try {
                    return java.nio.file.Files.readString(t.resolve("comm")).startsWith("jpod-healthchec");
                } catch (java.io.IOException gone) {
                    return false;
                }
            }).count();
        }
    }

    @Test
    public void healthOnFailureActsOnAnUnhealthyContainer() throws Exception {
        String killed = podman("run", "-d", "--name", "hc-kill", "--network", "none", "--health-cmd", "false",
                "--health-interval", "1s", "--health-retries", "1", "--health-on-failure", "kill", "busybox", "sleep",
                "300").out();
        String stopped = podman("run", "-d", "--name", "hc-stop", "--network", "none", "--health-cmd", "false",
                "--health-interval", "1s", "--health-retries", "1", "--health-on-failure", "stop",
                "--stop-timeout", "1", "busybox", "sleep", "300").out();
        try {
            assertEquals("kill", podman("inspect", "-f", "{{.Config.HealthcheckOnFailureAction}}", killed).out());
            await("the unhealthy container is killed", () -> ok("inspect", "-f", "{{.State.Status}}", killed).out()
                    .equals("exited"));
            assertEquals("137", ok("inspect", "-f", "{{.State.ExitCode}}", killed).out());
            await("the unhealthy container is stopped", () -> ok("inspect", "-f", "{{.State.Status}}", stopped)
                    .out().equals("exited"));
            Result wrong = jpod.jpod("create", "--health-cmd", "true", "--health-on-failure", "explode", "busybox");
            assertEquals(wrong.toString(), 125, wrong.code());
            assertTrue(wrong.err(), wrong.err().contains("supported actions are none, kill, restart, stop"));
        } finally {
            ok("rm", "-f", killed, stopped);
        }
    }

    @Test
    public void aRestartOfTheServiceKeepsTheHealthAndTheChecksGoOnUntilTheContainerStops() throws Exception {
        String good = run("hc-restart", "--health-cmd", "true", "--health-interval", "1s", "busybox", "sleep", "300");
        String bad = run("hc-restart-bad", "--health-cmd", "exit 1", "--health-interval", "1s", "--health-retries",
                "1", "busybox", "sleep", "300");
        try {
            await("hc-restart is healthy", () -> status(good).equals("healthy"));
            await("hc-restart-bad is unhealthy", () -> status(bad).equals("unhealthy"));
            jpod.stopService();
            Instant back = Instant.now();
            jpod.startService();
            assertEquals("the health as it was before the restart", "healthy", status(good));
            assertEquals("unhealthy", status(bad));
            await("checks go on after the restart", () -> Instant.parse(lastStart(good)).isAfter(back));
            assertEquals("healthy", status(good));

            // a reload assembles the engine again: the checks resume, and the old engine's threads are gone
            Instant reloaded = Instant.now();
            jpod.hangup();
            await("checks go on after a reload", () -> jpod.docker("inspect", good).code() == 0
                    && Instant.parse(lastStart(good)).isAfter(reloaded));
            assertTrue("one timer and at most four runners: " + checkThreads(), checkThreads() <= 5);

            ok("stop", "-t", "0", good);
            String last = lastStart(good);
            // the interval is 1s: a check after the stop would have run in 3
            Thread.sleep(3_000);
            assertEquals("no check after the stop", last, lastStart(good));
            // Docker marks a stopped container unhealthy
            assertEquals("unhealthy", status(good));
            ok("start", good);
            await("a new start checks again", () -> status(good).equals("healthy")
                    && Instant.parse(lastStart(good)).isAfter(Instant.parse(last)));
            ok("pause", bad);
            String paused = lastStart(bad);
            Thread.sleep(3_000);
            assertEquals("no check while paused", paused, lastStart(bad));
            ok("unpause", bad);
            await("checks go on after the unpause", () -> !lastStart(bad).equals(paused));
        } finally {
            ok("rm", "-f", good, bad);
        }
        assertFalse("the health logs go with the containers", java.nio.file.Files.exists(jpod.dir.resolve("run")
                .resolve("healthcheck").resolve(good)));
    }
}
