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
