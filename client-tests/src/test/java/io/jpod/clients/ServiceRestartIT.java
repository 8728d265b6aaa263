package io.jpod.clients;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.jpod.clients.JpodService.Result;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.Test;

/**
 * conmon keeps containers running while the service is gone: killed with SIGKILL or stopped. When it
 * comes back, running containers are still running with their state, and a container that exited
 * meanwhile has its exit code recorded and its resources released.
 */
public class ServiceRestartIT extends ClientTestSupport {
    private void survives(boolean crash) throws Exception {
        String runner = ok("run", "-d", "--network", "none", "busybox", "sleep", "300").out();
        String pid = ok("inspect", "-f", "{{.State.Pid}}", runner).out();
        String quitter = ok("run", "-d", "--network", "none", "busybox", "sh", "-c", "sleep 2; exit 7").out();
        if (crash) {
            jpod.crash();
        } else {
            jpod.stopService();
        }
        // the quitter exits while nobody serves
        Thread.sleep(4000);
        assertTrue("the container's process outlives the service", Files.exists(Path.of("/proc", pid)));
        jpod.startService();
        assertEquals("running " + pid, ok("inspect", "-f", "{{.State.Status}} {{.State.Pid}}", runner).out());
        assertEquals("exited 7", ok("inspect", "-f", "{{.State.Status}} {{.State.ExitCode}}", quitter).out());
        assertEquals("7", ok("wait", quitter).out());
        ok("stop", "-t", "1", runner);
        assertEquals("exited", ok("inspect", "-f", "{{.State.Status}}", runner).out());
        ok("rm", runner, quitter);
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
}
