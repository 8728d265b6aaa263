package io.jpod.clients;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import io.jpod.clients.JpodService.Result;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.Test;

/**
 * Networking through the docker CLI: published ports answered from the host on loopback, containers on
 * one network reaching each other, --network none, network commands, and no veth, bridge, firewall rule
 * or network namespace left once the containers and networks are gone. Traffic only to loopback and
 * to the test's own containers on its own bridges.
 */
public class NetworkIT extends ClientTestSupport {
    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Cleanup that must not hide the failure before it. */
    private static void quietly(String... args) throws Exception {
        jpod.docker(args);
    }

    /** A JSON POST to the service: "STATUS BODY". */
    private static String postJson(String path, String body) throws Exception {
        Result r = jpod.run(List.of("curl", "-sS", "--max-time", "10", "--unix-socket", jpod.socket.toString(), "-X",
                "POST", "-H", "Content-Type: application/json", "-d", body, "-w", "\n%{http_code}", "http://d" + path), 20);
        int nl = r.out().lastIndexOf('\n');
        return r.out().substring(nl + 1) + " " + r.out().substring(0, Math.max(nl, 0));
    }

    @Test
    public void publishedPortAnswersOnLoopbackAndNothingLeaks() throws Exception {
        List<String> before = hostNetworking();
        int port = freePort();
        String id = ok("run", "-d", "-p", "127.0.0.1:" + port + ":80", "busybox", "httpd", "-f", "-p", "80", "-h",
                "/etc").out();
        assertEquals("127.0.0.1:" + port + "->80/tcp", ok("ps", "--format", "{{.Ports}}", "--filter", "id=" + id).out());
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> r = null;
        long end = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < end) {
            try {
                r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/hostname"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                break;
            } catch (java.io.IOException notYet) {
                Thread.sleep(200);
            }
        }
        assertTrue("httpd never answered on 127.0.0.1:" + port, r != null);
        assertEquals(200, r.statusCode());
        assertEquals(id.substring(0, 12), r.body().trim());
        Result twice = jpod.docker("run", "-d", "-p", "127.0.0.1:" + port + ":80", "busybox", "true");
        assertEquals(125, twice.code());
        assertTrue(twice.err(), twice.err().contains("host port " + port + "/tcp is already published"));
        ok("rm", "-f", id);
        for (String c : ok("ps", "-aq").out().split("\\s+")) {
            if (!c.isBlank()) {
                ok("rm", "-f", c);
            }
        }
        List<String> after = hostNetworking();
        after.remove("link jpod0");
        List<String> was = new ArrayList<>(before);
        was.remove("link jpod0");
        assertEquals(was, after);
    }

    @Test
    public void containersOnOneNetworkReachEachOtherAndTheNetworkGoesCleanly() throws Exception {
        List<String> before = hostNetworking();
        String net = ok("network", "create", "--subnet", "10.98.7.0/24", "--label", "owner=jpod-tests", "jpod-it-net").out();
        assertEquals(64, net.length());
        assertEquals("10.98.7.0/24", ok("network", "inspect", "-f", "{{range .IPAM.Config}}{{.Subnet}}{{end}}",
                "jpod-it-net").out());
        assertTrue(ok("network", "ls", "--format", "{{.Name}}").out().contains("jpod-it-net"));
        String server = ok("run", "-d", "--name", "jpod-it-server", "--network", "jpod-it-net", "busybox", "httpd", "-f",
                "-p", "80", "-h", "/etc").out();
        String ip = ok("inspect", "-f", "{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}", server).out();
        assertTrue(ip, ip.startsWith("10.98.7."));
        Result client = jpod.docker("run", "--rm", "--network", "jpod-it-net", "busybox", "sh", "-c",
                "printf 'GET /hostname HTTP/1.0\\r\\n\\r\\n' | nc -w 5 " + ip + " 80 | grep -q '200 OK'");
        assertEquals(client.toString(), 0, client.code());
        Result byName = jpod.docker("run", "--rm", "--network", "jpod-it-net", "busybox", "sh", "-c",
                "printf 'GET /hostname HTTP/1.0\\r\\n\\r\\n' | nc -w 5 jpod-it-server 80 | grep -q '200 OK'");
        assertEquals("the server by its name in /etc/hosts: " + byName, 0, byName.code());
        Result inUse = jpod.docker("network", "rm", "jpod-it-net");
        assertNotEquals(0, inUse.code());
        assertTrue(inUse.err(), inUse.err().contains("network is being used"));
        ok("rm", "-f", server);
        ok("network", "rm", "jpod-it-net");
        assertNotEquals(0, jpod.docker("network", "inspect", "jpod-it-net").code());
        assertEquals(before, hostNetworking());
    }

    @Test
    public void connectAndDisconnectARunningContainer() throws Exception {
        List<String> before = hostNetworking();
        ok("network", "create", "jpod-it-a");
        ok("network", "create", "jpod-it-b");
        ok("run", "-d", "--name", "jpod-it-b-server", "--network", "jpod-it-b", "busybox", "httpd", "-f", "-p", "80",
                "-h", "/etc");
        String ip = ok("inspect", "-f", "{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}", "jpod-it-b-server")
                .out();
        ok("run", "-d", "--name", "jpod-it-roamer", "--network", "jpod-it-a", "busybox", "sleep", "300");
        ok("network", "connect", "jpod-it-b", "jpod-it-roamer");
        String nets = ok("inspect", "-f", "{{range $k, $v := .NetworkSettings.Networks}}{{$k}} {{end}}",
                "jpod-it-roamer").out();
        assertEquals("jpod-it-a jpod-it-b", nets);
        Path ns = Path.of(ok("inspect", "-f", "{{.NetworkSettings.SandboxKey}}", "jpod-it-roamer").out());
        Result reach = jpod.run(List.of("nsenter", "--net=" + ns, "sh", "-c",
                "printf 'GET /hostname HTTP/1.0\\r\\n\\r\\n' | busybox nc -w 5 " + ip + " 80"), 20);
        assertTrue(reach.toString(), reach.out().contains("200 OK"));
        ok("network", "disconnect", "jpod-it-b", "jpod-it-roamer");
        assertEquals("jpod-it-a", ok("inspect", "-f", "{{range $k, $v := .NetworkSettings.Networks}}{{$k}}{{end}}",
                "jpod-it-roamer").out());
        Result again = jpod.docker("network", "disconnect", "jpod-it-b", "jpod-it-roamer");
        assertNotEquals(0, again.code());
        assertTrue(again.err(), again.err().contains("is not connected to network jpod-it-b"));
        ok("rm", "-f", "jpod-it-roamer", "jpod-it-b-server");
        ok("network", "rm", "jpod-it-a", "jpod-it-b");
        assertEquals(before, hostNetworking());
    }

    /** docker run --network NET --ip/--mac-address: exactly those inside, in inspect and /etc/hosts; a taken one. */
    @Test
    public void staticAddressAndMacThroughDocker() throws Exception {
        List<String> before = hostNetworking();
        try {
            ok("network", "create", "--subnet", "10.98.10.0/24", "jpod-it-static");
            String mac = "02:42:0a:62:0a:32";
            ok("run", "-d", "--name", "jpod-it-fixed", "--hostname", "fixed", "--network", "jpod-it-static", "--ip",
                    "10.98.10.50", "--mac-address", mac, "busybox", "httpd", "-f", "-p", "80", "-h", "/etc");
            assertTrue(ok("exec", "jpod-it-fixed", "ip", "-4", "-o", "addr", "show", "eth0").out()
                    .contains("inet 10.98.10.50/24"));
            assertEquals(mac, ok("exec", "jpod-it-fixed", "cat", "/sys/class/net/eth0/address").out());
            assertEquals("10.98.10.50 24 10.98.10.1 " + mac + " 10.98.10.50", ok("inspect", "-f",
                    "{{range .NetworkSettings.Networks}}{{.IPAddress}} {{.IPPrefixLen}} {{.Gateway}} {{.MacAddress}} "
                            + "{{.IPAMConfig.IPv4Address}}{{end}}", "jpod-it-fixed").out());
            // a peer finds it by name at the static address, and reaches it there
            Result hosts = jpod.docker("run", "--rm", "--network", "jpod-it-static", "busybox", "sh", "-c",
                    "grep -w jpod-it-fixed /etc/hosts && printf 'GET /hostname HTTP/1.0\\r\\n\\r\\n' | nc -w 5 jpod-it-fixed 80");
            assertEquals(hosts.toString(), 0, hosts.code());
            assertTrue(hosts.out(), hosts.out().startsWith("10.98.10.50") && hosts.out().endsWith("fixed"));
            assertTrue(ok("exec", "jpod-it-fixed", "cat", "/etc/hosts").out().contains("10.98.10.50"));

            // the same address for a second container: refused at start, naming it; nothing of it left behind
            List<String> during = hostNetworking();
            Path reserved = jpod.dir.resolve("run/cni/networks/jpod-it-static/10.98.10.50");
            String holder = ok("inspect", "-f", "{{.Id}}", "jpod-it-fixed").out();
            assertEquals(holder, Files.readString(reserved).lines().findFirst().orElse(""));
            Result dup = jpod.docker("run", "-d", "--name", "jpod-it-dup", "--network", "jpod-it-static", "--ip",
                    "10.98.10.50", "busybox", "sleep", "300");
            assertEquals(dup.toString(), 125, dup.code());
            assertTrue(dup.err(), dup.err().contains("requested static ip 10.98.10.50 is already in use on network "
                    + "jpod-it-static by container " + holder.substring(0, 12)));
            assertEquals(during, hostNetworking());
            assertEquals(holder, Files.readString(reserved).lines().findFirst().orElse(""));
            ok("rm", "-f", "jpod-it-dup");
            assertEquals(during, hostNetworking());

            // bad input: podman's words, Docker's statuses
            Result outside = jpod.docker("run", "--rm", "--network", "jpod-it-static", "--ip", "10.99.0.5", "busybox", "true");
            assertEquals(outside.toString(), 125, outside.code());
            assertTrue(outside.err(), outside.err().contains("requested static ip 10.99.0.5 not in any subnet on network "
                    + "jpod-it-static"));
            Result none = jpod.docker("run", "--rm", "--network", "none", "--ip", "10.98.10.51", "busybox", "true");
            assertEquals(none.toString(), 125, none.code());
            assertTrue(none.err(), none.err().contains("cannot set static IP or MAC address if not creating a network "
                    + "namespace"));
            String malformed = postJson("/v1.44/containers/create", """
                    {"Image": "busybox", "HostConfig": {"NetworkMode": "jpod-it-static"}, "NetworkingConfig":
                     {"EndpointsConfig": {"jpod-it-static": {"IPAMConfig": {"IPv4Address": "10.98.10.300"}}}}}""");
            assertTrue(malformed, malformed.startsWith("400 ") && malformed
                    .contains("\\\"10.98.10.300\\\" is not an ip address"));
            String badMac = postJson("/v1.44/containers/create", """
                    {"Image": "busybox", "HostConfig": {"NetworkMode": "jpod-it-static"}, "NetworkingConfig":
                     {"EndpointsConfig": {"jpod-it-static": {"MacAddress": "02:42:zz:00:00:01"}}}}""");
            assertTrue(badMac, badMac.startsWith("400 ") && badMac
                    .contains("address 02:42:zz:00:00:01: invalid MAC address"));

            // network connect --ip onto a running container; the address stays through a restart
            ok("network", "create", "--subnet", "10.98.11.0/24", "jpod-it-static2");
            ok("network", "connect", "--ip", "10.98.11.7", "jpod-it-static2", "jpod-it-fixed");
            assertTrue(ok("exec", "jpod-it-fixed", "ip", "-4", "-o", "addr", "show", "eth1").out()
                    .contains("inet 10.98.11.7/24"));
            ok("stop", "-t", "1", "jpod-it-fixed");
            ok("start", "jpod-it-fixed");
            assertEquals("jpod-it-static=10.98.10.50/" + mac + " jpod-it-static2=10.98.11.7/", ok("inspect", "-f",
                    "{{range $k, $v := .NetworkSettings.Networks}}{{$k}}={{$v.IPAddress}}/{{$v.MacAddress}} {{end}}",
                    "jpod-it-fixed").out().replaceAll("jpod-it-static2=10.98.11.7/\\S+", "jpod-it-static2=10.98.11.7/"));
            ok("rm", "-f", "jpod-it-fixed");
            ok("network", "rm", "jpod-it-static", "jpod-it-static2");
        } finally {
            quietly("rm", "-f", "jpod-it-fixed", "jpod-it-dup");
            quietly("network", "rm", "jpod-it-static", "jpod-it-static2");
        }
        assertEquals(before, hostNetworking());
    }

    /** bin/jpod run --ip --mac-address, on a named network and on the default one; podman's refusals. */
    @Test
    public void staticAddressAndMacThroughTheJpodCli() throws Exception {
        List<String> before = hostNetworking();
        try {
            ok("network", "create", "--subnet", "10.98.12.0/24", "jpod-it-cli-net");
            Result run = jpod.jpod("run", "-d", "--name", "jpod-it-cli-fixed", "--network", "jpod-it-cli-net", "--ip",
                    "10.98.12.60", "--mac-address", "02:42:0a:62:0c:3c", "busybox", "sleep", "300");
            assertEquals(run.toString(), 0, run.code());
            Result addr = jpod.jpod("exec", "jpod-it-cli-fixed", "sh", "-c",
                    "ip -4 -o addr show eth0; cat /sys/class/net/eth0/address");
            assertTrue(addr.toString(), addr.out().contains("inet 10.98.12.60/24") && addr.out().endsWith("02:42:0a:62:0c:3c"));
            assertEquals("10.98.12.60 02:42:0a:62:0c:3c", ok("inspect", "-f",
                    "{{range .NetworkSettings.Networks}}{{.IPAddress}} {{.MacAddress}}{{end}}", "jpod-it-cli-fixed").out());
            Result taken = jpod.jpod("run", "--rm", "--network", "jpod-it-cli-net", "--ip", "10.98.12.60", "busybox", "true");
            assertEquals(taken.toString(), 125, taken.code());
            assertTrue(taken.err(), taken.err().startsWith("Error: ") && taken.err().contains("10.98.12.60 is already in use"));
            // podman's "default" network: the default bridge network
            Result dflt = jpod.jpod("run", "--rm", "--ip", "10.90.77.7", "--mac-address", "02:42:0a:5a:4d:07", "busybox",
                    "sh", "-c", "ip -4 -o addr show eth0; cat /sys/class/net/eth0/address");
            assertEquals(dflt.toString(), 0, dflt.code());
            assertTrue(dflt.out(), dflt.out().contains("inet 10.90.77.7/16") && dflt.out().endsWith("02:42:0a:5a:4d:07"));
            Result two = jpod.jpod("run", "--rm", "--network", "jpod-it-cli-net", "--network", "jpod", "--ip",
                    "10.98.12.61", "busybox", "true");
            assertEquals(two.toString(), 125, two.code());
            assertEquals("Error: --ip can only be set for a single network: invalid argument", two.err());
            Result none = jpod.jpod("run", "--rm", "--network", "none", "--mac-address", "02:42:0a:62:0c:3d", "busybox",
                    "true");
            assertEquals(none.toString(), 125, none.code());
            assertEquals("Error: --mac-address can only be set when the network mode is bridge: invalid argument", none.err());
            Result bad = jpod.jpod("run", "--rm", "--network", "jpod-it-cli-net", "--ip", "10.98.12.300", "busybox", "true");
            assertEquals(bad.toString(), 125, bad.code());
            assertEquals("Error: \"10.98.12.300\" is not an ip address", bad.err());
            ok("rm", "-f", "jpod-it-cli-fixed");
            ok("network", "rm", "jpod-it-cli-net");
        } finally {
            quietly("rm", "-f", "jpod-it-cli-fixed");
            quietly("network", "rm", "jpod-it-cli-net");
        }
        List<String> after = hostNetworking();
        after.remove("link jpod0");
        List<String> was = new ArrayList<>(before);
        was.remove("link jpod0");
        assertEquals(was, after);
    }

    @Test
    public void networkNoneHasOnlyLoopback() throws Exception {
        Result r = jpod.docker("run", "--rm", "--network", "none", "busybox", "sh", "-c",
                "[ \"$(ls /sys/class/net)\" = lo ]");
        assertEquals(r.toString(), 0, r.code());
    }

    @Test
    public void badNetworksAreRefused() throws Exception {
        Result overlap = jpod.docker("network", "create", "--subnet", "10.90.3.0/24", "jpod-it-overlap");
        assertNotEquals(0, overlap.code());
        assertTrue(overlap.err(), overlap.err().contains("overlaps with network"));
        Result gateway = jpod.docker("network", "create", "--subnet", "10.98.8.0/24", "--gateway", "10.98.9.1",
                "jpod-it-gw");
        assertNotEquals(0, gateway.code());
        // the docker CLI checks this one itself; the API refuses it too (unit-tested in network-cni)
        assertTrue(gateway.err(), gateway.err().contains("10.98.9.1"));
        Result malformed = jpod.docker("network", "create", "--subnet", "10.98.300.0/24", "jpod-it-bad");
        assertNotEquals(0, malformed.code());
        Result unknown = jpod.docker("run", "--rm", "--network", "jpod-no-such-net", "busybox", "true");
        assertEquals(125, unknown.code());
        assertTrue(unknown.err(), unknown.err().contains("jpod-no-such-net"));
        assertEquals("", ok("network", "ls", "-q", "--filter", "name=jpod-it-").out());
    }
}
