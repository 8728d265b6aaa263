package io.jpod.runtime.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import io.jpod.api.Container;
import io.jpod.api.ContainerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** /etc/hosts of peers on one network: each names the others, and a container that leaves is forgotten. */
public class HostsFilesTest {
    @Rule
    public final TemporaryFolder tmp = new TemporaryFolder();

    private static Container ctr(String id, String name) {
        return new Container(ContainerConfig.builder().id(id.repeat(64 / id.length())).name(name).build(), null);
    }

    @Test
    public void peersNameEachOtherBothWaysAndAreForgotten() throws Exception {
        HostsFiles hosts = new HostsFiles(tmp.getRoot().toPath());
        Container a = ctr("a", "web");
        Container b = ctr("b", "db");
        Map<String, List<String>> aAddr = Map.of("net", List.of("10.91.0.2/24"));
        Map<String, List<String>> bAddr = Map.of("net", List.of("10.91.0.3/24"));
        Path fa = hosts.write(a, aAddr, Map.of());
        Map<Container, Map<String, List<String>>> peers = new LinkedHashMap<>();
        peers.put(a, aAddr);
        Path fb = hosts.write(b, bAddr, peers);
        String bs = Files.readString(fb);
        assertTrue(bs, bs.startsWith("127.0.0.1\tlocalhost"));
        assertTrue(bs, bs.contains("10.91.0.3\tbbbbbbbbbbbb db\n"));
        assertTrue(bs, bs.contains("10.91.0.2\taaaaaaaaaaaa web\n"));
        String as = Files.readString(fa);
        assertTrue("the earlier container learns of the later one: " + as, as.contains("10.91.0.3\tbbbbbbbbbbbb db"));
        hosts.remove(b, List.of(a));
        assertFalse(Files.readString(fa).contains("db"));
        assertTrue(Files.readString(fa).contains("10.91.0.2\taaaaaaaaaaaa web"));
        assertFalse(Files.exists(fb));
        assertEquals(null, HostsFiles.line(a, Map.of("net", List.of())));
    }

    @Test
    public void aPeersAliasesAreNamesOfItsLineWithItsNameLast() {
        // compose's service name: peers reach "web" by it
        Container web = new Container(ContainerConfig.builder().id("c".repeat(64)).name("proj_web_1")
                .networks(List.of("back")).networkOptions(Map.of("back", new io.jpod.api.PerNetworkOptions(List.of(), null,
                        List.of("web", "proj_web_1")))).build(), null);
        assertEquals("10.91.0.4\tcccccccccccc web proj_web_1\n",
                HostsFiles.line(web, Map.of("back", List.of("10.91.0.4/24"))));
    }
}
