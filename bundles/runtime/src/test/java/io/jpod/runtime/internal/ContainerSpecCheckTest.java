package io.jpod.runtime.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.jpod.api.ContainerConfig;
import io.jpod.api.ContainerDns;
import io.jpod.api.Containers;
import io.jpod.api.EngineSystem;
import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;
import io.jpod.api.Mount;
import io.jpod.api.PortMapping;
import io.jpod.api.ProviderKind;
import io.jpod.api.Volumes;
import io.jpod.config.ConfigLoader;
import io.jpod.api.config.RuntimeOptions;
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
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.Test;

/** What a container's config must be before it is stored, and that a refused one leaves nothing behind. */
public class ContainerSpecCheckTest {
    private static final ContainerConfig OK = ContainerConfig.builder().image("busybox").command(List.of("true"))
            .build();

    /** The message of the refusal of OK changed so; it must be INVALID_ARG and name each of {@code names}. */
    private static String refused(UnaryOperator<ContainerConfig.Builder> change, String... names) {
        JpodException e = assertThrows(JpodException.class,
                () -> ContainerSpecCheck.check(change.apply(OK.toBuilder()).build()));
        assertEquals(e.getMessage(), ErrorCode.INVALID_ARG, e.code());
        for (String n : names) {
            assertTrue("names " + n + ": " + e.getMessage(),
                    e.getMessage().toLowerCase(Locale.ROOT).contains(n.toLowerCase(Locale.ROOT)));
        }
        return e.getMessage();
    }

    private static void accepted(UnaryOperator<ContainerConfig.Builder> change) {
        ContainerSpecCheck.check(change.apply(OK.toBuilder()).build());
    }

    private static UnaryOperator<ContainerConfig.Builder> port(String ip, int host, int ctr, String proto, int range) {
        return b -> b.portMappings(List.of(new PortMapping(ip, host, ctr, proto, range)));
    }

    @Test
    public void portsAreOneTo65535WithTheirRangesAndAKnownProtocol() {
        accepted(port("", 8080, 80, "tcp", 1));
        accepted(port("127.0.0.1", 65535, 1, "udp", 1));
        accepted(port("0.0.0.0", 5000, 6000, "sctp", 10));
        refused(port("", 99999, 80, "tcp", 1), "host port 99999", "1 to 65535");
        refused(port("", 0, 80, "tcp", 1), "host port 0");
        refused(port("", -1, 80, "tcp", 1), "host port -1");
        refused(port("", 8080, 0, "tcp", 1), "container port 0");
        refused(port("", 8080, 70000, "tcp", 1), "container port 70000");
        refused(port("", 65530, 80, "tcp", 10), "10 host ports from 65530", "65535");
        refused(port("", 80, 65530, "tcp", 10), "10 container ports from 65530");
        refused(port("", 8080, 80, "icmp", 1), "protocol \"icmp\"", "tcp, udp or sctp");
        refused(port("", 8080, 80, "TCP", 1), "protocol \"TCP\"");
    }

    private static UnaryOperator<ContainerConfig.Builder> dns(String mode, List<String> servers, List<String> searches,
            List<String> options) {
        return b -> b.networkMode(mode).dns(new ContainerDns(servers, searches, options, false));
    }

    @Test
    public void dnsServersAreAddressesSearchDomainsDomainsAndOnlyWithANetwork() {
        accepted(dns("bridge", List.of("1.2.3.4", "2001:db8::1", "::ffff:10.0.0.1"), List.of("example.org", "a-b.c."),
                List.of("ndots:2", "rotate")));
        accepted(dns("host", List.of("127.0.0.53"), List.of("."), List.of()));
        for (String bad : List.of("foo", "1.2.3.999", "01.2.3.4", "1.2.3.4:53", "2001:db8::zz", "", "localhost",
                "::1::2", ".:1", "fe80::1%eth0", "[::1]")) {
            refused(dns("bridge", List.of(bad), List.of(), List.of()), "--dns", "is not an ip address");
        }
        for (String bad : List.of("a b", "-a.org", "a_b.org", "a..b", "", "x".repeat(255), "a.org\nnameserver 6.6.6.6",
                "123", "1.2.3.4", "a.org ")) {
            refused(dns("bridge", List.of(), List.of(bad), List.of()), "--dns-search", "is not a valid domain");
        }
        refused(dns("bridge", List.of(), List.of(".", "a.org"), List.of()), "'.'");
        refused(dns("bridge", List.of(), List.of(), List.of("a b")), "--dns-option", "one word");
        refused(dns("bridge", List.of(), List.of(), List.of("ndots:1\nnameserver 6.6.6.6")), "--dns-option");
        refused(dns("none", List.of("1.1.1.1"), List.of(), List.of()), "conflicting options: dns and the network mode: none");
        refused(dns("container:" + "a".repeat(64), List.of(), List.of("a.org"), List.of()),
                "network mode: container");
        refused(b -> b.dns(new ContainerDns(List.of("1.1.1.1"), null, null, true)), "none is not allowed");
        // podman refuses even --dns none there: any --dns flag with no network
        refused(b -> b.networkMode("none").dns(new ContainerDns(null, null, null, true)), "network mode: none");
    }

