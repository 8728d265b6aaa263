package io.jpod.oci.conmon.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

import io.jpod.api.ContainerDns;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** A container's resolv.conf from the host's and its --dns settings, as podman 4.3 writes it. */
public class ResolvConfTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private ResolvConf host(String content) throws Exception {
        Path f = tmp.getRoot().toPath().resolve("resolv.conf");
        Files.writeString(f, content);
        return new ResolvConf(f);
    }

    private static ContainerDns dns(List<String> servers, List<String> searches, List<String> options) {
        return new ContainerDns(servers, searches, options, false);
    }

    @Test
    public void withoutSettingsTheHostsLinesLessItsLoopbackServers() throws Exception {
        ResolvConf r = host("# comment\nsearch h.example\nnameserver 127.0.0.53\nnameserver 10.0.0.1\n");
        assertEquals("# comment\nsearch h.example\nnameserver 10.0.0.1\n", r.content(false, ContainerDns.NONE));
        assertEquals("# comment\nsearch h.example\nnameserver 127.0.0.53\nnameserver 10.0.0.1\n",
                r.content(true, ContainerDns.NONE));
        assertEquals("nameserver 8.8.8.8\nnameserver 8.8.4.4\n", host("nameserver 127.0.0.1\n")
                .content(false, ContainerDns.NONE));
    }

    @Test
    public void givenServersReplaceTheHostsAndTheirSearchAndOptionsTheHostsWhenGiven() throws Exception {
        ResolvConf r = host("search h.example\nnameserver 10.0.0.1\noptions edns0\n");
        assertEquals("search example.org\nnameserver 1.2.3.4\noptions ndots:2\n",
                r.content(false, dns(List.of("1.2.3.4"), List.of("example.org"), List.of("ndots:2"))));
        // the host's search and options stay when none are given with the servers
        assertEquals("search h.example\nnameserver 1.2.3.4\nnameserver 2001:db8::1\noptions edns0\n",
                r.content(false, dns(List.of("1.2.3.4", "2001:db8::1"), List.of(), List.of())));
        // a loopback server given is kept: the user asked for it
        assertEquals("search h.example\nnameserver 127.0.0.1\noptions edns0\n",
                r.content(false, dns(List.of("127.0.0.1"), List.of(), List.of())));
    }

    @Test
    public void withoutServersTheGivenSearchAndOptionsComeBeforeTheHosts() throws Exception {
        ResolvConf r = host("search h.example\nnameserver 10.0.0.1\noptions edns0\n");
        assertEquals("search a.org h.example\nnameserver 10.0.0.1\noptions edns0\n",
                r.content(false, dns(List.of(), List.of("a.org"), List.of())));
        assertEquals("search h.example\nnameserver 10.0.0.1\noptions ndots:3 edns0\n",
                r.content(false, dns(List.of(), List.of(), List.of("ndots:3"))));
        // "." clears the search domains
        assertEquals("nameserver 10.0.0.1\noptions edns0\n", r.content(false, dns(List.of(), List.of("."), List.of())));
    }

    @Test
    public void dnsNoneWritesNoFile() throws Exception {
        assertNull(host("nameserver 10.0.0.1\n").content(false, new ContainerDns(List.of(), List.of(), List.of(), true)));
    }
}
