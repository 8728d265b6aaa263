package io.jpod.clients;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.jpod.clients.JpodService.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Predicate;
import org.junit.After;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * A provider selection changed while the service runs: through ConfigAdmin (a .cfg file dropped into
 * the distribution's deploy/), or by editing jpod.conf and asking for a reload (SIGHUP, or
 * {@code jpod system reload}). The engine is assembled again with the new names; running containers
 * keep running and keep the OCI runtime they were created with until {@code jpod system migrate
 * --new-runtime} moves them.
 */
public class RuntimeSelectionIT extends ClientTestSupport {
    private static final String SECOND_RUNTIME = "runc-b";
    /** Stops at once on SIGTERM, so that migrate's stop does not wait for the kill timeout. */
    private static final String[] SERVER = {"busybox", "sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"};

    /** Shadows ClientTestSupport's: the service gets a second name for runc. */
    @BeforeClass
    public static void startService() throws Exception {
        jpod = new JpodService("""
                [engine.runtimes]
                %s = ["%s"]
                """.formatted(SECOND_RUNTIME, runc()));
    }

    private static String runc() {
        for (String p : new String[] {"/usr/sbin/runc", "/usr/bin/runc", "/usr/local/bin/runc", "/usr/local/sbin/runc"}) {
            if (Files.isExecutable(Path.of(p))) {
                return p;
            }
        }
        throw new AssertionError("no runc binary");
    }

    private static Path runtimeCfg() {
        return jpod.home.resolve("deploy/io.jpod.runtime.cfg");
    }

    @After
    public void restoreConfiguration() throws Exception {
        if (Files.deleteIfExists(runtimeCfg())) {
            awaitInfo("the configuration file removed again", s -> s.contains("\"name\": \"runc\""));
        }
        for (String c : ok("ps", "-aq").out().split("\\s+")) {
            if (!c.isBlank()) {
                ok("rm", "-f", c);
            }
        }
    }

    private static Result cli(String... args) throws Exception {
        return jpod.jpod(args);
    }

    private static String info() throws Exception {
        Result r = cli("info", "--format", "json");
        return r.code() == 0 ? r.out() : "";
    }

    /** Waits for the service's info to show a reassembled engine. */
    private static String awaitInfo(String what, Predicate<String> ready) throws Exception {
        long end = System.currentTimeMillis() + 60_000;
        String last = "";
        while (System.currentTimeMillis() < end) {
            last = info();
            if (ready.test(last)) {
                return last;
            }
            Thread.sleep(250);
        }
        throw new AssertionError(what + ": the engine was not assembled again; last info: " + last);
    }

    private static String inspect(String format, String ctr) throws Exception {
        return ok("inspect", "-f", format, ctr).out();
    }

    @Test
    public void aRuntimeChosenThroughConfigAdminIsUsedForNewContainersAndMigrateMovesTheOldOnes() throws Exception {
        assertEquals("runc", ok("info", "-f", "{{.DefaultRuntime}}").out());
        String old = ok(concat("run", "-d", "--network", "none", SERVER)).out();
        assertEquals("runc", inspect("{{.HostConfig.Runtime}}", old));
        String pid = inspect("{{.State.Pid}}", old);

        Files.writeString(runtimeCfg(), "engine.runtime = " + SECOND_RUNTIME + "\n");
        awaitInfo("engine.runtime in deploy/io.jpod.runtime.cfg", s -> s.contains("\"name\": \"" + SECOND_RUNTIME + "\""));
        assertEquals(SECOND_RUNTIME, ok("info", "-f", "{{.DefaultRuntime}}").out());
        assertEquals("the old container runs on, on its own runtime", "running " + pid + " runc",
                inspect("{{.State.Status}} {{.State.Pid}} {{.HostConfig.Runtime}}", old));
        String fresh = ok(concat("run", "-d", "--network", "none", SERVER)).out();
        assertEquals(SECOND_RUNTIME, inspect("{{.HostConfig.Runtime}}", fresh));
        assertEquals("hi", ok("exec", old, "echo", "hi").out());

        Result unknown = cli("system", "migrate", "--new-runtime", "nosuch");
        assertEquals(unknown.toString(), 125, unknown.code());
        assertTrue(unknown.err(), unknown.err().startsWith("Error: ") && unknown.err().contains("\"nosuch\"")
                && unknown.err().contains(SECOND_RUNTIME));
        assertEquals("nothing changed by a refused migrate", "running runc",
                inspect("{{.State.Status}} {{.HostConfig.Runtime}}", old));

        Result migrated = cli("system", "migrate", "--new-runtime", SECOND_RUNTIME);
        assertEquals(migrated.toString(), 0, migrated.code());
        // as podman's: every running container is stopped, every container gets the new runtime
        assertEquals("exited " + SECOND_RUNTIME, inspect("{{.State.Status}} {{.HostConfig.Runtime}}", old));
        assertEquals("exited", inspect("{{.State.Status}}", fresh));
        ok("start", old);
        assertEquals("running", inspect("{{.State.Status}}", old));
        assertEquals("hi", ok("exec", old, "echo", "hi").out());
    }

