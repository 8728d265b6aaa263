package io.jpod.clients;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import io.jpod.clients.JpodService.Result;
import java.util.ArrayList;
import java.util.List;
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
}
