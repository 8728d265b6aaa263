package io.jpod.clients;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.jpod.clients.JpodService.Result;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.Test;

/**
 * conmon keeps containers running while the service is gone: killed with SIGKILL or stopped. When it
 * comes back, running containers are still running with their state, and a container that exited
 * meanwhile has its exit code recorded and its resources released. After a reboot (the per-boot dir
 * emptied, processes and mounts gone) the refresh leaves every container in a state it starts from.
 */
public class ServiceRestartIT extends ClientTestSupport {

    /** Three containers that keep running and two that exit with 3 and 9 while nobody serves. */
    private void survives(boolean crash) throws Exception {
        Path go = Files.createDirectories(jpod.dir.resolve("go-" + crash));
        List<String> runners = new ArrayList<>();
        Map<String, String> pids = new LinkedHashMap<>();
        for (int i = 0; i < 3; i++) {
            String id = ok("run", "-d", "--network", "none", "busybox", "sleep", "300").out();
            runners.add(id);
            pids.put(id, ok("inspect", "-f", "{{.State.Pid}}", id).out());
        }
        Map<String, Integer> quitters = new LinkedHashMap<>();
        for (int code : new int[] {3, 9}) {
            // they exit only once the service is gone: when the test makes go/<code>
            String id = ok("run", "-d", "--network", "none", "-v", go + ":/go", "busybox", "sh", "-c",
                    "until [ -e /go/" + code + " ]; do sleep 0.1; done; exit " + code).out();
            quitters.put(id, code);
        }
        List<String> all = new ArrayList<>(runners);
        all.addAll(quitters.keySet());
        List<String> theirs = new ArrayList<>(all);
        for (String id : all) {
            String merged = ok("inspect", "-f", "{{.GraphDriver.Data.MergedDir}}", id).out();
            assertTrue("container " + id + " has its root filesystem mounted: " + merged, merged.startsWith("/"));
            theirs.add(Path.of(merged).getParent().toString());
        }
        assertEquals("the containers' mounts while they run", all.size(), mountsOf(theirs).size());
        long down = System.currentTimeMillis() / 1000;
        if (crash) {
            jpod.crash();
        } else {
            jpod.stopService();
        }
        for (Map.Entry<String, Integer> q : quitters.entrySet()) {
            Files.createFile(go.resolve(Integer.toString(q.getValue())));
        }
        // conmon writes the exit file and runs its exit command, then it is gone
        await("the quitters' conmon processes end", () -> quitters.keySet().stream()
                .allMatch(id -> processesOf(List.of(id)).isEmpty()));
        for (String pid : pids.values()) {
            assertTrue("the container's process " + pid + " outlives the service", Files.exists(Path.of("/proc", pid)));
        }
        jpod.startService();

        for (String id : runners) {
            assertEquals("running " + pids.get(id), ok("inspect", "-f", "{{.State.Status}} {{.State.Pid}}", id).out());
        }
        for (Map.Entry<String, Integer> q : quitters.entrySet()) {
            assertEquals("exited " + q.getValue(), ok("inspect", "-f", "{{.State.Status}} {{.State.ExitCode}}",
                    q.getKey()).out());
            assertEquals(Integer.toString(q.getValue()), ok("wait", q.getKey()).out());
            assertEquals(q.getValue().toString(), jpod.jpod("wait", q.getKey()).out());
        }
        assertEquals("a restart within one boot is no refresh", 0, refreshEventsSince(down));
        ok("stop", "-t", "1", runners.get(0));
        assertEquals("exited", ok("inspect", "-f", "{{.State.Status}}", runners.get(0)).out());
        ok("rm", runners.get(0));
        ok("rm", "-f", runners.get(1), runners.get(2));
        List<String> rm = new ArrayList<>(List.of("rm"));
        rm.addAll(quitters.keySet());
        ok(rm.toArray(String[]::new));
        assertNothingLeft(all, theirs);
    }

