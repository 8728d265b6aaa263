package io.jpod.cli;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.Test;

/** --dns, --dns-search and --dns-option into libpod's dns_server, dns_search and dns_option, as podman 4.3 sends them. */
public class DnsFlagsTest {
    private static DnsFlags flags(List<String> servers, List<String> searches, List<String> options) {
        DnsFlags f = new DnsFlags();
        f.servers = servers;
        f.searches = searches;
        f.options = options;
        return f;
    }

    private static String spec(DnsFlags f, boolean pod) {
        ObjectNode s = Api.JSON.createObjectNode();
        f.apply(s, pod);
        return s.toString();
    }

    private static String refused(DnsFlags f, boolean pod) {
        return assertThrows(IllegalArgumentException.class, () -> f.apply(Api.JSON.createObjectNode(), pod))
                .getMessage();
    }

    @Test
    public void theValuesGoToTheSpec() {
        assertEquals("{\"dns_server\":[\"1.2.3.4\",\"2001:db8::1\"],\"dns_search\":[\"example.org\"],"
                + "\"dns_option\":[\"ndots:2\"]}", spec(flags(List.of("1.2.3.4", "2001:db8::1"),
                        List.of("example.org"), List.of("ndots:2")), false));
        assertEquals("{}", spec(flags(List.of(), List.of(), List.of()), false));
        assertEquals("{\"dns_search\":[\".\"]}", spec(flags(List.of(), List.of("."), List.of()), false));
        assertEquals("{\"use_image_resolve_conf\":true}", spec(flags(List.of("none"), List.of(), List.of()), false));
    }

    @Test
    public void badValuesAreRefusedWithPodmansWords() {
        assertEquals("foo is not an ip address", refused(flags(List.of("foo"), List.of(), List.of()), false));
        assertEquals("1.2.3.04 is not an ip address", refused(flags(List.of("1.2.3.04"), List.of(), List.of()), false));
        assertEquals("a b is not a valid domain", refused(flags(List.of(), List.of("a b"), List.of()), false));
        assertEquals("-a.org is not a valid domain", refused(flags(List.of(), List.of("-a.org"), List.of()), false));
        assertEquals("cannot pass additional search domains when also specifying '.'",
                refused(flags(List.of(), List.of(".", "a.org"), List.of()), false));
        assertEquals("none is not allowed to be specified with other DNS ip addresses",
                refused(flags(List.of("none", "1.1.1.1"), List.of(), List.of()), false));
        assertEquals("\"a b\" is not a resolver option: give one word such as ndots:2 per option",
                refused(flags(List.of(), List.of(), List.of("a b")), false));
        assertEquals("--dns none is not supported by jpod for pods: give DNS servers or leave the host's",
                refused(flags(List.of("none"), List.of(), List.of()), true));
    }
}
