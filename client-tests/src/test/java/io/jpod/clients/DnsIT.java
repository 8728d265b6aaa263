package io.jpod.clients;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import io.jpod.clients.JpodService.Result;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.After;
import org.junit.Assume;
import org.junit.Test;

/**
 * A container's and a pod's resolver settings and a pod's static address, as a user checks them: the
 * resolv.conf that docker run --dns and podman run --dns give, inspect's HostConfig, a pod whose containers
 * see its DNS servers, address and MAC address, and the refusals of bad values that leave nothing behind.
 */
public class DnsIT extends ClientTestSupport {

    @Test
    public void dockerRunWritesTheGivenResolvConf() throws Exception {
        Result r = ok("run", "--rm", "--dns", "1.2.3.4", "--dns", "2001:db8::1", "--dns-search", "example.org",
                "--dns-option", "ndots:2", "busybox", "cat", "/etc/resolv.conf");
        // podman's layout: search, the nameservers, options
        assertEquals("search example.org\nnameserver 1.2.3.4\nnameserver 2001:db8::1\noptions ndots:2", r.out().strip());

        String id = ok("create", "--dns", "10.0.0.53", "--dns-search", "a.example", "--dns-option", "rotate",
                "busybox", "true").out().strip();
        try {
            assertEquals("[\"10.0.0.53\"] [\"a.example\"] [\"rotate\"]", ok("inspect", "--format",
                    "{{json .HostConfig.Dns}} {{json .HostConfig.DnsSearch}} {{json .HostConfig.DnsOptions}}", id)
                    .out().strip());
        } finally {
            ok("rm", "-f", id);
        }
        String plain = ok("create", "busybox", "true").out().strip();
        try {
            assertEquals("[] [] []", ok("inspect", "--format",
                    "{{json .HostConfig.Dns}} {{json .HostConfig.DnsSearch}} {{json .HostConfig.DnsOptions}}", plain)
                    .out().strip());
        } finally {
            ok("rm", "-f", plain);
        }
    }

    @Test
    public void dockerRefusesBadValuesNamingTheField() throws Exception {
        // the docker CLI checks --dns itself; the API's own answer, as another client would meet it
        Result r = jpod.run(List.of("curl", "-sS", "-w", " %{http_code}", "--unix-socket", jpod.socket.toString(),
                "-H", "Content-Type: application/json", "-d",
                "{\"Image\":\"busybox\",\"HostConfig\":{\"Dns\":[\"not-an-ip\"]}}",
                "http://d/v1.44/containers/create"), 30);
        assertTrue(r.out(), r.out().endsWith(" 400"));
        assertTrue(r.out(), r.out().contains("HostConfig.Dns: not-an-ip is not an ip address"));
        r = jpod.run(List.of("curl", "-sS", "-w", " %{http_code}", "--unix-socket", jpod.socket.toString(),
                "-H", "Content-Type: application/json", "-d",
                "{\"Image\":\"busybox\",\"HostConfig\":{\"DnsSearch\":[\"a b\"]}}",
                "http://d/v1.44/containers/create"), 30);
        assertTrue(r.out(), r.out().endsWith(" 400"));
        assertTrue(r.out(), r.out().contains("HostConfig.DnsSearch: a b is not a valid domain"));
        r = jpod.docker("run", "--rm", "--network", "none", "--dns", "1.2.3.4", "busybox", "true");
        assertNotEquals(r.toString(), 0, r.code());
        assertTrue(r.toString(), r.err().contains("conflicting options: dns and the network mode: none"));
    }

    @Test
    public void podmanRunWritesTheGivenResolvConf() throws Exception {
        Result r = podmanOk("run", "--rm", "--dns", "1.2.3.4", "--dns-search", "example.org", "--dns-option",
                "ndots:2", "busybox", "cat", "/etc/resolv.conf");
        assertEquals("search example.org\nnameserver 1.2.3.4\noptions ndots:2", r.out().strip());
        // the host's network too, as podman does
        r = podmanOk("run", "--rm", "--network", "host", "--dns", "1.2.3.4", "busybox", "cat", "/etc/resolv.conf");
        assertTrue(r.out(), r.out().contains("nameserver 1.2.3.4"));
        assertEquals(r.out(), 1, r.out().split("nameserver").length - 1);
        // --dns none: no resolv.conf of the engine's, the image's (busybox has none)
        r = podman("run", "--rm", "--dns", "none", "busybox", "cat", "/etc/resolv.conf");
        assertNotEquals(r.toString(), 0, r.code());
        assertTrue(r.toString(), r.err().contains("No such file"));

        String id = podmanOk("create", "--dns", "10.0.0.53", "--dns-search", "a.example", "busybox", "true")
                .out().strip();
        try {
            assertEquals("[10.0.0.53] [a.example] []", podmanOk("inspect", "--format",
                    "{{.HostConfig.Dns}} {{.HostConfig.DnsSearch}} {{.HostConfig.DnsOptions}}", id).out().strip());
        } finally {
            podmanOk("rm", "-f", id);
        }
    }