    @Test
    public void aContainerThatExitsWhileTheServiceIsDownHasItsNetworkTornDownByConmonsExitCommand() throws Exception {
        List<String> before = hostNetworking();
        before.remove("link jpod0");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String quitter = ok("run", "-d", "-p", "127.0.0.1:" + port + ":80", "busybox", "sh", "-c", "sleep 4; exit 5")
                .out();
        Path ns = Path.of(ok("inspect", "-f", "{{.NetworkSettings.SandboxKey}}", quitter).out());
        assertTrue("its network namespace " + ns, Files.exists(ns));
        List<String> during = hostNetworking();
        assertTrue("a veth and the port's DNAT while it runs: " + during, during.stream().anyMatch(l -> l.startsWith(
                "link veth")) && during.stream().anyMatch(l -> l.contains("--dports " + port)));
        jpod.crash();
        List<String> now = null;
        long end = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < end) {
            now = hostNetworking();
            now.remove("link jpod0");
            if (now.equals(before) && !Files.exists(ns)) {
                break;
            }
            Thread.sleep(500);
        }
        assertEquals("the network of the container, gone with the service down", before, now);
        assertTrue("the namespace file is removed", !Files.exists(ns));
        jpod.startService();
        assertEquals("exited 5", ok("inspect", "-f", "{{.State.Status}} {{.State.ExitCode}}", quitter).out());
        ok("rm", quitter);
        List<String> after = hostNetworking();
        after.remove("link jpod0");
        assertEquals(before, after);
    }

    @Test
    public void containersOutliveAKilledService() throws Exception {
        survives(true);
    }

    @Test
    public void containersOutliveAStoppedService() throws Exception {
        survives(false);
    }

    /**
     * As libpod's refresh after a reboot: a running, an exited and a created container, the host
     * "rebooted" under them (their processes killed, their mounts gone, the per-boot dir and the lock
     * segment emptied). The service refreshes once, and each container then starts and really runs.
     */
    @Test
    public void afterARebootEveryContainerStartsAgain() throws Exception {
        String running = ok("run", "-d", "--network", "none", "busybox", "sh", "-c", "echo again; sleep 300").out();
        String exited = ok("run", "-d", "--network", "none", "busybox", "sh", "-c", "echo again; exit 4").out();
        assertEquals("4", ok("wait", exited).out());
        // created as docker and podman create: configured, initialised only when it starts
        String created = ok("create", "--network", "none", "busybox", "sh", "-c", "echo again").out();
        assertEquals("created", ok("inspect", "-f", "{{.State.Status}}", created).out());
        List<String> all = List.of(running, exited, created);
        List<String> theirs = new ArrayList<>(all);
        theirs.add(Path.of(ok("inspect", "-f", "{{.GraphDriver.Data.MergedDir}}", running).out()).getParent()
                .toString());
        await("the running container logged", () -> logs(running).equals("again"));
        List<String> pids = List.of(ok("inspect", "-f", "{{.State.Pid}}", running).out());
        assertEquals("the running container's root filesystem is mounted", 1, mountsOf(theirs).size());
        rebootService(all, pids);
        for (String id : all) {
            Result st = jpod.jpod("inspect", "-f", "{{.State.Status}} {{.State.Pid}} {{.State.ConmonPid}}", id);
            assertEquals("inspect: " + st, 0, st.code());
            assertTrue(id + " is in a state it starts from, with no process: " + st.out(),
                    st.out().matches("(configured|created|exited|stopped) 0 0"));
        }
        assertEquals("the exit code of the exited container is kept", "4",
                ok("inspect", "-f", "{{.State.ExitCode}}", exited).out());

        for (String id : all) {
            Result r = jpod.jpod("start", id);
            assertEquals("jpod start " + id + " after the reboot: " + r, 0, r.code());
        }
        String pid = ok("inspect", "-f", "{{.State.Status}} {{.State.Pid}}", running).out();
        assertTrue("running again: " + pid, pid.matches("running [1-9]\\d*")
                && Files.exists(Path.of("/proc", pid.split(" ")[1])));
        assertEquals("4", ok("wait", exited).out());
        assertEquals("0", ok("wait", created).out());
        await("the running container logged again", () -> logs(running).equals("again\nagain"));
        assertEquals("again\nagain", logs(exited));
        assertEquals("again", logs(created));

        ok("rm", "-f", running, exited, created);
        assertNothingLeft(all, theirs);
    }

    /**
     * A pod after a reboot, as podman's refresh leaves it: its infra container and members stopped with no
     * process, and {@code pod start} brings it back whole: infra first, its network shared again.
     */
    @Test
    public void afterARebootAPodStartsAgainWithItsContainers() throws Exception {
        Result created = jpod.jpod("pod", "create", "--name", "rebooted");
        assertEquals("jpod pod create: " + created, 0, created.code());
        Result srv = jpod.jpod("run", "-d", "--pod", "rebooted", "--name", "rebooted-srv", "busybox", "sh", "-c",
                "while true; do echo after-reboot | nc -l -p 8080; done");
        assertEquals("jpod run --pod: " + srv, 0, srv.code());
        String infra = jpod.jpod("pod", "inspect", "rebooted", "--format", "{{.InfraContainerID}}").out();
        assertTrue("the pod's infra container: " + infra, infra.matches("[0-9a-f]{64}"));
        String srvId = ok("inspect", "-f", "{{.Id}}", "rebooted-srv").out();
        List<String> all = List.of(infra, srvId);
        List<String> pids = new ArrayList<>();
        for (String id : all) {
            pids.add(ok("inspect", "-f", "{{.State.Pid}}", id).out());
        }
        List<String> theirs = new ArrayList<>(all);
        theirs.add(Path.of(ok("inspect", "-f", "{{.GraphDriver.Data.MergedDir}}", srvId).out()).getParent()
                .toString());
        rebootService(all, pids);
        for (String id : all) {
            String st = ok("inspect", "-f", "{{.State.Status}} {{.State.Pid}}", id).out();
            assertTrue(id + " is in a state it starts from, with no process: " + st,
                    st.matches("(configured|created|exited|stopped) 0"));
        }
        String state = jpod.jpod("pod", "inspect", "rebooted", "--format", "{{.State}}").out();
        assertTrue("the pod is not running after the reboot: " + state, !state.equals("Running"));

        Result start = jpod.jpod("pod", "start", "rebooted");
        assertEquals("jpod pod start after the reboot: " + start, 0, start.code());
        assertEquals("Running", jpod.jpod("pod", "inspect", "rebooted", "--format", "{{.State}}").out());
        // the server's loop may not listen yet: ask until it answers
        await("a member of the pod reaches the server over the pod's loopback", () -> {
            try {
                return jpod.jpod("run", "--rm", "--pod", "rebooted", "busybox", "sh", "-c",
                        "nc 127.0.0.1 8080 </dev/null").out().equals("after-reboot");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });

        Result rm = jpod.jpod("pod", "rm", "-f", "rebooted");
        assertEquals("jpod pod rm -f: " + rm, 0, rm.code());
        assertNothingLeft(all, theirs);
    }

    /** The service stopped, the host "rebooted" under {@code ids}, the service started: it refreshes once. */
    private static void rebootService(List<String> ids, List<String> containerPids) throws Exception {
        long down = System.currentTimeMillis() / 1000;
        jpod.stopService();
        reboot(ids, containerPids);
        jpod.startService();
        assertEquals("one refresh for the new boot", 1, refreshEventsSince(down));
    }

    /** What a reboot does to the containers of a stopped service: their processes, mounts and per-boot files go. */
    private static void reboot(List<String> ids, List<String> containerPids) throws Exception {
        // conmon first, with SIGKILL: it neither records an exit nor runs its exit command
        List<Long> conmons = processesOf(ids);
        assertTrue("the running container has its conmon", !conmons.isEmpty());
        for (long pid : conmons) {
            kill(pid);
        }
        for (String pid : containerPids) {
            kill(Long.parseLong(pid));
        }
        await("the containers' processes end", () -> processesOf(ids).isEmpty()
                && containerPids.stream().noneMatch(p -> Files.exists(Path.of("/proc", p))));
        List<String> points = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            String point = line.split(" ")[4];
            if (point.startsWith(jpod.dir + "/")) {
                points.add(point);
            }
        }
        points.sort(Comparator.reverseOrder());
        for (String point : points) {
            Result r = jpod.run(List.of("umount", point), 30);
            assertEquals("umount " + point + ": " + r, 0, r.code());
        }
        Path run = jpod.dir.resolve("run");
        try (Stream<Path> s = Files.walk(run)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).filter(p -> !p.equals(run)).toList()) {
                Files.delete(p);
            }
        }
        byte[] h = MessageDigest.getInstance("SHA-256").digest(run.toString().getBytes(StandardCharsets.UTF_8));
        Files.deleteIfExists(Path.of("/dev/shm", "jpod_locks_" + HexFormat.of().formatHex(h, 0, 6)));
    }

    private static void kill(long pid) throws Exception {
        Result r = jpod.run(List.of("kill", "-9", Long.toString(pid)), 10);
        assertTrue("kill -9 " + pid + ": " + r, r.code() == 0 || !Files.exists(Path.of("/proc", Long.toString(pid))));
    }

    /** After removal: no process (conmon or other) names the containers, no mount is theirs. */
    private static void assertNothingLeft(List<String> ids, List<String> theirs) throws Exception {
        long end = System.currentTimeMillis() + DEADLINE_MS;
        List<Long> procs = processesOf(ids);
        List<String> mounts = mountsOf(theirs);
        while ((!procs.isEmpty() || !mounts.isEmpty()) && System.currentTimeMillis() < end) {
            Thread.sleep(200);
            procs = processesOf(ids);
            mounts = mountsOf(theirs);
        }
        List<String> cmdlines = new ArrayList<>();
        for (long pid : procs) {
            cmdlines.add(pid + ": " + cmdline(pid));
        }
        assertEquals("processes left for the removed containers", List.of(), cmdlines);
        assertEquals("mounts left for the removed containers", List.of(), mounts);
    }

    /** The processes whose command line names one of {@code ids}. */
    private static List<Long> processesOf(List<String> ids) {
        List<Long> out = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                long pid = Long.parseLong(p.getFileName().toString());
                String cmd = cmdline(pid);
                if (ids.stream().anyMatch(cmd::contains)) {
                    out.add(pid);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    private static String cmdline(long pid) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(pid), "cmdline")).replace('\0', ' ');
        } catch (IOException gone) {
            return "";
        }
    }

    /** The lines of /proc/self/mountinfo naming one of {@code needles}. */
    private static List<String> mountsOf(List<String> needles) throws IOException {
        return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
                .filter(l -> needles.stream().anyMatch(l::contains)).toList();
    }

    private static String logs(String id) {
        try {
            return ok("logs", id).out();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** How many refresh events the service recorded since a time (in seconds since the epoch). */
    private static int refreshEventsSince(long since) throws Exception {
        String filters = URLEncoder.encode("{\"event\":[\"refresh\"]}", StandardCharsets.UTF_8);
        String out = jpod.curl("GET", "/v4.3.1/libpod/events?stream=false&since=" + since + "&filters=" + filters)
                .out();
        int n = 0;
        for (String line : out.split("\n")) {
            if (line.contains("\"refresh\"")) {
                n++;
            }
        }
        return n;
    }
}
