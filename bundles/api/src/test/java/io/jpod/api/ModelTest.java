package io.jpod.api;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.Test;

public class ModelTest {

    @Test
    public void refreshResetsWhatARebootInvalidates() {
        ContainerState running = ContainerState.configured().withStatus(ContainerStatus.RUNNING).withProcess(42, 41)
                .withMountPoint("/m").withNetNsPath("/run/netns/x").withRunDir("/run/jpod/c").withStarted(Instant.now());
        ContainerState r = running.refreshed();
        assertEquals(ContainerStatus.EXITED, r.status());
        assertEquals(0, r.pid());
        assertEquals(0, r.conmonPid());
        assertNull(r.mountPoint());
        assertNull(r.netNsPath());
        assertNull(r.runDir());
        assertEquals(ContainerStatus.CONFIGURED,
                ContainerState.configured().withStatus(ContainerStatus.CREATED).refreshed().status());
        assertEquals(ContainerStatus.EXITED,
                ContainerState.configured().withStatus(ContainerStatus.PAUSED).refreshed().status());
        ContainerState exited = ContainerState.configured().withStatus(ContainerStatus.EXITED)
                .withExit(3, false, Instant.now());
        assertEquals(3, exited.refreshed().exitCode());
    }

    @Test
    public void configIsImmutableAndBuilderRoundTrips() {
        List<String> cmd = new ArrayList<>(List.of("echo", "hi"));
        ContainerConfig c = ContainerConfig.builder().name("a").command(cmd).labels(Map.of("k", "v")).build();
        cmd.add("changed");
        assertEquals(List.of("echo", "hi"), c.command());
        try {
            c.command().add("x");
            fail("lists must be unmodifiable");
        } catch (UnsupportedOperationException expected) {
            // immutable
        }
        assertEquals("no", c.restartPolicy());
        assertEquals(c, c.toBuilder().build());
        assertEquals(7, c.withLockId(7).lockId());
        assertEquals("crun", c.withOciRuntime("crun").ociRuntime());
        PerNetworkOptions o = new PerNetworkOptions(null, " 02:42:0a:5a:00:05 ");
        assertEquals(List.of(), o.staticIps());
        assertEquals("02:42:0a:5a:00:05", o.staticMac());
        assertTrue(new PerNetworkOptions(List.of(), "  ").isEmpty());
        ContainerConfig n = c.withNetworks(List.of("a"), Map.of("a", o));
        assertEquals(o, n.networkOptions("a"));
        assertEquals(PerNetworkOptions.NONE, n.networkOptions("b"));
        assertEquals(n, n.toBuilder().build());
        assertEquals(Map.of("a", o), n.withLockId(3).networkOptions());
    }

    @Test
    public void statusParsesPodmanWordsAndRefusesOthers() {
        assertEquals(ContainerStatus.RUNNING, ContainerStatus.parse("running"));
        assertEquals("exited", ContainerStatus.EXITED.word());
        try {
            ContainerStatus.parse("sleeping");
            fail();
        } catch (JpodException e) {
            assertEquals(ErrorCode.INVALID_ARG, e.code());
            assertTrue(e.getMessage(), e.getMessage().contains("sleeping"));
        }
    }

    @Test
    public void statusMessageNamesMissingAndInstalled() {
        Map<ProviderKind, String> sel = new EnumMap<>(ProviderKind.class);
        sel.put(ProviderKind.STATE, "nosuch");
        Map<ProviderKind, List<String>> inst = new EnumMap<>(ProviderKind.class);
        inst.put(ProviderKind.STATE, List.of("mapdb", "memory"));
        EngineStatus s = new EngineStatus(false, sel, List.of("state:nosuch"), inst, List.of());
        assertFalse(s.assembled());
        assertTrue(s.message(), s.message().startsWith("engine not assembled: missing providers state:nosuch"));
        assertTrue(s.message(), s.message().contains("state=mapdb|memory"));
        assertTrue(s.message(), s.message().contains("network=(none)"));
    }

    @Test
    public void anAssembledStatusMessageEndsWithItsProblems() {
        String dup = "oci-runtime \"runc\" is registered twice: by a [1] (in use) and by b [2] (ignored)";
        EngineStatus s = new EngineStatus(true, Map.of(ProviderKind.OCI_RUNTIME, "runc"), List.of(), Map.of(),
                List.of(dup));
        assertEquals("engine assembled: oci-runtime=runc; " + dup, s.message());
    }

    @Test
    public void exceptionCarriesLibpodText() {
        JpodException e = JpodException.of(ErrorCode.NO_SUCH_CTR, "no container with name or ID \"x\" found");
        assertEquals("no container with name or ID \"x\" found: no such container", e.getMessage());
        assertTrue(JpodException.is(e, ErrorCode.NO_SUCH_CTR));
        assertFalse(JpodException.is(e, ErrorCode.CTR_EXISTS));
    }
}