    @Test
    public void jpodRunTakesPodmansFlags() throws Exception {
        Result r = jpod.jpod("run", "--rm", "--dns", "1.2.3.4,5.6.7.8", "--dns-search", "example.org",
                "--dns-option", "ndots:2", "busybox", "cat", "/etc/resolv.conf");
        assertEquals(r.toString(), 0, r.code());
        assertEquals("search example.org\nnameserver 1.2.3.4\nnameserver 5.6.7.8\noptions ndots:2", r.out().strip());
        r = jpod.jpod("run", "--rm", "--dns", "foo", "busybox", "true");
        assertEquals(r.toString(), 125, r.code());
        assertTrue(r.toString(), r.err().contains("foo is not an ip address"));
        r = jpod.jpod("create", "--dns-search", "a b", "busybox", "true");
        assertEquals(r.toString(), 125, r.code());
        assertTrue(r.toString(), r.err().contains("a b is not a valid domain"));
    }

    @Test
    public void theSettingsAreKeptThroughAServiceRestart() throws Exception {
        String id = ok("create", "--dns", "10.0.0.53", "--dns-search", "kept.example", "--dns-option", "ndots:4",
                "busybox", "cat", "/etc/resolv.conf").out().strip();
        try {
            jpod.stopService();
            jpod.startService();
            assertEquals("[\"10.0.0.53\"] [\"kept.example\"] [\"ndots:4\"]", ok("inspect", "--format",
                    "{{json .HostConfig.Dns}} {{json .HostConfig.DnsSearch}} {{json .HostConfig.DnsOptions}}", id)
                    .out().strip());
            assertEquals("search kept.example\nnameserver 10.0.0.53\noptions ndots:4",
                    ok("start", "-a", id).out().strip());
        } finally {
            ok("rm", "-f", id);
        }
    }

    /**
     * The reference podman of this host, in a store of its own under the service's directory (vfs, so nothing
     * stays mounted), with the nofile and nproc ulimits the host allows; without the test's CONTAINER_HOST.
     */
    private static Path referenceRun;

