package io.jpod.rest.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jpod.api.ContainerConfig;
import io.jpod.api.ContainerDns;
import java.util.List;
import org.junit.Test;

/** Docker's and libpod's DNS fields read, bad values refused naming the field, and shown by both inspects. */
public class DnsFieldsTest {
    private final ObjectMapper json = new ObjectMapper();

    private JsonNode parse(String s) {
        try {
            return json.readTree(s);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String refused(Runnable read) {
        ApiException e = assertThrows(ApiException.class, read::run);
        assertEquals(e.getMessage(), 400, e.status);
        return e.getMessage();
    }

    /** What `docker run --dns 1.2.3.4 --dns-search example.org --dns-option ndots:2` sends as HostConfig. */
    @Test
    public void dockerHostConfig() throws Exception {
        ContainerDns d = DnsFields.docker(parse("""
                {"Dns":["1.2.3.4","2001:db8::1"],"DnsSearch":["example.org"],"DnsOptions":["ndots:2"]}"""));
        assertEquals(new ContainerDns(List.of("1.2.3.4", "2001:db8::1"), List.of("example.org"), List.of("ndots:2"),
                false), d);
        assertEquals(ContainerDns.NONE, DnsFields.docker(parse("{\"Dns\":null,\"DnsSearch\":[],\"DnsOptions\":null}")));
        assertEquals("HostConfig.Dns: not-an-ip is not an ip address",
                refused(() -> DnsFields.docker(parse("{\"Dns\":[\"not-an-ip\"]}"))));
        assertEquals("HostConfig.DnsSearch: a b is not a valid domain",
                refused(() -> DnsFields.docker(parse("{\"DnsSearch\":[\"a b\"]}"))));
        assertTrue(refused(() -> DnsFields.docker(parse("{\"DnsOptions\":[\"ndots:1\\nnameserver 6.6.6.6\"]}")))
                .startsWith("HostConfig.DnsOptions: "));
        assertTrue(refused(() -> DnsFields.docker(parse("{\"Dns\":{\"a\":1}}"))).contains("HostConfig.Dns"));
    }

    /** What `podman --remote run --dns 1.2.3.4 --dns-search example.org --dns-option ndots:2` sends. */
    @Test
    public void libpodSpec() throws Exception {
        assertEquals(new ContainerDns(List.of("1.2.3.4"), List.of("example.org"), List.of("ndots:2"), false),
                DnsFields.libpod(parse("""
                        {"dns_server":["1.2.3.4"],"dns_search":["example.org"],"dns_option":["ndots:2"]}""")));
        // --dns none
        assertEquals(new ContainerDns(List.of(), List.of(), List.of(), true),
                DnsFields.libpod(parse("{\"use_image_resolve_conf\":true}")));
        assertEquals("dns_server: none is not allowed to be specified with other DNS ip addresses, search domains "
                + "or options", refused(() -> DnsFields.libpod(parse("""
                        {"use_image_resolve_conf":true,"dns_server":["1.1.1.1"]}"""))));
        assertEquals("dns_server: 1.2.3 is not an ip address",
                refused(() -> DnsFields.libpod(parse("{\"dns_server\":[\"1.2.3\"]}"))));
        assertEquals("dns_search: cannot pass additional search domains when also specifying '.'",
                refused(() -> DnsFields.libpod(parse("{\"dns_search\":[\".\",\"a.org\"]}"))));
    }

    @Test
    public void bothInspectsShowTheListsAndEmptyOnesWhenUnset() {
        ContainerConfig cfg = ContainerConfig.builder().id("x").dns(new ContainerDns(List.of("10.0.0.53"),
                List.of("a.example"), List.of("rotate"), false)).build();
        ObjectNode docker = json.createObjectNode();
        HostConfigView.docker(docker, cfg);
        assertEquals("[\"10.0.0.53\"] [\"a.example\"] [\"rotate\"]", docker.get("Dns") + " " + docker.get("DnsSearch")
                + " " + docker.get("DnsOptions"));
        ObjectNode libpod = json.createObjectNode();
        HostConfigView.libpod(libpod, cfg, null);
        assertEquals("[\"10.0.0.53\"] [\"a.example\"] [\"rotate\"]", libpod.get("Dns") + " " + libpod.get("DnsSearch")
                + " " + libpod.get("DnsOptions"));
        ObjectNode none = json.createObjectNode();
        HostConfigView.docker(none, ContainerConfig.builder().id("x").build());
        assertEquals("[] [] []", none.get("Dns") + " " + none.get("DnsSearch") + " " + none.get("DnsOptions"));
    }
}