    @Test
    public void anEditedJpodConfIsAppliedOnSighupAndOnReload() throws Exception {
        Path conf = jpod.dir.resolve("jpod.conf");
        String original = Files.readString(conf);
        String ctr = ok(concat("run", "-d", "--network", "none", SERVER)).out();
        String pid = inspect("{{.State.Pid}}", ctr);
        try {
            Files.writeString(conf, original.replace("[engine]\n", "[engine]\nevents_logger = \"none\"\nlock_type = \"file\"\n"));
            jpod.hangup();
            String s = awaitInfo("events_logger and lock_type in jpod.conf, then SIGHUP",
                    i -> i.contains("\"eventLogger\": \"none\"") && i.contains("\"lockType\": \"file\""));
            assertTrue(s, s.contains("\"name\": \"runc\""));
            assertEquals("running " + pid, inspect("{{.State.Status}} {{.State.Pid}}", ctr));
            String since = ok("info", "-f", "{{.SystemTime}}").out();
            ok("stop", "-t", "5", ctr);
            // a container made after the lock type changed gets a lock of its own and a life of its own
            String next = ok("run", "--rm", "--network", "none", "busybox", "echo", "next").out();
            assertEquals("next", next);

            // a broken file is refused by a reload, and the engine in force stays
            Files.writeString(conf, original + "\n[engine\n");
            Result broken = cli("system", "reload");
            assertEquals(broken.toString(), 125, broken.code());
            assertTrue(broken.err(), broken.err().contains(conf.toString()) && broken.err().contains("unchanged"));
            assertTrue(info().contains("\"eventLogger\": \"none\""));

            Files.writeString(conf, original);
            Result reloaded = cli("system", "reload");
            assertEquals(reloaded.toString(), 0, reloaded.code());
            assertTrue(reloaded.out(), reloaded.out().startsWith("engine assembled:") && reloaded.out().contains("events=file")
                    && reloaded.out().contains("locks=shm"));
            ok("start", ctr);
            String until = ok("info", "-f", "{{.SystemTime}}").out();
            String events = ok("events", "--since", since, "--until", until, "--filter", "container=" + ctr,
                    "--format", "{{.Status}}").out();
            assertTrue("the start after the reload is recorded: " + events, events.contains("start"));
            assertTrue("the stop happened while the events logger was none: " + events, !events.contains("stop")
                    && !events.contains("died"));
        } finally {
            Files.writeString(conf, original);
        }
    }

    @Test
    public void aRuntimeAddedToJpodConfIsRegisteredAndSelectedByAReload() throws Exception {
        Path conf = jpod.dir.resolve("jpod.conf");
        String original = Files.readString(conf);
        try {
            // [engine.runtimes] is the file's last table: the new entry joins it
            Files.writeString(conf, original.replace("[engine]\n", "[engine]\nruntime = \"runc-c\"\n")
                    + "runc-c = [\"" + runc() + "\"]\n");
            Result reloaded = cli("system", "reload");
            assertEquals(reloaded.toString(), 0, reloaded.code());
            assertTrue(reloaded.out(), reloaded.out().contains("oci-runtime=runc-c"));
            String c = ok("run", "-d", "--network", "none", "busybox", "sleep", "30").out();
            assertEquals("runc-c", inspect("{{.HostConfig.Runtime}}", c));

            // the entry removed again: a reload back to runc assembles, and the name is withdrawn
            ok("rm", "-f", c);
            Files.writeString(conf, original);
            Result back = cli("system", "reload");
            assertEquals(back.toString(), 0, back.code());
            assertTrue(back.out(), back.out().contains("oci-runtime=runc "));
            // the conmon bundle sees the file change within seconds
            long end = System.currentTimeMillis() + 30_000;
            Result refused;
            while (true) {
                refused = jpod.docker("create", "--runtime", "runc-c", "--network", "none", "busybox", "true");
                if (refused.code() != 0 || System.currentTimeMillis() > end) {
                    break;
                }
                ok("rm", refused.out());
                Thread.sleep(500);
            }
            assertEquals("docker create's exit for a daemon error: " + refused, 1, refused.code());
            assertTrue(refused.err(), refused.err().contains("\"runc-c\" is not available"));
        } finally {
            Files.writeString(conf, original);
        }
    }

    @Test
    public void waitsInFlightGoOnWhenTheEngineIsAssembledAgain() throws Exception {
        String ctr = ok("run", "-d", "--network", "none", "busybox", "sh", "-c", "sleep 8; exit 3").out();
        java.util.concurrent.CompletableFuture<Result> docker = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> call(() -> jpod.docker("wait", ctr)));
        java.util.concurrent.CompletableFuture<Result> cli = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> call(() -> cli("wait", ctr)));
        Thread.sleep(2000);
        Files.writeString(runtimeCfg(), "engine.events_logger = none\n");
        awaitInfo("events_logger in deploy/io.jpod.runtime.cfg", s -> s.contains("\"eventLogger\": \"none\""));
        Result d = docker.get(60, java.util.concurrent.TimeUnit.SECONDS);
        assertEquals("docker wait across the reassembly: " + d, "3", d.out());
        Result c = cli.get(60, java.util.concurrent.TimeUnit.SECONDS);
        assertEquals("jpod wait across the reassembly: " + c, "3", c.out());
    }

    private interface Call {
        Result run() throws Exception;
    }

    private static Result call(Call c) {
        try {
            return c.run();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String[] concat(String a, String b, String c, String d, String[] rest) {
        String[] all = new String[4 + rest.length];
        all[0] = a;
        all[1] = b;
        all[2] = c;
        all[3] = d;
        System.arraycopy(rest, 0, all, 4, rest.length);
        return all;
    }
}
