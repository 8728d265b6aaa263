package io.jpod.clients;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jpod.clients.JpodService.Result;
import java.io.File;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.After;
import org.junit.Test;

/**
 * Looking inside containers with the docker CLI, podman-remote and jpod's CLI: stats (memory rising to its
 * limit, network bytes after a ping to the gateway of the test's own bridge, pids, a stream, a stopped
 * container's zeros), top, port, rename (running, bad and taken names), pod stats; and the output formats of
 * the reference podman run on this host.
 */
public class InspectingIT extends ClientTestSupport {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NET = "jpod-inside-it";
    private static final String NET_SUBNET = "10.97.31.0/24";
    private static final String REFERENCE_NAME = "jpod-inside-it-reference";
    private static final String REFERENCE_IMAGE = "localhost/jpod-inside-it-reference:latest";

    private static Result ok(Result r, String what) {
        assertEquals(what + ": " + r, 0, r.code());
        return r;
    }

    private static Result dockerOk(String... args) throws Exception {
        return ok(jpod.docker(args), "docker " + String.join(" ", args));
    }

    private static JsonNode api(String path) throws Exception {
        Result r = jpod.run(List.of("curl", "-sS", "--max-time", "20", "--unix-socket", jpod.socket.toString(),
                "http://d" + path), 30);
        return JSON.readTree(r.out());
    }

    private static String status(String method, String path) throws Exception {
        return jpod.run(List.of("curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", "--unix-socket",
                jpod.socket.toString(), "-X", method, "http://d" + path), 30).out();
    }

