package io.jpod.clients;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import io.jpod.clients.JpodService.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.After;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * {@code jpod system migrate --new-state}: a real service on mapdb (the default of earlier releases, kept when
 * jpod.conf names no backend) with containers, one of them running, moves its state to sqlite; the engine is
 * assembled again on sqlite with the same containers, the running one still running and stoppable, and it stays
 * on sqlite after a restart, as jpod.conf now says.
 */
public class StateMigrationIT extends ClientTestSupport {
    private static final String NAMES_MAPDB = "database_backend = \"mapdb\"\n";

    /** Shadows ClientTestSupport's: the service starts on mapdb, as an install of an earlier release ran. */
    @BeforeClass
    public static void startService() throws Exception {
        jpod = new JpodService("", Map.of(), s -> {
            Path conf = s.dir.resolve("jpod.conf");
            Files.writeString(conf, Files.readString(conf).replace("[engine]\n", "[engine]\n" + NAMES_MAPDB));
        });
    }

    private static Result cli(String... args) throws Exception {
        return jpod.jpod(args);
    }

    private static String info(String path) throws Exception {
        return jpod.curl("GET", "/v4.3.1/libpod/info").out().replaceAll("\\s", "").replaceFirst(".*\"" + path
                + "\":\"([^\"]*)\".*", "$1");
    }

    private static Set<String> psAll() throws Exception {
        return ok("ps", "-a", "--no-trunc", "--format", "{{.ID}} {{.Names}} {{.Image}}").out().lines()
                .collect(Collectors.toSet());
    }

    /** A test that failed midway leaves its pod: its infra container goes only with it. */
    @After
    public void removePod() throws Exception {
        cli("pod", "rm", "-f", "mig-pod");
    }

    @Test
    public void mapdbStateMovesToSqliteWithItsRunningContainer() throws Exception {
        Path engine = jpod.dir.resolve("engine");
        assertEquals("mapdb", info("databaseBackend"));
        String runner = ok("run", "-d", "--name", "runner", "--network", "none", "-v", "data:/data", "busybox",
                "sleep", "300").out();
        String pid = ok("inspect", "-f", "{{.State.Pid}}", runner).out();
        ok("create", "--name", "created", "--network", "none", "busybox", "true");
        Result exited = jpod.docker("run", "--name", "exited", "--network", "none", "busybox", "sh", "-c", "exit 3");
        assertEquals(exited.toString(), 3, exited.code());
        ok("volume", "create", "spare");
        Result pod = cli("pod", "create", "--name", "mig-pod", "--network", "none");
        assertEquals(pod.toString(), 0, pod.code());
        Result member = cli("run", "-d", "--pod", "mig-pod", "--name", "in-pod", "busybox", "sleep", "300");
        assertEquals(member.toString(), 0, member.code());
        String memberPid = ok("inspect", "-f", "{{.State.Pid}}", "in-pod").out();
        ok("network", "create", "migration-net");
        Set<String> before = psAll();
        assertEquals("runner, created, exited, the pod's infra container and its member: " + before, 5, before.size());

        // the upgrade: jpod.conf names no backend, and the mapdb state there is kept
        Path conf = jpod.dir.resolve("jpod.conf");
        jpod.stopService();
        Files.writeString(conf, Files.readString(conf).replace(NAMES_MAPDB, ""));
        jpod.startService();
        assertEquals("an earlier release's mapdb state is kept", "mapdb", info("databaseBackend"));
        assertEquals(before, psAll());
        assertEquals("running " + pid, ok("inspect", "-f", "{{.State.Status}} {{.State.Pid}}", runner).out());

        Result same = cli("system", "migrate", "--new-state", "mapdb");
        assertNotEquals(same.toString(), 0, same.code());
        assertTrue(same.err(), same.err().contains("the state is already kept by \"mapdb\""));
        Result unknown = cli("system", "migrate", "--new-state", "bolt");
        assertNotEquals(unknown.toString(), 0, unknown.code());
        assertTrue(unknown.err(), unknown.err().contains("state provider \"bolt\" is not installed; installed: mapdb, memory, sqlite"));
        Result both = cli("system", "migrate", "--new-state", "sqlite", "--new-runtime", "runc");
        assertNotEquals(both.toString(), 0, both.code());
        assertTrue(both.err(), both.err().contains("cannot be given together"));
        assertEquals("refusals leave the engine on mapdb", "mapdb", info("databaseBackend"));

        Result moved = cli("system", "migrate", "--new-state", "sqlite");
        assertEquals(moved.toString(), 0, moved.code());
        assertEquals("moved the state from mapdb to sqlite: 5 containers, 1 pods, 2 volumes, 1 exit codes; "
                + jpod.dir.resolve("jpod.conf").toRealPath() + " names sqlite now", moved.out());
        assertEquals("sqlite", info("databaseBackend"));
        assertTrue(Files.readString(jpod.dir.resolve("jpod.conf")).contains("database_backend = \"sqlite\""));
        assertTrue(Files.exists(engine.resolve("jpod.sqlite")));
        assertTrue("the old store is kept", Files.exists(engine.resolve("jpod.db")));

        assertEquals(before, psAll());
        assertEquals("running " + pid, ok("inspect", "-f", "{{.State.Status}} {{.State.Pid}}", runner).out());
        assertEquals("exited 3", ok("inspect", "-f", "{{.State.Status}} {{.State.ExitCode}}", "exited").out());
        assertEquals("created", ok("inspect", "-f", "{{.State.Status}}", "created").out());
        assertEquals("running " + memberPid, ok("inspect", "-f", "{{.State.Status}} {{.State.Pid}}", "in-pod").out());
        Result podExists = cli("pod", "exists", "mig-pod");
        assertEquals(podExists.toString(), 0, podExists.code());
        Set<String> volumes = Set.copyOf(ok("volume", "ls", "-q").out().lines().toList());
        assertEquals(Set.of("data", "spare"), volumes);
        assertTrue(ok("network", "ls", "--format", "{{.Name}}").out().lines().toList().contains("migration-net"));
        Result inUse = jpod.docker("volume", "rm", "data");
        assertNotEquals("the copy knows which container mounts a volume: " + inUse, 0, inUse.code());

        ok("stop", "-t", "1", runner);
        assertEquals("exited", ok("inspect", "-f", "{{.State.Status}}", runner).out());
        assertFalse("the container's process is gone", Files.exists(Path.of("/proc", pid)));
        ok("start", runner);
        assertEquals("running", ok("inspect", "-f", "{{.State.Status}}", runner).out());

        // back to mapdb is refused: its store still holds the records it had
        Result back = cli("system", "migrate", "--new-state", "mapdb");
        assertNotEquals(back.toString(), 0, back.code());
        assertTrue(back.err(), back.err().contains("the state \"mapdb\" already holds 5 containers, 1 pods and 2 volumes"));
        assertEquals("sqlite", info("databaseBackend"));

        jpod.stopService();
        jpod.startService();
        assertEquals("sqlite", info("databaseBackend"));
        assertEquals(before, psAll());
        assertEquals("running", ok("inspect", "-f", "{{.State.Status}}", runner).out());
        assertEquals("running", ok("inspect", "-f", "{{.State.Status}}", "in-pod").out());
        Result podRm = cli("pod", "rm", "-f", "mig-pod");
        assertEquals(podRm.toString(), 0, podRm.code());
        ok("rm", "-f", "runner", "created", "exited");
        ok("volume", "rm", "data", "spare");
        ok("network", "rm", "migration-net");
        assertEquals(List.of(), List.copyOf(psAll()));
    }
}
