package io.jpod.clients;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import io.jpod.clients.JpodService.Result;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.Test;

/** The distribution's own CLI, bin/jpod, against the service's socket (--url), as a user runs it. */
public class JpodCliIT extends ClientTestSupport {

    private static Result jpodCli(String... args) throws Exception {
        return jpodCliIn(null, args);
    }

    private static Result jpodCliIn(String stdin, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(jpod.home.resolve("bin/jpod").toString(), "--url",
                "unix://" + jpod.socket));
        cmd.addAll(List.of(args));
        return jpod.run(cmd, stdin, 120);
    }

    private static Result cliOk(String... args) throws Exception {
        Result r = jpodCli(args);
        assertEquals("jpod " + String.join(" ", args) + ": " + r, 0, r.code());
        return r;
    }

    @Test
    public void runPrintsOutputAndReturnsTheExitCode() throws Exception {
        assertEquals("hi", cliOk("run", "--rm", "--network", "none", "busybox", "echo", "hi").out());
        Result three = jpodCli("run", "--rm", "--network", "none", "busybox", "sh", "-c", "echo out; echo err >&2; exit 3");
        assertEquals(three.toString(), 3, three.code());
        assertEquals("out", three.out());
        assertEquals("err", three.err());
        Result piped = jpodCliIn("hello cli\n", "run", "--rm", "-i", "--network", "none", "busybox", "tr", "a-z", "A-Z");
        assertEquals(piped.toString(), 0, piped.code());
        assertEquals("HELLO CLI", piped.out());
    }

    @Test
    public void detachedContainerLifecycle() throws Exception {
        String id = cliOk("run", "-d", "--name", "cli-own", "--network", "none", "busybox", "sh", "-c",
                "echo ready; sleep 300").out();
        assertEquals(64, id.length());
        assertTrue(cliOk("ps", "--format", "{{.Names}}").out().lines().toList().contains("cli-own"));
        assertEquals("inside", cliOk("exec", "cli-own", "echo", "inside").out());
        assertEquals(4, jpodCli("exec", "cli-own", "sh", "-c", "exit 4").code());
        long end = System.currentTimeMillis() + 10_000;
        while (!cliOk("logs", "cli-own").out().contains("ready") && System.currentTimeMillis() < end) {
            Thread.sleep(100);
        }
        assertEquals("ready", cliOk("logs", "cli-own").out());
        assertEquals("running", cliOk("inspect", "--format", "{{.State.Status}}", "cli-own").out());
        cliOk("stop", "-t", "1", "cli-own");
        assertEquals("exited", cliOk("inspect", "--format", "{{.State.Status}}", "cli-own").out());
        cliOk("rm", "cli-own");
        assertEquals("", cliOk("ps", "-a", "-q", "--filter", "name=cli-own").out());
    }

    @Test
    public void imagesTagAndRemove() throws Exception {
        assertTrue(cliOk("images", "--format", "{{.Repository}}:{{.Tag}}").out().contains("localhost/busybox:latest"));
        cliOk("tag", "busybox", "jpod-cli-own:v2");
        assertTrue(cliOk("images", "--format", "{{.Repository}}:{{.Tag}}").out().contains("jpod-cli-own:v2"));
        cliOk("untag", "busybox", "localhost/jpod-cli-own:v2");
        assertTrue(cliOk("images", "--format", "{{.Repository}}:{{.Tag}}").out().contains("localhost/busybox:latest"));
        assertTrue(!cliOk("images", "--format", "{{.Repository}}:{{.Tag}}").out().contains("jpod-cli-own:v2"));
    }

    /** A clean error: its line starts with Error: and no stack trace follows. */
    private static void assertCleanError(Result r) {
        assertTrue(r.toString(), r.err().startsWith("Error: ") && !r.err().contains("Exception")
                && !r.err().contains("\tat "));
    }

    /** Removes what a test may have left after a failure; nothing to remove is no error. */
    private static void removeQuietly(String kind, String... names) throws Exception {
        for (String n : names) {
            jpodCli(kind.equals("container") ? new String[] {"rm", "-f", n} : new String[] {kind, "rm", "-f", n});
        }
    }

    @Test
    public void networkCreateListInspectUseAndRemove() throws Exception {
        List<String> before = hostNetworking();
        try {
            assertEquals("jpod-cli-net", cliOk("network", "create", "--subnet", "10.96.41.0/24", "--label",
                    "owner=jpod-cli", "jpod-cli-net").out());
            List<String> table = cliOk("network", "ls").out().lines().toList();
            assertTrue(table.toString(), table.get(0).matches("NETWORK ID +NAME +DRIVER"));
            assertTrue(table.toString(), table.stream().anyMatch(l -> l.matches("[0-9a-f]{12} +jpod-cli-net +bridge")));
            assertEquals("jpod-cli-net bridge owner=jpod-cli", cliOk("network", "ls", "--format",
                    "{{.Name}} {{.Driver}} {{.Labels}}", "--filter", "label=owner=jpod-cli").out());
            assertEquals("jpod-cli-net", cliOk("network", "ls", "-q", "--filter", "name=jpod-cli-").out());
            assertTrue(cliOk("network", "ls", "--format", "json").out().contains("\"name\": \"jpod-cli-net\""));
            String json = cliOk("network", "inspect", "jpod-cli-net").out();
            assertTrue(json, json.startsWith("[") && json.contains("\"owner\": \"jpod-cli\"")
                    && json.contains("\"subnet\": \"10.96.41.0/24\""));
            assertEquals("10.96.41.0/24 10.96.41.1", cliOk("network", "inspect", "--format",
                    "{{range .Subnets}}{{.Subnet}} {{.Gateway}}{{end}}", "jpod-cli-net").out());
            assertEquals(0, jpodCli("network", "exists", "jpod-cli-net").code());

            cliOk("run", "-d", "--name", "jpod-cli-netctr", "--network", "jpod-cli-net", "busybox", "sleep", "300");
            String ip = cliOk("inspect", "--format", "{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}",
                    "jpod-cli-netctr").out();
            assertTrue(ip, ip.startsWith("10.96.41."));
            Result inUse = jpodCli("network", "rm", "jpod-cli-net");
            assertEquals(inUse.toString(), 2, inUse.code());
            assertTrue(inUse.err(), inUse.err().contains("network is being used"));
            assertCleanError(inUse);
            assertTrue("prune keeps a network in use", !cliOk("network", "prune", "-f").out().contains("jpod-cli-net"));
            assertEquals(0, jpodCli("network", "exists", "jpod-cli-net").code());
            assertEquals("jpod-cli-net", cliOk("network", "rm", "-f", "jpod-cli-net").out());
            assertEquals("the container went with it", "", cliOk("ps", "-a", "-q", "--filter", "name=jpod-cli-netctr").out());
            assertEquals(1, jpodCli("network", "exists", "jpod-cli-net").code());

            // rm without -f once the container is gone
            cliOk("network", "create", "jpod-cli-net2");
            cliOk("run", "-d", "--name", "jpod-cli-netctr2", "--network", "jpod-cli-net2", "busybox", "sleep", "300");
            cliOk("rm", "-f", "jpod-cli-netctr2");
            assertEquals("jpod-cli-net2", cliOk("network", "rm", "jpod-cli-net2").out());

            cliOk("network", "create", "--label", "prune=yes", "jpod-cli-p1");
            cliOk("network", "create", "jpod-cli-p2");
            assertEquals("jpod-cli-p1", cliOk("network", "prune", "-f", "--filter", "label=prune=yes").out());
            assertEquals(0, jpodCli("network", "exists", "jpod-cli-p2").code());
            assertTrue(cliOk("network", "prune", "-f").out().lines().toList().contains("jpod-cli-p2"));
            assertEquals("", cliOk("network", "ls", "-q", "--filter", "name=jpod-cli-").out());
        } finally {
            removeQuietly("container", "jpod-cli-netctr", "jpod-cli-netctr2");
            removeQuietly("network", "jpod-cli-net", "jpod-cli-net2", "jpod-cli-p1", "jpod-cli-p2");
        }
        assertEquals(before, hostNetworking());
    }

    @Test
    public void networkConnectAndDisconnect() throws Exception {
        List<String> before = hostNetworking();
        try {
            cliOk("network", "create", "jpod-cli-a");
            cliOk("network", "create", "--subnet", "10.96.45.0/24", "jpod-cli-b");
            cliOk("run", "-d", "--name", "jpod-cli-roamer", "--network", "jpod-cli-a", "busybox", "sleep", "300");
            Result outside = jpodCli("network", "connect", "--ip", "10.96.46.7", "jpod-cli-b", "jpod-cli-roamer");
            assertEquals(outside.toString(), 125, outside.code());
            assertCleanError(outside);
            cliOk("network", "connect", "--ip", "10.96.45.77", "jpod-cli-b", "jpod-cli-roamer");
            String nets = cliOk("inspect", "--format", "{{json .NetworkSettings.Networks}}", "jpod-cli-roamer").out();
            assertTrue(nets, nets.contains("\"jpod-cli-a\"") && nets.contains("\"jpod-cli-b\""));
            Result addrs = jpodCli("exec", "jpod-cli-roamer", "ip", "-4", "-o", "addr");
            assertTrue(addrs.toString(), addrs.out().contains("10.96.45.77/24"));
            cliOk("network", "disconnect", "jpod-cli-b", "jpod-cli-roamer");
            nets = cliOk("inspect", "--format", "{{json .NetworkSettings.Networks}}", "jpod-cli-roamer").out();
            assertTrue(nets, nets.contains("\"jpod-cli-a\"") && !nets.contains("\"jpod-cli-b\""));
            Result again = jpodCli("network", "disconnect", "jpod-cli-b", "jpod-cli-roamer");
            assertEquals(again.toString(), 125, again.code());
            assertCleanError(again);
            Result noNet = jpodCli("network", "connect", "jpod-cli-none", "jpod-cli-roamer");
            assertEquals(noNet.toString(), 125, noNet.code());
            assertTrue(noNet.err(), noNet.err().contains("jpod-cli-none"));
            Result noCtr = jpodCli("network", "connect", "jpod-cli-b", "jpod-cli-no-such-ctr");
            assertEquals(noCtr.toString(), 125, noCtr.code());
            assertCleanError(noCtr);
        } finally {
            removeQuietly("container", "jpod-cli-roamer");
            removeQuietly("network", "jpod-cli-a", "jpod-cli-b");
        }
        assertEquals(before, hostNetworking());
    }

    @Test
    public void badNetworksAreRefusedAsPodmanRefusesThem() throws Exception {
        try {
            Result malformed = jpodCli("network", "create", "--subnet", "10.96.300.0/24", "jpod-cli-bad");
            assertEquals(125, malformed.code());
            assertEquals("Error: invalid CIDR address: 10.96.300.0/24", malformed.err());
            Result gateway = jpodCli("network", "create", "--subnet", "10.96.42.0/24", "--gateway", "10.96.43.1",
                    "jpod-cli-bad");
            assertEquals(125, gateway.code());
            assertTrue(gateway.err(), gateway.err().contains("10.96.43.1"));
            assertCleanError(gateway);
            cliOk("network", "create", "--subnet", "10.96.44.0/24", "jpod-cli-taken");
            Result taken = jpodCli("network", "create", "jpod-cli-taken");
            assertEquals(125, taken.code());
            assertTrue(taken.err(), taken.err().contains("already exists"));
            Result overlap = jpodCli("network", "create", "--subnet", "10.96.44.128/25", "jpod-cli-bad");
            assertEquals(125, overlap.code());
            assertTrue(overlap.err(), overlap.err().contains("overlaps with network jpod-cli-taken"));
            Result mode = jpodCli("network", "create", "host");
            assertEquals(125, mode.code());
            assertTrue(mode.err(), mode.err().contains("conflicts with a valid network mode"));
            Result inspect = jpodCli("network", "inspect", "jpod-cli-nonet");
            assertEquals(125, inspect.code());
            assertEquals("[]", inspect.out());
            assertTrue(inspect.err(), inspect.err().contains("network not found"));
            Result rm = jpodCli("network", "rm", "jpod-cli-nonet");
            assertEquals(1, rm.code());
            assertCleanError(rm);
            assertEquals(0, jpodCli("network", "rm", "-f", "jpod-cli-nonet").code());
            assertEquals(1, jpodCli("network", "exists", "jpod-cli-nonet").code());
            Result run = jpodCli("run", "--rm", "--network", "jpod-cli-nonet", "busybox", "true");
            assertEquals(125, run.code());
            assertTrue(run.err(), run.err().contains("jpod-cli-nonet"));
            assertEquals("jpod-cli-taken", cliOk("network", "ls", "-q", "--filter", "name=jpod-cli-").out());
        } finally {
            removeQuietly("network", "jpod-cli-taken", "jpod-cli-bad");
        }
    }

    @Test
    public void volumesAndAContainerReadingWhatAnotherWrote() throws Exception {
        try {
            assertEquals("jpod-cli-vol", cliOk("volume", "create", "--label", "owner=jpod-cli", "jpod-cli-vol").out());
            List<String> table = cliOk("volume", "ls").out().lines().toList();
            assertTrue(table.toString(), table.get(0).matches("DRIVER +VOLUME NAME"));
            assertTrue(table.toString(), table.contains("local       jpod-cli-vol"));
            assertEquals("jpod-cli-vol local", cliOk("volume", "ls", "--format", "{{.Name}} {{.Driver}}", "--filter",
                    "label=owner=jpod-cli").out());
            assertTrue(cliOk("volume", "ls", "--format", "json").out().contains("\"Name\": \"jpod-cli-vol\""));
            assertEquals("jpod-cli-vol jpod-cli", cliOk("volume", "inspect", "--format", "{{.Name}} {{.Labels.owner}}",
                    "jpod-cli-vol").out());
            assertTrue(cliOk("volume", "inspect", "jpod-cli-vol").out().contains("\"Mountpoint\": "));
            assertEquals(0, jpodCli("volume", "exists", "jpod-cli-vol").code());

            cliOk("run", "--rm", "-v", "jpod-cli-vol:/data", "--network", "none", "busybox", "sh", "-c",
                    "echo from-the-writer > /data/note");
            assertEquals("from-the-writer", cliOk("run", "--rm", "-v", "jpod-cli-vol:/data:ro", "--network", "none",
                    "busybox", "cat", "/data/note").out());

            cliOk("run", "-d", "--name", "jpod-cli-volctr", "-v", "jpod-cli-vol:/data", "--network", "none", "busybox",
                    "sleep", "300");
            Result inUse = jpodCli("volume", "rm", "jpod-cli-vol");
            assertEquals(inUse.toString(), 2, inUse.code());
            assertTrue(inUse.err(), inUse.err().contains("volume is being used"));
            assertCleanError(inUse);
            assertEquals("", cliOk("volume", "prune", "-f").out());
            assertEquals("jpod-cli-vol", cliOk("volume", "ls", "-q", "--filter", "dangling=false").out());
            assertEquals("jpod-cli-vol", cliOk("volume", "rm", "-f", "jpod-cli-vol").out());
            assertEquals("the container went with it", "", cliOk("ps", "-a", "-q", "--filter", "name=jpod-cli-volctr").out());
            assertEquals(1, jpodCli("volume", "exists", "jpod-cli-vol").code());

            String anonymous = cliOk("volume", "create").out();
            assertEquals(anonymous, 64, anonymous.length());
            cliOk("volume", "create", "--label", "scratch=yes", "jpod-cli-scratch");
            assertEquals("jpod-cli-scratch", cliOk("volume", "prune", "-f", "--filter", "label=scratch=yes").out());
            assertEquals(0, jpodCli("volume", "exists", anonymous).code());
            assertEquals(anonymous, cliOk("volume", "prune", "-f").out());
            assertEquals("", cliOk("volume", "ls", "-q").out());
        } finally {
            removeQuietly("container", "jpod-cli-volctr");
            removeQuietly("volume", "jpod-cli-vol", "jpod-cli-scratch");
        }
    }

    @Test
    public void badVolumeInput() throws Exception {
        try {
            Result inspect = jpodCli("volume", "inspect", "jpod-cli-novol");
            assertEquals(125, inspect.code());
            assertTrue(inspect.err(), inspect.err().contains("no such volume"));
            assertCleanError(inspect);
            assertEquals(1, jpodCli("volume", "rm", "jpod-cli-novol").code());
            assertEquals(0, jpodCli("volume", "rm", "-f", "jpod-cli-novol").code());
            assertEquals(1, jpodCli("volume", "exists", "jpod-cli-novol").code());
            cliOk("volume", "create", "jpod-cli-twice");
            Result twice = jpodCli("volume", "create", "jpod-cli-twice");
            assertEquals(125, twice.code());
            assertTrue(twice.err(), twice.err().contains("already exists"));
            Result badName = jpodCli("volume", "create", "bad/name");
            assertEquals(125, badName.code());
            assertCleanError(badName);
            Result both = jpodCli("volume", "ls", "-q", "--format", "{{.Name}}");
            assertEquals(125, both.code());
            assertEquals("Error: quiet and format flags cannot be used together", both.err());
            Result noArgs = jpodCli("volume", "rm");
            assertEquals(125, noArgs.code());
            assertEquals("Error: choose either one or more volumes or all", noArgs.err());
        } finally {
            removeQuietly("volume", "jpod-cli-twice");
        }
    }

    @Test
    public void badInputGetsAnErrorLineAndPodmansExitCodes() throws Exception {
        Result noImage = jpodCli("run", "--rm", "--network", "none", "jpod-no-such-image", "true");
        assertEquals(noImage.toString(), 125, noImage.code());
        assertTrue(noImage.err(), noImage.err().startsWith("Error: "));
        Result noCommand = jpodCli("run", "--rm", "--network", "none", "busybox", "/no/such/binary");
        assertTrue(noCommand.toString(), noCommand.code() == 127 || noCommand.code() == 126);
        Result noCtr = jpodCli("stop", "jpod-no-such-container");
        assertNotEquals(0, noCtr.code());
        assertTrue(noCtr.err(), noCtr.err().startsWith("Error: ") && !noCtr.err().contains("Exception"));
        Result badFlag = jpodCli("ps", "--no-such-flag");
        assertEquals(125, badFlag.code());
        assertTrue(badFlag.err(), !badFlag.err().contains("Exception"));
    }

    @Test
    public void attachGetsARunningContainersOutputAndExitsAsPodmans() throws Exception {
        try {
            cliOk("run", "-d", "--name", "jpod-cli-att", "--network", "none", "busybox", "sh", "-c",
                    "i=0; while [ $i -lt 30 ]; do echo tick; sleep 0.2; i=$((i+1)); done; echo done >&2; exit 3");
            Result r = jpodCli("attach", "--no-stdin", "jpod-cli-att");
            // podman 4.3.1's attach exits 0 when the container ends, here with 3
            assertEquals(r.toString(), 0, r.code());
            assertEquals("3", cliOk("wait", "jpod-cli-att").out());
            List<String> lines = r.out().lines().toList();
            assertTrue(r.toString(), !lines.isEmpty() && lines.stream().allMatch("tick"::equals));
            assertEquals("done", r.err());

            // stdin reaches a container that keeps it open (-i); its end is the container's too
            cliOk("run", "-d", "-i", "--name", "jpod-cli-att-in", "--network", "none", "busybox", "sh", "-c",
                    "read line; echo got $line; cat; exit 5");
            Result in = jpodCliIn("hello attach\nmore\n", "attach", "jpod-cli-att-in");
            assertEquals(in.toString(), 0, in.code());
            assertEquals("5", cliOk("wait", "jpod-cli-att-in").out());
            assertEquals("got hello attach\nmore", in.out());

            Result exited = jpodCli("attach", "jpod-cli-att");
            assertEquals(exited.toString(), 125, exited.code());
            assertEquals("Error: you can only attach to running containers", exited.err());
            Result missing = jpodCli("attach", "jpod-cli-no-such-ctr");
            assertEquals(missing.toString(), 125, missing.code());
            assertEquals("Error: no container with name or ID \"jpod-cli-no-such-ctr\" found: no such container",
                    missing.err());
        } finally {
            removeQuietly("container", "jpod-cli-att", "jpod-cli-att-in");
        }
    }

    @Test
    public void renumberAnswersAndContainersWorkAfterwards() throws Exception {
        try {
            cliOk("run", "-d", "--name", "jpod-cli-renum", "--network", "none", "busybox", "sleep", "300");
            cliOk("volume", "create", "jpod-cli-renum-vol");
            assertEquals("", cliOk("system", "renumber").out());
            assertEquals("after", cliOk("exec", "jpod-cli-renum", "echo", "after").out());
            cliOk("stop", "-t", "1", "jpod-cli-renum");
            cliOk("start", "jpod-cli-renum");
            assertEquals("running", cliOk("inspect", "--format", "{{.State.Status}}", "jpod-cli-renum").out());
            cliOk("rm", "-f", "jpod-cli-renum");
            assertEquals("again", cliOk("run", "--rm", "-v", "jpod-cli-renum-vol:/data", "--network", "none", "busybox",
                    "echo", "again").out());
            cliOk("volume", "rm", "jpod-cli-renum-vol");
        } finally {
            removeQuietly("container", "jpod-cli-renum");
            removeQuietly("volume", "jpod-cli-renum-vol");
        }
    }

    @Test
    public void resetRemovesEverythingAndAsksFirst() throws Exception {
        try {
            cliOk("run", "-d", "--name", "jpod-cli-reset", "--network", "none", "-v", "jpod-cli-reset-vol:/data",
                    "busybox", "sleep", "300");
            cliOk("create", "--name", "jpod-cli-reset2", "--network", "none", "busybox", "true");
            cliOk("network", "create", "jpod-cli-reset-net");
            cliOk("tag", "busybox", "jpod-cli-reset:v1");

            Result no = jpodCliIn("n\n", "system", "reset");
            assertEquals(no.toString(), 0, no.code());
            assertTrue(no.out(), no.out().startsWith("WARNING! This will remove:")
                    && no.out().endsWith("Are you sure you want to continue? [y/N]"));
            assertEquals(2, cliOk("ps", "-a", "-q").out().lines().count());

            Result reset = cliOk("system", "reset", "--force");
            assertEquals("", reset.out());
            assertEquals("", reset.err());
            assertEquals("", cliOk("ps", "-a", "-q").out());
            assertEquals("", cliOk("images", "-q").out());
            assertEquals("", cliOk("volume", "ls", "-q").out());
            assertEquals("", cliOk("network", "ls", "-q", "--filter", "name=jpod-cli-reset").out());
            assertTrue("the default network stays", !cliOk("network", "ls", "-q").out().isEmpty());
        } finally {
            removeQuietly("container", "jpod-cli-reset", "jpod-cli-reset2");
            removeQuietly("network", "jpod-cli-reset-net");
            removeQuietly("volume", "jpod-cli-reset-vol");
            importBusybox();
        }
    }

    /** busybox again, as the service was given it (the other tests use it). */
    private static void importBusybox() throws Exception {
        if (cliOk("images", "--format", "{{.Repository}}").out().lines().anyMatch("localhost/busybox"::equals)) {
            return;
        }
        Result imported = jpod.run(List.of("curl", "-sS", "--unix-socket", jpod.socket.toString(), "-X", "POST",
                "--data-binary", "@" + jpod.home.resolve("etc/busybox.tar"),
                "http://d/v4.3.1/libpod/images/import?reference=busybox&changes=CMD%20%5B%22sh%22%5D"), 60);
        assertTrue("import: " + imported, imported.out().contains("\"Id\""));
    }

    @Test
    public void systemServiceServesItsSocketUntilSigterm() throws Exception {
        // bin/jpod execs the JVM once its class archive is written: SIGTERM then reaches the CLI itself
        cliOk("--version");
        Path dir = Files.createTempDirectory("jpod-cli-service-");
        Path socket = dir.resolve("x.sock");
        Files.writeString(dir.resolve("jpod.conf"), JpodService.privateConf(dir));
        ProcessBuilder pb = new ProcessBuilder(jpod.home.resolve("bin/jpod").toString(), "system", "service",
                "--time", "0", "unix://" + socket);
        pb.environment().put("JPOD_CONF", dir.resolve("jpod.conf").toString());
        // the test's own service has the Web Console's port
        pb.environment().put("JAVA_OPTS", "-Djpod.webconsole.port=0");
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.redirectOutput(dir.resolve("service.out").toFile());
        pb.redirectError(dir.resolve("service.err").toFile());
        Process p = pb.start();
        try {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (!"OK".equals(ping(socket))) {
                assertTrue("no _ping on " + socket + ": " + Files.readString(dir.resolve("service.err")),
                        p.isAlive() && System.nanoTime() < end);
                Thread.sleep(250);
            }
            p.destroy();
            assertTrue("stopped within 60 s", p.waitFor(60, TimeUnit.SECONDS));
            assertEquals(Files.readString(dir.resolve("service.err")), 0, p.exitValue());
            assertTrue(!"OK".equals(ping(socket)));
        } finally {
            if (p.isAlive()) {
                p.destroyForcibly();
                p.waitFor(30, TimeUnit.SECONDS);
            }
            byte[] h = MessageDigest.getInstance("SHA-256")
                    .digest(dir.resolve("run").toString().getBytes(StandardCharsets.UTF_8));
            Files.deleteIfExists(Path.of("/dev/shm", "jpod_locks_" + HexFormat.of().formatHex(h, 0, 6)));
            JpodService.deleteTree(dir);
        }
        Result tcp = jpodCli("system", "service", "tcp://127.0.0.1:8888");
        assertEquals(tcp.toString(), 125, tcp.code());
        assertTrue(tcp.err(), tcp.err().startsWith("Error: API Service endpoint scheme \"tcp\" is not supported by jpod"));
        assertCleanError(tcp);
    }

    private static String ping(Path socket) throws Exception {
        return jpod.run(List.of("curl", "-sS", "--max-time", "2", "--unix-socket", socket.toString(), "http://d/_ping"),
                10).out();
    }
}
