package io.jpod.clients;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import io.jpod.clients.JpodService.Result;
import java.util.ArrayList;
import java.util.List;
import org.junit.Test;

/** Debian's podman as a remote client (podman --remote, CONTAINER_HOST on jpod's socket). */
public class PodmanRemoteIT extends ClientTestSupport {
    private static Result podman(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("podman", "--remote"));
        cmd.addAll(List.of(args));
        return jpod.run(cmd, 60);
    }

    private static Result podmanOk(String... args) throws Exception {
        Result r = podman(args);
        assertEquals("podman " + String.join(" ", args) + ": " + r, 0, r.code());
        return r;
    }

    @Test
    public void version() throws Exception {
        assertEquals("4.3.1", podmanOk("version", "--format", "{{.Server.APIVersion}}").out());
    }

    @Test
    public void runRemoveAndList() throws Exception {
        assertEquals("hi", podmanOk("run", "--rm", "--network", "none", "busybox", "echo", "hi").out());
        String id = podmanOk("run", "-d", "--name", "remote-sleeper", "--network", "none", "busybox", "sleep", "300").out();
        assertEquals(64, id.length());
        assertTrue(podmanOk("ps", "-a", "--format", "{{.Names}} {{.Status}}").out().contains("remote-sleeper Up"));
        assertEquals("running sleep", podmanOk("inspect", "--format", "{{.State.Status}} {{.Path}}", "remote-sleeper").out());
        podmanOk("rm", "-f", "remote-sleeper");
        assertNotEquals(0, podman("inspect", "remote-sleeper").code());
    }

    @Test
    public void networksAndVolumes() throws Exception {
        podmanOk("network", "create", "--subnet", "10.97.6.0/24", "--label", "by=podman-remote", "jpod-remote-net");
        assertTrue(podmanOk("network", "ls", "--format", "{{.Name}}").out().contains("jpod-remote-net"));
        assertEquals("10.97.6.0/24 10.97.6.1", podmanOk("network", "inspect", "--format",
                "{{range .Subnets}}{{.Subnet}} {{.Gateway}}{{end}}", "jpod-remote-net").out());
        podmanOk("network", "rm", "jpod-remote-net");
        assertNotEquals(0, podman("network", "inspect", "jpod-remote-net").code());
        podmanOk("volume", "create", "jpod-remote-vol");
        assertTrue(podmanOk("volume", "ls", "--format", "{{.Name}}").out().contains("jpod-remote-vol"));
        podmanOk("volume", "rm", "jpod-remote-vol");
        assertNotEquals(0, podman("volume", "inspect", "jpod-remote-vol").code());
    }

    @Test
    public void images() throws Exception {
        assertTrue(podmanOk("images", "--format", "{{.Repository}}:{{.Tag}}").out().contains("localhost/busybox:latest"));
    }

    @Test
    public void exitCodeOfRun() throws Exception {
        assertEquals(7, podman("run", "--rm", "--network", "none", "busybox", "sh", "-c", "exit 7").code());
    }
}