    @Test
    public void hostIpsAreIpv4Addresses() {
        for (String bad : List.of("1.2.3.999", "localhost", "abc", "10.0.0", " 10.0.0.1", "::1", "1.2.3.4\0")) {
            refused(port(bad, 8080, 80, "tcp", 1), "host IP", "IPv4");
        }
    }

    @Test
    public void aHostPortIsPublishedOnce() {
        refused(b -> b.portMappings(List.of(new PortMapping("", 8080, 80, "tcp", 1),
                new PortMapping("127.0.0.1", 8080, 81, "tcp", 1))), "8080/tcp", "twice");
        refused(b -> b.portMappings(List.of(new PortMapping("", 8000, 80, "tcp", 10),
                new PortMapping("", 8005, 81, "tcp", 1))), "8005/tcp", "twice");
        accepted(b -> b.portMappings(List.of(new PortMapping("", 8080, 80, "tcp", 1),
                new PortMapping("", 8080, 80, "udp", 1), new PortMapping("127.0.0.1", 8081, 80, "tcp", 1),
                new PortMapping("127.0.0.2", 8081, 80, "tcp", 1))));
    }

    @Test
    public void namesFollowPodmansRuleAndALengthLimit() {
        accepted(b -> b.name("web-1.a_b"));
        accepted(b -> b.name("a".repeat(ContainerSpecCheck.MAX_NAME)));
        refused(b -> b.name("a".repeat(ContainerSpecCheck.MAX_NAME + 1)), "254 characters", "at most 253");
        for (String bad : List.of("-x", "_x", ".x", "a/b", "a b", "été", "a\0b", "a\nb")) {
            refused(b -> b.name(bad), "[a-zA-Z0-9][a-zA-Z0-9_.-]*");
        }
    }

    @Test
    public void envEntriesHaveANameAndNoNul() {
        accepted(b -> b.env(List.of("A=1", "B=", "FROM_THE_SERVICE", "C=x=y")));
        refused(b -> b.env(List.of("=x")), "environment entry \"=x\"", "NAME=VALUE");
        refused(b -> b.env(List.of("")), "environment entry \"\"");
        refused(b -> b.env(List.of("A\0B=1")), "environment entry", "NUL");
        refused(b -> b.env(List.of("A=1\0")), "NUL");
    }

    @Test
    public void labelAndAnnotationKeysAreNotEmptyAndPlain() {
        accepted(b -> b.labels(Map.of("com.example.role", "web", "x", "")));
        refused(b -> b.labels(Map.of("", "v")), "label with an empty key");
        refused(b -> b.labels(Map.of("a=b", "v")), "label key \"a=b\"");
        refused(b -> b.labels(Map.of("a\nb", "v")), "label key \"a\\u000ab\"");
        refused(b -> b.labels(Map.of("a", "v\0")), "label a", "NUL");
        refused(b -> b.annotations(Map.of("", "v")), "annotation with an empty key");
    }

    @Test
    public void mountsHaveAKnownTypeAbsolutePathsAndKnownOptions() {
        accepted(b -> b.mounts(List.of(new Mount("bind", "/tmp", "/data", List.of("ro", "rprivate", "nosuid")),
                new Mount("volume", "", "/cache", List.of()), new Mount("volume", "v1", "/v", List.of("rw", "Z")))));
        refused(b -> b.mounts(List.of(new Mount("tmpfs", "", "/t", List.of()))), "mount type \"tmpfs\"",
                "bind or volume");
        refused(b -> b.mounts(List.of(new Mount("bind", "/tmp", "data", List.of()))),
                "destination \"data\" is not an absolute path");
        refused(b -> b.mounts(List.of(new Mount("bind", "/tmp", "/d\0", List.of()))), "destination", "NUL");
        refused(b -> b.mounts(List.of(new Mount("bind", "/tmp", "/", List.of()))), "root");
        refused(b -> b.mounts(List.of(new Mount("bind", "/tmp", "/a/..", List.of()))), "root");
        refused(b -> b.mounts(List.of(new Mount("bind", "srv", "/d", List.of()))), "source \"srv\"", "absolute");
        refused(b -> b.mounts(List.of(new Mount("bind", "/no/such/jpod/dir", "/d", List.of()))),
                "/no/such/jpod/dir does not exist", "create it");
        refused(b -> b.mounts(List.of(new Mount("bind", "/s\0", "/d", List.of()))), "source", "NUL");
        refused(b -> b.mounts(List.of(new Mount("volume", "bad/name", "/d", List.of()))), "volume name");
        refused(b -> b.mounts(List.of(new Mount("bind", "/tmp", "/d", List.of("bogus")))), "option \"bogus\"");
        refused(b -> b.mounts(List.of(new Mount("bind", "/tmp", "/d", List.of("ro", "rw")))), "conflict");
        refused(b -> b.mounts(List.of(new Mount("bind", "/tmp", "/d", List.of("rshared", "rprivate")))),
                "conflict");
        refused(b -> b.mounts(List.of(new Mount("bind", "/tmp", "/d", List.of()),
                new Mount("volume", "", "/d/", List.of()))), "/d/ is mounted twice");
    }