    /** Docker's stats of a container, read once (with the reading a second before). */
    private static JsonNode dockerStats(String name) throws Exception {
        return api("/v1.41/containers/" + name + "/stats?stream=false");
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void waitForFile(String ctr, String file) throws Exception {
        for (int i = 0; i < 100; i++) {
            if (jpod.docker("exec", ctr, "test", "-f", file).code() == 0) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError(ctr + " never made " + file);
    }

    @After
    public void removeWhatTheTestsMade() throws Exception {
        podman("pod", "rm", "-a", "-f");
        for (String c : podman("ps", "-aq").out().split("\\s+")) {
            if (!c.isBlank()) {
                podman("rm", "-f", c);
            }
        }
        podman("network", "rm", "-f", NET);
        reference("rm", "-f", REFERENCE_NAME);
        reference("rmi", "-f", REFERENCE_IMAGE);
    }

    @Test
    public void statsShowMemoryRisingToItsLimitNetworkBytesAndPids() throws Exception {
        dockerOk("network", "create", "--subnet", NET_SUBNET, NET);
        // three processes: the shell and two sleeps; 30 MB into /dev/shm (charged to the cgroup) when told
        dockerOk("run", "-d", "--name", "insp-mem", "--network", NET, "-m", "64m", "--cap-add", "NET_RAW", "busybox",
                "sh", "-c",
                "sleep 600 & while [ ! -f /tmp/go ]; do sleep 0.1; done; head -c 30000000 /dev/zero > /dev/shm/f; "
                        + "touch /tmp/done; wait");
        JsonNode before = dockerStats("insp-mem");
        long usageBefore = before.at("/memory_stats/usage").asLong();
        assertEquals(64L << 20, before.at("/memory_stats/limit").asLong());
        assertTrue(before.toString(), usageBefore > 0 && usageBefore < 20_000_000);
        dockerOk("exec", "insp-mem", "touch", "/tmp/go");
        waitForFile("insp-mem", "/tmp/done");
        JsonNode after = dockerStats("insp-mem");
        long usageAfter = after.at("/memory_stats/usage").asLong();
        assertTrue("usage " + usageBefore + " then " + usageAfter, usageAfter - usageBefore >= 29_000_000);
        assertTrue(after.toString(), after.at("/cpu_stats/cpu_usage/total_usage").asLong() > 0);
        assertTrue(after.toString(), after.at("/cpu_stats/system_cpu_usage").asLong()
                > after.at("/precpu_stats/system_cpu_usage").asLong());
        assertTrue(after.toString(), after.at("/cpu_stats/online_cpus").asInt() >= 1);
        assertTrue("sh, its sleep, and the loop's: " + after, after.at("/pids_stats/current").asLong() >= 2);

        // a ping to the gateway of the test's bridge: its bytes and packets show on eth0
        String gateway = dockerOk("inspect", "-f", "{{(index .NetworkSettings.Networks \"" + NET + "\").Gateway}}",
                "insp-mem").out();
        assertTrue(gateway, gateway.startsWith("10.97.31."));
        JsonNode eth0Before = dockerStats("insp-mem").at("/networks/eth0");
        dockerOk("exec", "insp-mem", "ping", "-c", "3", "-W", "2", gateway);
        JsonNode eth0After = dockerStats("insp-mem").at("/networks/eth0");
        assertTrue(eth0Before + " then " + eth0After, eth0After.path("tx_packets").asLong()
                - eth0Before.path("tx_packets").asLong() >= 3);
        assertTrue(eth0Before + " then " + eth0After, eth0After.path("rx_bytes").asLong()
                - eth0Before.path("rx_bytes").asLong() >= 3 * 84);
        assertTrue(eth0Before + " then " + eth0After, eth0After.path("tx_bytes").asLong()
                - eth0Before.path("tx_bytes").asLong() >= 3 * 84);

        // the docker CLI: memory less its inactive page cache, the limit as 64MiB
        String row = dockerOk("stats", "--no-stream", "--format",
                "{{.Name}}|{{.CPUPerc}}|{{.MemUsage}}|{{.NetIO}}|{{.PIDs}}", "insp-mem").out();
        String[] f = row.split("\\|");
        assertEquals(row, "insp-mem", f[0]);
        assertTrue(row, f[1].matches("\\d+\\.\\d\\d%"));
        assertTrue(row, f[2].matches("(2\\d|3\\d)(\\.\\d+)?MiB / 64MiB"));
        assertTrue(row, !f[3].startsWith("0B"));
        assertTrue(row, Integer.parseInt(f[4]) >= 2);

        // podman-remote and jpod: podman 4.3's figures (decimal units)
        JsonNode podmanJson = JSON.readTree(podmanOk("stats", "--no-stream", "--format", "json", "insp-mem").out());
        JsonNode jpodJson = JSON.readTree(jpodOk("stats", "--no-stream", "--format", "json", "insp-mem").out());
        for (JsonNode j : List.of(podmanJson, jpodJson)) {
            assertEquals(j.toString(), "insp-mem", j.path(0).path("name").asText());
            assertTrue(j.toString(), j.path(0).path("mem_usage").asText().matches("3\\d(\\.\\d+)?MB / 67.11MB"));
            assertTrue(j.toString(), j.path(0).path("cpu_percent").asText().matches("\\d+\\.\\d\\d%"));
            assertTrue(j.toString(), Integer.parseInt(j.path(0).path("pids").asText()) >= 2);
            assertTrue(j.toString(), j.path(0).path("net_io").asText().matches("\\d.* / \\d.*"));
        }
        assertEquals(fieldNames(podmanJson.path(0)), fieldNames(jpodJson.path(0)));
        String table = jpodOk("stats", "--no-stream").out();
        assertTrue(table, table.lines().anyMatch(l -> l.contains("insp-mem") && l.contains("/ 67.11MB")));
        JsonNode libpod = api("/v4.3.1/libpod/containers/stats?containers=insp-mem&stream=false");
        assertTrue(libpod.toString(), libpod.path("Error").isNull());
        assertEquals(64L << 20, libpod.at("/Stats/0/MemLimit").asLong());
        assertTrue(libpod.toString(), libpod.at("/Stats/0/NetOutput").asLong() >= 3 * 84);
        assertTrue(libpod.toString(), libpod.at("/Stats/0/CPUNano").asLong() > 0);
    }

    /** A table line's columns (two spaces or more apart) from {@code from} on. */
    private static List<String> columns(String table, int line, int from) {
        List<String> cols = List.of(table.lines().skip(line).findFirst().get().trim().split("\\s{2,}"));
        return cols.subList(from, cols.size());
    }

    private static List<String> fieldNames(JsonNode o) {
        List<String> out = new ArrayList<>();
        for (Iterator<String> it = o.fieldNames(); it.hasNext();) {
            out.add(it.next());
        }
        return out;
    }

    @Test
    public void streamsGiveAReadingASecondAndEndWhenTheClientGoes() throws Exception {
        dockerOk("run", "-d", "--name", "insp-stream", "busybox", "sleep", "600");
        // docker's stream: a reading a second, each with the one before it
        Result s = jpod.run(List.of("curl", "-sSN", "--max-time", "3.5", "--unix-socket", jpod.socket.toString(),
                "http://d/v1.41/containers/insp-stream/stats"), 10);
        List<String> lines = s.out().lines().filter(l -> !l.isBlank()).toList();
        assertTrue(s.toString(), lines.size() >= 3 && lines.size() <= 5);
        JsonNode second = JSON.readTree(lines.get(1));
        JsonNode first = JSON.readTree(lines.get(0));
        assertEquals(first.path("read").asText(), second.path("preread").asText());
        assertEquals("/insp-stream", second.path("name").asText());
        // the docker CLI's streaming table shows figures, not its "--" of a stream it cannot read
        Path out = Files.createTempFile(jpod.dir, "stats", ".txt");
        ProcessBuilder pb = new ProcessBuilder("docker", "stats", "--format", "{{.Name}} {{.MemUsage}} {{.PIDs}}",
                "insp-stream");
        pb.environment().put("DOCKER_HOST", "unix://" + jpod.socket);
        pb.redirectOutput(out.toFile()).redirectErrorStream(true).redirectInput(new File("/dev/null"));
        Process p = pb.start();
        Thread.sleep(5000);
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
        String shown = Files.readString(out).replaceAll("\u001b\\[[0-9;]*[A-Za-z]", "\n");
        Files.delete(out);
        assertTrue(shown, shown.lines().anyMatch(l -> l.matches("insp-stream \\d.*B / .*B 1\\s*")));
        // libpod's stream, every interval
        Result l = jpod.run(List.of("curl", "-sSN", "--max-time", "3.5", "--unix-socket", jpod.socket.toString(),
                "http://d/v4.3.1/libpod/containers/stats?containers=insp-stream&interval=1"), 10);
        List<String> reports = l.out().lines().filter(x -> !x.isBlank()).toList();
        assertTrue(l.toString(), reports.size() >= 3);
        assertEquals("insp-stream", JSON.readTree(reports.get(2)).at("/Stats/0/Name").asText());
        // the streams ended with their clients: the service still answers at once
        assertEquals("OK", jpod.curl("GET", "/_ping").out());
    }

    @Test
    public void aStoppedContainerReadsAsZeros() throws Exception {
        dockerOk("create", "--name", "insp-stopped", "busybox", "true");
        JsonNode z = dockerStats("insp-stopped");
        assertEquals("0001-01-01T00:00:00Z", z.path("read").asText());
        assertEquals(0, z.path("memory_stats").size());
        assertEquals(0, z.at("/cpu_stats/cpu_usage/total_usage").asLong());
        String row = dockerOk("stats", "--no-stream", "--format", "{{.CPUPerc}} {{.MemUsage}}", "insp-stopped").out();
        assertEquals("0.00% 0B / 0B", row);
        String format = "{{.Name}} {{.CPUPerc}} {{.MemUsage}} {{.PIDS}} {{.UpTime}}";
        assertEquals("insp-stopped 0.00% 0B / 0B 0 0s", podmanOk("stats", "--no-stream", "--format", format,
                "insp-stopped").out());
        assertEquals("insp-stopped 0.00% 0B / 0B 0 0s", jpodOk("stats", "--no-stream", "--format", format,
                "insp-stopped").out());
        // --all takes the containers that do not run too
        assertTrue(jpodOk("stats", "--no-stream", "--all", "--format", format).out().lines()
                .anyMatch("insp-stopped 0.00% 0B / 0B 0 0s"::equals));
    }

    @Test
    public void formatsAreTheReferencePodmans() throws Exception {
        // the reference podman on this host, for a container it made and did not start
        ok(reference("import", "-q", jpod.home.resolve("etc/busybox.tar").toString(), REFERENCE_IMAGE),
                "reference podman import");
        ok(reference("create", "--name", REFERENCE_NAME, REFERENCE_IMAGE, "true"), "reference podman create");
        String reference = ok(reference("stats", "--no-stream", REFERENCE_NAME), "reference podman stats").out();
        JsonNode referenceJson = JSON.readTree(ok(reference("stats", "--no-stream", "--format", "json",
                REFERENCE_NAME), "reference podman stats json").out());

        dockerOk("create", "--name", "insp-format", "busybox", "true");
        String mine = jpodOk("stats", "--no-stream", "insp-format").out();
        // the header, and the row's columns but the ID and the name (their widths follow the name's)
        assertEquals(columns(reference, 0, 0), columns(mine, 0, 0));
        assertEquals(columns(reference, 1, 2), columns(mine, 1, 2));
        JsonNode mineJson = JSON.readTree(jpodOk("stats", "--no-stream", "--format", "json", "insp-format").out());
        assertEquals(fieldNames(referenceJson.path(0)), fieldNames(mineJson.path(0)));
        for (String k : List.of("cpu_time", "cpu_percent", "avg_cpu", "mem_usage", "mem_percent", "net_io",
                "block_io", "pids")) {
            assertEquals(k, referenceJson.path(0).path(k), mineJson.path(0).path(k));
        }
    }

    @Test
    public void topListsTheProcessesAndRefusesPsOptions() throws Exception {
        dockerOk("run", "-d", "--name", "insp-top", "busybox", "sh", "-c", "sleep 600 & sleep 601 & wait");
        Thread.sleep(500);
        String docker = dockerOk("top", "insp-top").out();
        assertTrue(docker, docker.lines().findFirst().get().matches("USER\\s+PID\\s+PPID\\s+%CPU\\s+ELAPSED\\s+TTY\\s+"
                + "TIME\\s+COMMAND"));
        assertTrue(docker, docker.contains("sleep 600") && docker.contains("sleep 601")
                && docker.contains("sh -c sleep 600"));
        String podmanTop = podmanOk("top", "insp-top", "pid", "comm").out();
        assertTrue(podmanTop, podmanTop.lines().anyMatch(l -> l.matches("1\\s+sh")));
        assertEquals(3, podmanTop.lines().skip(1).count());
        assertEquals(podmanTop, jpodOk("top", "insp-top", "pid", "comm").out());
        // the host's podman, the same command in the same image: the same processes, as the same table (but for
        // the blank psgo leaves after each process's last field)
        ok(reference("import", "-q", jpod.home.resolve("etc/busybox.tar").toString(), REFERENCE_IMAGE),
                "reference podman import");
        ok(reference("run", "-d", "--name", REFERENCE_NAME, "--network", "none", "--ulimit", "nofile=1000:1000",
                "--ulimit", "nproc=1000:1000", REFERENCE_IMAGE, "sh", "-c", "sleep 600 & sleep 601 & wait"),
                "reference podman run");
        Thread.sleep(500);
        assertEquals(ok(reference("top", REFERENCE_NAME, "pid", "comm", "args"), "reference podman top").out()
                .replaceAll(" +\n", "\n"), jpodOk("top", "insp-top", "pid", "comm", "args").out());
        reference("rm", "-f", "-t", "0", REFERENCE_NAME);
        String ef = jpodOk("top", "insp-top", "-ef").out();
        assertEquals(List.of(docker.lines().findFirst().get().split("\\s+")),
                List.of(ef.lines().findFirst().get().split("\\s+")));
        assertEquals(4, ef.lines().count());
        JsonNode libpod = api("/v4.3.1/libpod/containers/insp-top/top?ps_args=pid,args");
        assertEquals(List.of("PID", "COMMAND"), List.of(libpod.at("/Titles/0").asText(),
                libpod.at("/Titles/1").asText()));
        assertEquals(3, libpod.path("Processes").size());
        // nothing is run through a shell or a ps: such arguments are refused by name
        Path marker = jpod.dir.resolve("top-marker");
        for (String hostile : List.of("pid;touch " + marker, "$(touch " + marker + ")", "-o pid", "aux")) {
            Result r = jpod.jpod("top", "insp-top", hostile);
            assertNotEquals(hostile + ": " + r, 0, r.code());
            assertTrue(hostile + ": " + r, r.err().contains("not supported"));
        }
        Result d = jpod.docker("top", "insp-top", "-o", "pid");
        assertNotEquals(d.toString(), 0, d.code());
        assertTrue(d.toString(), d.err().contains("ps option -o is not supported"));
        assertTrue(!Files.exists(marker));
        dockerOk("stop", "-t", "1", "insp-top");
        Result stopped = jpod.docker("top", "insp-top");
        assertTrue(stopped.toString(), stopped.err().contains("is not running"));
        assertEquals("409", status("GET", "/v4.3.1/libpod/containers/insp-top/top"));
    }

    @Test
    public void portShowsThePublishedPorts() throws Exception {
        int port = freePort();
        dockerOk("run", "-d", "--name", "insp-port", "-p", port + ":80", "-p", "127.0.0.1:" + (port + 1) + ":53/udp",
                "busybox", "sleep", "600");
        String docker = dockerOk("port", "insp-port").out();
        assertTrue(docker, docker.lines().anyMatch(l -> l.equals("80/tcp -> 0.0.0.0:" + port)));
        assertTrue(docker, docker.lines().anyMatch(l -> l.equals("53/udp -> 127.0.0.1:" + (port + 1))));
        assertEquals("0.0.0.0:" + port, dockerOk("port", "insp-port", "80").out());
        String podmanPorts = podmanOk("port", "insp-port").out();
        String jpodPorts = jpodOk("port", "insp-port").out();
        assertEquals(podmanPorts.lines().sorted().toList(), jpodPorts.lines().sorted().toList());
        assertTrue(jpodPorts, jpodPorts.lines().anyMatch(l -> l.equals("80/tcp -> 0.0.0.0:" + port)));
        assertEquals("0.0.0.0:" + port, jpodOk("port", "insp-port", "80/tcp").out());
        assertEquals("127.0.0.1:" + (port + 1), jpodOk("port", "insp-port", "53/udp").out());
        String id = dockerOk("inspect", "-f", "{{.Id}}", "insp-port").out().substring(0, 12);
        assertTrue(jpodOk("port", "--all").out().lines().anyMatch(l -> l.equals(id + "\t80/tcp -> 0.0.0.0:" + port)));
        Result missing = jpod.jpod("port", "insp-port", "81");
        assertNotEquals(0, missing.code());
        assertTrue(missing.toString(), missing.err().contains("failed to find published port \"81\""));
    }

    @Test
    public void renameARunningContainerAndRefuseBadOrTakenNames() throws Exception {
        String id = dockerOk("run", "-d", "--name", "insp-old", "busybox", "sleep", "600").out();
        dockerOk("rename", "insp-old", "insp-new");
        assertEquals("/insp-new true", dockerOk("inspect", "-f", "{{.Name}} {{.State.Running}}", id).out());
        assertTrue(dockerOk("ps", "--format", "{{.Names}}").out().lines().anyMatch("insp-new"::equals));
        assertEquals("404", status("GET", "/v1.41/containers/insp-old/json"));
        // the old name is free at once
        dockerOk("create", "--name", "insp-old", "busybox", "true");
        Result bad = jpod.docker("rename", "insp-new", "bad name!");
        assertNotEquals(0, bad.code());
        assertTrue(bad.toString(), bad.err().contains("invalid"));
        assertEquals("400", status("POST", "/v1.41/containers/insp-new/rename?name=bad%2Fname"));
        assertEquals("400", status("POST", "/v1.41/containers/insp-new/rename"));
        assertEquals("409", status("POST", "/v1.41/containers/insp-new/rename?name=insp-old"));
        assertEquals("404", status("POST", "/v1.41/containers/insp-nothing/rename?name=x1"));
        podmanOk("pod", "create", "--name", "insp-pod");
        assertEquals("409", status("POST", "/v4.3.1/libpod/containers/insp-new/rename?name=insp-pod"));
        podmanOk("rename", "insp-new", "insp-podman");
        jpodOk("rename", "insp-podman", "insp-jpod");
        assertEquals("insp-jpod", podmanOk("inspect", "--format", "{{.Name}}", id).out());
        assertTrue(jpodOk("ps", "--format", "{{.Names}}").out().lines().anyMatch("insp-jpod"::equals));
        Result taken = jpod.jpod("rename", "insp-jpod", "insp-old");
        assertNotEquals(0, taken.code());
        assertTrue(taken.toString(), taken.err().contains("in use"));
        String docker = dockerOk("events", "--since", "5m", "--until", "0s", "--filter", "event=rename",
                "--format", "{{.Actor.Attributes.name}} {{.Actor.Attributes.oldName}}").out();
        assertEquals(List.of("insp-new insp-old", "insp-podman insp-new", "insp-jpod insp-podman"),
                docker.lines().toList());
        assertEquals("true", dockerOk("inspect", "-f", "{{.State.Running}}", "insp-jpod").out());
    }

    @Test
    public void podStatsPerRunningContainer() throws Exception {
        podmanOk("pod", "create", "--name", "insp-statpod");
        String ctr = podmanOk("run", "-d", "--pod", "insp-statpod", "--name", "insp-inpod", "busybox", "sleep", "600")
                .out();
        JsonNode reports = api("/v4.3.1/libpod/pods/stats?namesOrIDs=insp-statpod");
        assertEquals(reports.toString(), 2, reports.size());
        JsonNode mine = null;
        for (JsonNode r : reports) {
            if (r.path("Name").asText().equals("insp-inpod")) {
                mine = r;
            }
        }
        assertTrue(reports.toString(), mine != null);
        assertEquals(ctr.substring(0, 12), mine.path("CID").asText());
        assertTrue(mine.toString(), mine.path("MemUsage").asText().matches("\\d.*B / \\d.*GB"));
        assertTrue(mine.toString(), mine.path("CPU").asText().matches("\\d+\\.\\d\\d%|--"));
        assertEquals("1", mine.path("PIDS").asText());
        String podmanTable = podmanOk("pod", "stats", "--no-stream", "insp-statpod").out();
        String jpodTable = jpodOk("pod", "stats", "--no-stream", "insp-statpod").out();
        for (String t : List.of(podmanTable, jpodTable)) {
            assertTrue(t, t.lines().findFirst().get().matches("POD\\s+CID\\s+NAME\\s+CPU %\\s+MEM USAGE/ LIMIT\\s+"
                    + "MEM %\\s+NET IO\\s+BLOCK IO\\s+PIDS"));
            assertTrue(t, t.lines().anyMatch(l -> l.contains(ctr.substring(0, 12)) && l.contains("insp-inpod")));
        }
        // podman's JSON of pod stats is indented by five
        String podmanJson = podmanOk("pod", "stats", "--no-stream", "--format", "json", "insp-statpod").out();
        String jpodJson = jpodOk("pod", "stats", "--no-stream", "--format", "json", "insp-statpod").out();
        assertEquals(podmanJson.lines().skip(1).findFirst().get(), jpodJson.lines().skip(1).findFirst().get());
        assertEquals(JSON.readTree(podmanJson).size(), JSON.readTree(jpodJson).size());
        JsonNode all = api("/v4.3.1/libpod/pods/stats?all=true");
        assertTrue(all.toString(), all.size() >= 2);
        assertEquals("400", status("GET", "/v4.3.1/libpod/pods/stats?all=true&namesOrIDs=insp-statpod"));
        assertEquals("404", status("GET", "/v4.3.1/libpod/pods/stats?namesOrIDs=insp-nopod"));
    }
}
