package io.jpod.clients;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import io.jpod.clients.JpodService.Result;
import java.util.ArrayList;
import java.util.List;
import org.junit.Test;

/**
 * A container's resolver settings, as a user checks them: the resolv.conf that docker run --dns, podman run
 * --dns and jpod run --dns give, inspect's HostConfig (kept through a service restart), and the refusals of
 * bad values.
 */
public class DnsIT extends ClientTestSupport {
    private static Result podman(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("podman", "--remote"));
        cmd.addAll(List.of(args));
        return jpod.run(cmd, 90);
    }

    private static Result podmanOk(String... args) throws Exception {
        Result r = podman(args);
        assertEquals("podman " + String.join(" ", args) + ": " + r, 0, r.code());
        return r;
    }

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
}
