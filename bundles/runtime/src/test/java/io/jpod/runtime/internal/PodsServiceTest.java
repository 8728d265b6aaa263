package io.jpod.runtime.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.jpod.api.Container;
import io.jpod.api.ContainerConfig;
import io.jpod.api.ContainerDns;
import io.jpod.api.Containers;
import io.jpod.api.EngineSystem;
import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;
import io.jpod.api.PerNetworkOptions;
import io.jpod.api.Pod;
import io.jpod.api.PodSpec;
import io.jpod.api.Pods;
import io.jpod.api.PortMapping;
import io.jpod.api.ProviderKind;
import io.jpod.api.config.RuntimeOptions;
import io.jpod.config.ConfigLoader;
import io.jpod.events.file.internal.FileEventerProvider;
import io.jpod.lock.file.internal.FileLockProvider;
import io.jpod.spi.Provider;
import io.jpod.spi.network.NetworkBackend;
import io.jpod.spi.network.NetworkProvider;
import io.jpod.spi.oci.OciRuntime;
import io.jpod.spi.oci.OciRuntimeProvider;
import io.jpod.spi.storage.Storage;
import io.jpod.spi.storage.StorageProvider;
import io.jpod.state.memory.internal.MemoryStateProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.After;
import org.junit.Assume;
import org.junit.Before;
import org.junit.Test;

/**
 * Pods through the engine with real state, locks and events (stand-ins for the runtime, network and storage):
 * the infra container and what its members take from it, and what a refused pod leaves (nothing).
 */
public class PodsServiceTest {
    private Path dir;
    private JpodEngine engine;
    private Pods pods;
    private Containers containers;

    @Before
    public void setUp() throws Exception {
        Assume.assumeTrue("catatonit is installed", Files.isRegularFile(InfraContainer.CATATONIT));
        dir = Files.createTempDirectory("jpod-pods-");
        Map<ProviderKind, Map<String, Provider<?>>> installed = new EnumMap<>(ProviderKind.class);
        for (ProviderKind k : ProviderKind.values()) {
            installed.put(k, new HashMap<>());
        }
        installed.get(ProviderKind.STATE).put("memory", new MemoryStateProvider());
        installed.get(ProviderKind.LOCKS).put("file", new FileLockProvider());
        installed.get(ProviderKind.EVENTS).put("file", new FileEventerProvider());
        OciRuntimeProvider rt = c -> StandIns.standIn(OciRuntime.class, c);
        installed.get(ProviderKind.OCI_RUNTIME).put("itest", rt);
        NetworkProvider net = c -> StandIns.standIn(NetworkBackend.class, c);
        installed.get(ProviderKind.NETWORK).put("itest", net);
        StorageProvider st = c -> StandIns.standIn(Storage.class, c);
        installed.get(ProviderKind.STORAGE).put("itest", st);
        Path conf = dir.resolve("jpod.conf");
        Files.writeString(conf, StandIns.jpodConf(dir, ""));
        engine = new Assembly(ConfigLoader.of(List.of(conf)).load(RuntimeOptions.NONE), RuntimeOptions.NONE,
                installed).assemble();
        pods = engine.service(Pods.class);
        containers = engine.service(Containers.class);
    }