    @Test
    public void restartPoliciesStopSignalsAndTimeouts() {
        accepted(b -> b.restartPolicy("on-failure").restartRetries(3));
        accepted(b -> b.restartPolicy("unless-stopped"));
        refused(b -> b.restartPolicy("sometimes"), "restart policy \"sometimes\"", "on-failure");
        refused(b -> b.restartPolicy("on-failure").restartRetries(-2), "retries -2", "negative");
        refused(b -> b.restartPolicy("always").restartRetries(2), "only apply to the on-failure policy");
        accepted(b -> b.stopSignal(64).stopTimeout(0));
        refused(b -> b.stopSignal(0), "stop signal 0", "SIGTERM");
        refused(b -> b.stopSignal(65), "stop signal 65");
        refused(b -> b.stopTimeout(-5), "stop timeout -5");
        refused(b -> b.stopTimeout(Long.MAX_VALUE), "stop timeout " + Long.MAX_VALUE);
    }

    @Test
    public void argumentsDirectoriesUsersAndHostnames() {
        refused(b -> b.command(List.of("echo", "a\0b")), "command argument", "NUL");
        refused(b -> b.entrypoint(List.of("\0")), "entrypoint argument");
        refused(b -> b.workingDir("app"), "working directory app", "absolute");
        refused(b -> b.user("root\0"), "user", "NUL");
        refused(b -> b.hostname("h".repeat(65)), "65 characters", "at most 64");
        accepted(b -> b.workingDir("/app").user("1000:1000").hostname("h".repeat(64)));
    }

    /** Through the engine: a refused config takes no lock, makes no volume and stores no container. */
    @Test
    public void aRefusedConfigLeavesTheStoreAsItWas() throws Exception {
        Path dir = Files.createTempDirectory("jpod-spec-check-");
        Map<ProviderKind, Map<String, Provider<?>>> installed = new EnumMap<>(ProviderKind.class);
        for (ProviderKind k : ProviderKind.values()) {
            installed.put(k, new HashMap<>());
        }
        installed.get(ProviderKind.STATE).put("memory", new MemoryStateProvider());
        installed.get(ProviderKind.LOCKS).put("file", new FileLockProvider());
        installed.get(ProviderKind.EVENTS).put("file", new FileEventerProvider());
        installed.get(ProviderKind.OCI_RUNTIME).put("itest", (OciRuntimeProvider) c -> StandIns.standIn(OciRuntime.class, c));
        installed.get(ProviderKind.NETWORK).put("itest", (NetworkProvider) c -> StandIns.standIn(NetworkBackend.class, c));
        installed.get(ProviderKind.STORAGE).put("itest", (StorageProvider) c -> StandIns.standIn(Storage.class, c));
        Path conf = dir.resolve("jpod.conf");
        Files.writeString(conf, StandIns.jpodConf(dir, ""));
        JpodEngine e = new Assembly(ConfigLoader.of(List.of(conf)).load(RuntimeOptions.NONE), RuntimeOptions.NONE,
                installed).assemble();
        try {
            Containers containers = e.service(Containers.class);
            int locks = e.parts().locks().availableLocks().getAsInt();
            ContainerConfig bad = ContainerConfig.builder().name("bad-port").rootfs(dir.toString())
                    .command(List.of("true")).mounts(List.of(new Mount("volume", "", "/cache", List.of()),
                            new Mount("volume", "named", "/named", List.of())))
                    .portMappings(List.of(new PortMapping("", 99999, 80, "tcp", 1))).build();
            JpodException refused = assertThrows(JpodException.class, () -> containers.createContainer(bad));
            assertTrue(refused.getMessage(), refused.getMessage().contains("host port 99999"));
            assertEquals(List.of(), containers.containers(null));
            assertEquals(List.of(), e.service(Volumes.class).volumes());
            assertEquals(locks, e.parts().locks().availableLocks().getAsInt());
        } finally {
            e.service(EngineSystem.class).shutdown(false);
            try (var walk = Files.walk(dir)) {
                for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}
