package io.jpod.clients;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import io.jpod.clients.JpodService.Result;
import java.util.List;
import org.junit.Test;

/** Debian's podman as a remote client (podman --remote, CONTAINER_HOST on jpod's socket). */
public class PodmanRemoteIT extends ClientTestSupport {

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
    public void initRmiAndPullOfTheShippedImage() throws Exception {
        String id = podmanOk("create", "--name", "remote-init", "--network", "none", "busybox", "sh", "-c",
                "echo from-init; exit 6").out();
        try {
            podmanOk("init", "remote-init");
            assertEquals("created", podmanOk("inspect", "--format", "{{.State.Status}}", id).out());
            // as podman 4.3.1's own: "has already been created in runtime", 125
            assertEquals(125, podman("init", "remote-init").code());
            podmanOk("start", "remote-init");
            assertEquals("6", podmanOk("wait", "remote-init").out());
            // podman --remote logs sends Go's zero time as since and until
            assertEquals("from-init", podmanOk("logs", "remote-init").out());
        } finally {
            podman("rm", "-f", "remote-init");
        }
        // rmi goes through libpod's batch remove; run then pulls the image the install ships
        podmanOk("rmi", "busybox");
        assertNotEquals(0, podman("image", "exists", "busybox").code());
        assertEquals("back", podmanOk("run", "--rm", "--network", "none", "busybox", "echo", "back").out());
        Result missing = podman("rmi", "jpod-no-such-image");
        assertEquals(missing.toString(), 1, missing.code());
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

    /** libpod's SpecGenerator Networks {static_ips, static_mac} and its network connect static_ips. */
    @Test
    public void staticAddressAndMac() throws Exception {
        podmanOk("network", "create", "--subnet", "10.97.7.0/24", "jpod-remote-static");
        podmanOk("network", "create", "--subnet", "10.97.8.0/24", "jpod-remote-static2");
        try {
            podmanOk("run", "-d", "--name", "remote-fixed", "--network", "jpod-remote-static", "--ip", "10.97.7.70",
                    "--mac-address", "02:42:0a:61:07:46", "busybox", "sleep", "300");
            assertEquals("10.97.7.70 02:42:0a:61:07:46", podmanOk("inspect", "--format",
                    "{{range .NetworkSettings.Networks}}{{.IPAddress}} {{.MacAddress}}{{end}}", "remote-fixed").out());
            // inside, through the docker CLI: podman --remote exec's stream is not read right yet
            Result inside = ok("exec", "remote-fixed", "sh", "-c",
                    "ip -4 -o addr show eth0; cat /sys/class/net/eth0/address");
            assertTrue(inside.out(), inside.out().contains("inet 10.97.7.70/24")
                    && inside.out().endsWith("02:42:0a:61:07:46"));
            podmanOk("network", "connect", "--ip", "10.97.8.80", "jpod-remote-static2", "remote-fixed");
            assertTrue(ok("exec", "remote-fixed", "ip", "-4", "-o", "addr", "show", "eth1").out()
                    .contains("inet 10.97.8.80/24"));
            Result taken = podman("run", "--rm", "--network", "jpod-remote-static", "--ip", "10.97.7.70", "busybox",
                    "true");
            assertNotEquals(0, taken.code());
            assertTrue(taken.err(), taken.err().contains("requested static ip 10.97.7.70 is already in use"));
            Result outside = podman("run", "--rm", "--network", "jpod-remote-static", "--ip", "10.97.9.5", "busybox",
                    "true");
            assertNotEquals(0, outside.code());
            assertTrue(outside.err(), outside.err().contains("requested static ip 10.97.9.5 not in any subnet on "
                    + "network jpod-remote-static"));
        } finally {
            podman("rm", "-f", "remote-fixed");
            podman("network", "rm", "jpod-remote-static", "jpod-remote-static2");
        }
    }

    @Test
    public void images() throws Exception {
        assertTrue(podmanOk("images", "--format", "{{.Repository}}:{{.Tag}}").out().contains("localhost/busybox:latest"));
    }

    @Test
    public void execKeepsItsStreamsApartWithTheExitCodeAndTakesPipedStdin() throws Exception {
        String id = podmanOk("run", "-d", "--network", "none", "busybox", "sleep", "300").out();
        try {
            Result r = podman("exec", id, "sh", "-c", "echo to-out; echo to-err >&2; exit 3");
            assertEquals(r.toString(), 3, r.code());
            assertEquals("to-out", r.out());
            assertEquals("to-err", r.err());
            Result piped = jpod.run(List.of("podman", "--remote", "exec", "-i", id, "tr", "a-z", "A-Z"), "piped in\n", 60);
            assertEquals(piped.toString(), 0, piped.code());
            assertEquals("PIPED IN", piped.out());
        } finally {
            podman("rm", "-f", "-t", "0", id);
        }
    }

    @Test
    public void exitCodeOfRun() throws Exception {
        assertEquals(7, podman("run", "--rm", "--network", "none", "busybox", "sh", "-c", "exit 7").code());
    }
}