    @After
    public void tearDown() throws Exception {
        if (engine != null) {
            engine.service(EngineSystem.class).shutdown(false);
        }
        if (dir != null) {
            try (var walk = Files.walk(dir)) {
                for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private static PodSpec spec(String name, List<String> share, boolean infra, List<PortMapping> ports) {
        return new PodSpec(name, Map.of("a", "b"), null, share, infra, ports, List.of(), "bridge", List.of("jpod"));
    }

    private ContainerConfig.Builder member(String name, String pod) {
        return ContainerConfig.builder().name(name).pod(pod).rootfs(dir.resolve("rootfs").toString())
                .command(List.of("true"));
    }

    @Test
    public void theInfraContainerHoldsWhatTheMembersJoin() throws Exception {
        Pod pod = pods.createPod(spec("web", null, true, List.of(new PortMapping("", 18080, 80, "tcp", 1))));
        assertEquals(List.of("ipc", "net", "uts"), pod.sharedNamespaces());
        Container infra = containers.container(pod.infraContainerId());
        assertEquals(pod.id().substring(0, 12) + "-infra", infra.name());
        assertEquals(pod.id(), infra.config().pod());
        assertEquals(InfraContainer.COMMAND, infra.config().command());
        assertEquals("web", infra.config().hostname());
        assertEquals(18080, infra.config().portMappings().get(0).hostPort());
        Path catatonit = Path.of(infra.config().rootfs(), "catatonit");
        assertEquals(Files.size(InfraContainer.CATATONIT), Files.size(catatonit));
        assertTrue(Files.isExecutable(catatonit));

        Container c = containers.createContainer(member("c1", "web").build());
        assertEquals(pod.id(), c.config().pod());
        assertEquals("container:" + infra.id(), c.config().networkMode());
        assertEquals(Map.of("ipc", "container:" + infra.id(), "uts", "container:" + infra.id()),
                c.config().joinedNamespaces());
        assertEquals("web", c.config().hostname());
        assertEquals(NamespaceJoins.dependencies(c.config()), java.util.Set.of(infra.id()));
        assertEquals(2, pods.podContainers("web").size());
        assertEquals(infra.id(), pods.podContainers("web").get(0).id());
    }

    @Test
    public void membersCannotConfigureTheSharedNetwork() {
        pods.createPod(spec("p", null, true, List.of()));
        JpodException e = assertThrows(JpodException.class, () -> containers.createContainer(member("member", "p")
                .portMappings(List.of(new PortMapping("", 18081, 80, "tcp", 1))).build()));
        assertEquals(ErrorCode.INVALID_ARG, e.code());
        assertTrue(e.getMessage(), e.getMessage().contains("published ports must be defined when the pod is created"));
        e = assertThrows(JpodException.class, () -> containers.createContainer(member("member", "p")
                .networks(List.of("other")).build()));
        assertTrue(e.getMessage(), e.getMessage().contains("networks must be defined when the pod is created"));
        // a name that is no hex prefix, so that the lookup cannot find the infra container by its ID
        assertThrows(JpodException.class, () -> containers.container("member"));
    }

    @Test
    public void aPodNamedByNoOneAndNamesSharedWithContainers() {
        JpodException e = assertThrows(JpodException.class, () -> containers.createContainer(member("c", "nope").build()));
        assertEquals(ErrorCode.NO_SUCH_POD, e.code());
        containers.createContainer(member("taken", null).build());
        e = assertThrows(JpodException.class, () -> pods.createPod(spec("taken", null, true, List.of())));
        assertTrue(e.getMessage(), e.getMessage().contains("taken"));
        assertEquals(List.of(), pods.pods());
        assertEquals(1, containers.containers(null).size());
    }

    @Test
    public void aRefusedPodLeavesNothing() {
        int before = containers.containers(null).size();
        // the infra container's hostname is checked when it is created: the pod goes with it
        PodSpec bad = new PodSpec("bad", Map.of(), "x".repeat(70), null, true, List.of(), List.of(), "bridge", null);
        assertThrows(JpodException.class, () -> pods.createPod(bad));
        assertEquals(List.of(), pods.pods());
        assertEquals(before, containers.containers(null).size());
        // the name and the lock are free again
        Pod again = pods.createPod(spec("bad", null, true, List.of()));
        assertEquals("bad", again.name());
    }

    @Test
    public void sharingIsChecked() {
        assertEquals(List.of("pid", "ipc"), PodCreation.share(spec("x", List.of("pid", "ipc", "pid"), true, List.of())));
        assertEquals(List.of(), PodCreation.share(spec("x", List.of("none"), true, List.of())));
        assertEquals(List.of(), PodCreation.share(spec("x", null, false, List.of())));
        assertTrue(assertThrows(JpodException.class, () -> PodCreation.share(spec("x", List.of("mnt"), true,
                List.of()))).getMessage().contains("mnt"));
        assertTrue(assertThrows(JpodException.class, () -> PodCreation.share(spec("x", List.of("bogus"), true,
                List.of()))).getMessage().contains("bogus"));
        assertTrue(assertThrows(JpodException.class, () -> PodCreation.share(spec("x", List.of("ipc"), false,
                List.of()))).getMessage().contains("without an infra container"));
        JpodException e = assertThrows(JpodException.class, () -> pods.createPod(spec("x", List.of("ipc"), true,
                List.of(new PortMapping("", 18082, 80, "tcp", 1)))));
        assertTrue(e.getMessage(), e.getMessage().contains("add net to --share"));
        assertEquals(List.of(), pods.pods());
    }

    @Test
    public void theInfraContainerGoesOnlyWithItsPod() {
        Pod pod = pods.createPod(spec("p", List.of("ipc", "net", "uts", "pid", "cgroup"), true, List.of()));
        Container infra = containers.container(pod.infraContainerId());
        assertEquals("private", infra.config().joinedNamespaces().get("cgroup"));
        Container c = containers.createContainer(member("c", "p").build());
        assertEquals("container:" + infra.id(), c.config().joinedNamespaces().get("pid"));
        JpodException e = assertThrows(JpodException.class, () -> containers.removeContainer(infra.id(), true));
        assertTrue(e.getMessage(), e.getMessage().contains("infra container of pod"));
        pods.removePod("p", false);
        assertEquals(List.of(), pods.pods());
        assertEquals(List.of(), containers.containers(null));
    }

    @Test
    public void aPodWithoutInfra() {
        Pod pod = pods.createPod(spec("bare", null, false, List.of()));
        assertNull(pod.infraContainerId());
        assertEquals(List.of(), pod.sharedNamespaces());
        Container c = containers.createContainer(member("c", "bare").build());
        assertEquals(pod.id(), c.config().pod());
        assertEquals(Map.of(), c.config().joinedNamespaces());
        assertFalse(c.config().networkMode() != null && c.config().networkMode().startsWith("container:"));
        assertEquals(List.of(pod.id()), pods.prunePods());
        assertEquals(List.of(), containers.containers(null));
    }

    private static PodSpec dnsSpec(String name, boolean infra, String mode, ContainerDns dns,
            Map<String, PerNetworkOptions> statics) {
        return new PodSpec(name, Map.of(), null, null, infra, List.of(), List.of(), mode, List.of(), dns, statics);
    }

    @Test
    public void theInfraContainerKeepsThePodsDnsAndAddressAndMembersCannotChooseTheirOwn() {
        ContainerDns dns = new ContainerDns(List.of("10.0.0.53"), List.of("pod.example"), List.of("ndots:3"), false);
        Pod pod = pods.createPod(dnsSpec("dnspod", true, "bridge", dns, Map.of()));
        Container infra = containers.container(pod.infraContainerId());
        assertEquals(dns, infra.config().dns());
        Container member = containers.createContainer(member("plain", "dnspod").build());
        // the member's own config asks nothing: it reads the infra container's resolv.conf when it starts
        assertEquals(ContainerDns.NONE, member.config().dns());
        JpodException e = assertThrows(JpodException.class, () -> containers.createContainer(member("own", "dnspod")
                .dns(new ContainerDns(List.of("1.1.1.1"), null, null, false)).build()));
        assertEquals(ErrorCode.INVALID_ARG, e.code());
        assertTrue(e.getMessage(), e.getMessage().contains("DNS servers, search domains and options must be defined "
                + "when the pod is created"));
    }

    @Test
    public void badPodDnsAndStaticsLeaveNothing() {
        int before = containers.containers(null).size();
        ContainerDns servers = new ContainerDns(List.of("1.1.1.1"), null, null, false);
        Map<String, PerNetworkOptions> statics = Map.of("podman", new PerNetworkOptions(List.of("10.88.0.77"), null));
        for (Object[] c : new Object[][] {
            {dnsSpec("b1", true, "bridge", new ContainerDns(List.of("foo"), null, null, false), Map.of()),
                "--dns: foo is not an ip address"},
            {dnsSpec("b2", true, "bridge", new ContainerDns(null, List.of("a b"), null, false), Map.of()),
                "--dns-search: a b is not a valid domain"},
            {dnsSpec("b3", true, "none", servers, Map.of()), "conflicting options: dns and the network mode: none"},
            {dnsSpec("b4", false, "bridge", servers, Map.of()), "NoInfra and DNSServer are mutually exclusive"},
            {dnsSpec("b5", true, "host", ContainerDns.NONE, statics), "can only be set when the network mode is bridge"},
            {dnsSpec("b6", true, "none", ContainerDns.NONE, statics), "can only be set when the network mode is bridge"},
            {dnsSpec("b7", false, "bridge", ContainerDns.NONE, statics), "without infra container"},
        }) {
            JpodException e = assertThrows(JpodException.class, () -> pods.createPod((PodSpec) c[0]));
            assertEquals(ErrorCode.INVALID_ARG, e.code());
            assertTrue(e.getMessage(), e.getMessage().contains((String) c[1]));
        }
        assertEquals(List.of(), pods.pods());
        assertEquals(before, containers.containers(null).size());
        // no lock was taken: the next pod and its infra container get the first two
        Pod after = pods.createPod(spec("after", null, true, List.of()));
        assertEquals(0, after.lockId());
        assertEquals(1, containers.container(after.infraContainerId()).config().lockId());
    }
}