    private static Result ownStoreReference(String... args) throws Exception {
        Path ref = jpod.dir.resolve("reference-podman");
        if (referenceRun == null) {
            // podman takes a runroot of at most 50 characters
            referenceRun = Files.createTempDirectory(Path.of("/tmp"), "jpod-dns-ref");
        }
        Path conf = ref.resolve("containers.conf");
        if (!Files.exists(conf)) {
            Files.createDirectories(ref);
            Files.writeString(conf, "[containers]\ndefault_ulimits = [\"nofile=1000:1000\",\"nproc=1000:1000\"]\n");
        }
        List<String> cmd = new ArrayList<>(List.of("podman", "--root", ref.resolve("root").toString(), "--runroot",
                referenceRun.toString(), "--storage-driver", "vfs", "--cgroup-manager", "cgroupfs",
                "--runtime", "runc"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().remove("CONTAINER_HOST");
        pb.environment().remove("DOCKER_HOST");
        pb.environment().put("CONTAINERS_CONF", conf.toString());
        Path out = Files.createTempFile(ref, "out", ".txt");
        Path err = Files.createTempFile(ref, "err", ".txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(new File("/dev/null"));
        Process p = pb.start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the reference podman did not finish: " + cmd);
        }
        Result r = new Result(p.exitValue(), Files.readString(out), Files.readString(err));
        Files.delete(out);
        Files.delete(err);
        return r;
    }

    @After
    public void removeTheReferencesRunroot() throws Exception {
        if (referenceRun != null) {
            JpodService.deleteTree(referenceRun);
            referenceRun = null;
        }
    }

    @Test
    public void theResolvConfIsTheReferencePodmans() throws Exception {
        Result imported = ownStoreReference("import", "--change", "CMD [\"sh\"]", jpod.home.resolve("etc/busybox.tar")
                .toString(), "localhost/busybox:latest");
        Assume.assumeTrue("the reference podman cannot import busybox here: " + imported, imported.code() == 0);
        // the host's network: the reference podman refuses --dns with none, and its bridge would be its own
        for (List<String> flags : List.of(
                List.of("--dns", "1.2.3.4", "--dns-search", "example.org", "--dns-option", "ndots:2"),
                List.of("--dns", "1.2.3.4", "--dns", "2001:db8::1"),
                List.of("--dns-search", "a.org", "--dns-search", "b.org"),
                List.of("--dns-option", "ndots:3", "--dns-option", "rotate"),
                List.of("--dns-search", "."))) {
            List<String> args = new ArrayList<>(List.of("run", "--rm", "--network", "host"));
            args.addAll(flags);
            args.addAll(List.of("busybox", "cat", "/etc/resolv.conf"));
            Result ref = ownStoreReference(args.toArray(String[]::new));
            assertEquals(ref.toString(), 0, ref.code());
            Result mine = podmanOk(args.toArray(String[]::new));
            assertEquals(String.join(" ", flags), ref.out().strip(), mine.out().strip());
        }
        for (List<String> flags : List.of(List.of("--dns", "foo"), List.of("--dns-search", "a b"),
                List.of("--network", "none", "--dns", "1.2.3.4"), List.of("--dns", "none", "--dns", "1.1.1.1"))) {
            List<String> args = new ArrayList<>(List.of("create"));
            args.addAll(flags);
            args.add("busybox");
            Result ref = ownStoreReference(args.toArray(String[]::new));
            Result mine = jpod.jpod(args.toArray(String[]::new));
            assertEquals(String.join(" ", flags) + ": " + mine, ref.code(), mine.code());
            assertEquals(String.join(" ", flags) + ": " + mine, ref.err().strip(), mine.err().strip());
        }
    }

    /** An address of jpod's default bridge that no container holds: .200 of the subnet a container gets. */
    private static String freeAddress() throws Exception {
        String addr = ok("run", "--rm", "busybox", "sh", "-c",
                "ip -4 -o addr show eth0 | awk '{print $4}'").out().strip();
        String ip = addr.substring(0, addr.indexOf('/'));
        return ip.substring(0, ip.lastIndexOf('.')) + ".200";
    }

    @Test
    public void aPodsContainersSeeItsDnsAddressAndMac() throws Exception {
        String ip = freeAddress();
        String mac = "92:d0:c6:0a:29:33";
        podmanOk("pod", "create", "--name", "dnspod", "--dns", "10.0.0.53", "--dns-search", "pod.example",
                "--dns-option", "ndots:3", "--ip", ip, "--mac-address", mac);
        try {
            Result r = podmanOk("run", "--rm", "--pod", "dnspod", "busybox", "sh", "-c",
                    "cat /etc/resolv.conf; ip addr show eth0; echo fib:$(grep -c ' " + ip + "$' /proc/net/fib_trie)");
            assertTrue(r.out(), r.out().startsWith("search pod.example\nnameserver 10.0.0.53\noptions ndots:3\n"));
            assertTrue(r.out(), r.out().contains("inet " + ip + "/"));
            assertTrue(r.out(), r.out().contains("link/ether " + mac));
            // the kernel's own table has the address as the pod's local one
            assertTrue(r.out(), r.out().matches("(?s).*fib:[1-9].*"));
            assertEquals("[10.0.0.53] [pod.example] [ndots:3] " + ip + " " + mac, podmanOk("pod", "inspect",
                    "--format", "{{.InfraConfig.DNSServer}} {{.InfraConfig.DNSSearch}} {{.InfraConfig.DNSOption}} "
                            + "{{.InfraConfig.StaticIP}} {{.InfraConfig.StaticMAC}}", "dnspod").out().strip());
            // a member cannot choose its own: the pod's network is shared
            r = podman("create", "--pod", "dnspod", "--dns", "1.1.1.1", "busybox", "true");
            assertEquals(r.toString(), 125, r.code());
            assertTrue(r.toString(), r.err().contains("DNS servers, search domains and options must be defined "
                    + "when the pod is created"));
            r = podman("create", "--pod", "dnspod", "--ip", ip.substring(0, ip.lastIndexOf('.')) + ".201",
                    "busybox", "true");
            assertEquals(r.toString(), 125, r.code());
            assertTrue(r.toString(), r.err().contains("networks must be defined when the pod is created"));
            // jpod's own CLI reads the same flags
            Result j = jpod.jpod("pod", "create", "--name", "dnspod2", "--dns", "10.0.0.54", "--dns-option",
                    "rotate");
            assertEquals(j.toString(), 0, j.code());
            j = jpod.jpod("run", "--rm", "--pod", "dnspod2", "busybox", "cat", "/etc/resolv.conf");
            assertEquals(j.toString(), 0, j.code());
            assertTrue(j.out(), j.out().contains("nameserver 10.0.0.54\n"));
            assertTrue(j.out(), j.out().strip().endsWith("options rotate"));
            // --pod new: takes the container's DNS flags to the new pod, as its network is the pod's
            j = jpod.jpod("run", "--rm", "--pod", "new:dnspod3", "--dns", "10.0.0.55", "busybox", "cat",
                    "/etc/resolv.conf");
            assertEquals(j.toString(), 0, j.code());
            assertTrue(j.out(), j.out().contains("nameserver 10.0.0.55"));
            assertEquals("[10.0.0.55]", podmanOk("pod", "inspect", "--format", "{{.InfraConfig.DNSServer}}",
                    "dnspod3").out().strip());
        } finally {
            podman("pod", "rm", "-f", "dnspod3");
            podman("pod", "rm", "-f", "dnspod2");
            podmanOk("pod", "rm", "-f", "dnspod");
        }
    }

    @Test
    public void aPodWithBadValuesLeavesNothingBehind() throws Exception {
        List<String> before = hostNetworking();
        String pods = podmanOk("pod", "ps", "-q").out();
        String ctrs = podmanOk("ps", "-aq").out();
        String ip = freeAddress();
        Result r = podman("pod", "create", "--name", "bad1", "--dns", "not-an-ip");
        assertEquals(r.toString(), 125, r.code());
        assertTrue(r.toString(), r.err().contains("not-an-ip is not an ip address"));
        // past podman's client: the API's own answer names the field
        r = jpod.run(List.of("curl", "-sS", "-w", " %{http_code}", "--unix-socket", jpod.socket.toString(),
                "-H", "Content-Type: application/json", "-d", "{\"name\":\"bad2\",\"dns_search\":[\"a b\"]}",
                "http://d/v4.3.1/libpod/pods/create"), 30);
        assertTrue(r.out(), r.out().endsWith(" 400"));
        assertTrue(r.out(), r.out().contains("dns_search: a b is not a valid domain"));
        r = jpod.run(List.of("curl", "-sS", "-w", " %{http_code}", "--unix-socket", jpod.socket.toString(),
                "-H", "Content-Type: application/json", "-d", "{\"name\":\"bad3\",\"netns\":{\"nsmode\":\"none\"},"
                        + "\"Networks\":{\"default\":{\"static_ips\":[\"" + ip + "\"]}}}",
                "http://d/v4.3.1/libpod/pods/create"), 30);
        assertTrue(r.out(), r.out().endsWith(" 400"));
        assertTrue(r.out(), r.out().contains("can only be set when the network mode is bridge"));
        r = podman("pod", "create", "--name", "bad4", "--network", "host", "--ip", ip);
        assertEquals(r.toString(), 125, r.code());
        assertTrue(r.toString(), r.err().contains("--ip can only be set when the network mode is bridge"));
        r = podman("pod", "create", "--name", "bad5", "--ip", "10.255.255.250");
        assertEquals(r.toString(), 125, r.code());
        assertTrue(r.toString(), r.err().contains("not in any subnet"));
        r = podman("pod", "create", "--name", "bad6", "--network", "none", "--dns", "1.1.1.1");
        assertEquals(r.toString(), 125, r.code());
        assertTrue(r.toString(), r.err().contains("conflicting options: dns and the network mode: none"));
        r = jpod.jpod("pod", "create", "--name", "bad7", "--infra=false", "--dns", "1.1.1.1");
        assertEquals(r.toString(), 125, r.code());
        assertTrue(r.toString(), r.err().contains("NoInfra and DNSServer are mutually exclusive"));
        r = jpod.jpod("pod", "create", "--name", "bad8", "--mac-address", "01:00:5e:00:00:01");
        assertEquals(r.toString(), 125, r.code());
        assertEquals(pods, podmanOk("pod", "ps", "-q").out());
        assertEquals(ctrs, podmanOk("ps", "-aq").out());
        assertEquals(before, hostNetworking());
        assertFalse(podmanOk("pod", "ps", "--format", "{{.Name}}").out().contains("bad"));
    }
}
