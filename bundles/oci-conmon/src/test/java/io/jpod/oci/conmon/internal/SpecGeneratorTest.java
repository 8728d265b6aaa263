package io.jpod.oci.conmon.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jpod.api.ContainerConfig;
import io.jpod.api.ContainerDns;
import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;
import io.jpod.api.Mount;
import io.jpod.api.config.ContainersConfig;
import io.jpod.api.config.JpodConfig;
import io.jpod.config.ConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class SpecGeneratorTest {
    private static final String ID = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();
    private final ObjectMapper json = new ObjectMapper();

    private JsonNode spec(ContainerConfig cfg, JpodConfig conf, HostLimits limits) throws Exception {
        Path rootfs = tmp.getRoot().toPath().resolve("rootfs");
        Files.createDirectories(rootfs.resolve("etc"));
        Files.writeString(rootfs.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\n"
                + "app:x:1000:1000:app:/home/app:/bin/sh\n");
        Files.writeString(rootfs.resolve("etc/group"), "root:x:0:\napp:x:1000:\nwheel:x:10:app,other\n");
        Path resolv = tmp.getRoot().toPath().resolve("resolv.conf");
        Files.writeString(resolv, "search example\nnameserver 127.0.0.53\nnameserver 10.0.0.1\n");
        return new SpecGenerator(json, conf, limits, resolv).generate(cfg, rootfs, null,
                tmp.getRoot().toPath().resolve("run"));
    }

    private static ContainerConfig.Builder base() {
        return ContainerConfig.builder().id(ID).name("c1").command(List.of("echo", "hello"));
    }

    private static List<String> texts(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.forEach(e -> out.add(e.asText()));
        return out;
    }

    @Test
    public void podmansDefaults() throws Exception {
        JsonNode s = spec(base().entrypoint(List.of("/bin/sh", "-c")).env(List.of("FOO=bar")).workingDir("/tmp")
                .build(), ConfigLoader.defaults(), HostLimits.parse(List.of(
                        "Max processes             96364                96364                processes",
                        "Max open files            20000                20000                files")));
        assertEquals(List.of("/bin/sh", "-c", "echo", "hello"), texts(s.at("/process/args")));
        List<String> env = texts(s.at("/process/env"));
        assertTrue(env.toString(), env.contains("FOO=bar"));
        assertTrue(env.toString(), env.contains(SpecGenerator.DEFAULT_PATH));
        assertTrue(env.toString(), env.contains("HOSTNAME=0123456789ab"));
        assertTrue(env.toString(), env.contains("HOME=/root"));
        assertEquals("/tmp", s.at("/process/cwd").asText());
        assertEquals(0, s.at("/process/user/uid").asInt());
        assertEquals(18, s.at("/process/user/umask").asInt());
        assertFalse(s.at("/process/noNewPrivileges").asBoolean(true));
        assertTrue(texts(s.at("/process/capabilities/effective")).contains("CAP_CHOWN"));
        assertEquals(11, s.at("/process/capabilities/bounding").size());
        // rlimits never above the host's hard limits
        assertEquals("RLIMIT_NOFILE", s.at("/process/rlimits/0/type").asText());
        assertEquals(20000, s.at("/process/rlimits/0/hard").asLong());
        assertEquals(20000, s.at("/process/rlimits/0/soft").asLong());
        assertEquals(96364, s.at("/process/rlimits/1/hard").asLong());
        assertEquals("0123456789ab", s.at("/hostname").asText());
        List<String> dests = new ArrayList<>();
        s.at("/mounts").forEach(m -> dests.add(m.get("destination").asText()));
        assertEquals(List.of("/proc", "/dev", "/dev/pts", "/dev/mqueue", "/sys", "/sys/fs/cgroup", "/dev/shm",
                "/etc/hostname", "/etc/hosts", "/etc/resolv.conf", "/run/.containerenv"), dests);
        List<String> ns = new ArrayList<>();
        s.at("/linux/namespaces").forEach(n -> ns.add(n.get("type").asText()));
        assertEquals(List.of("pid", "ipc", "uts", "mount", "network"), ns);
        assertEquals("/jpod_parent/jpod-" + ID, s.at("/linux/cgroupsPath").asText());
        assertEquals("0 0", s.at("/linux/sysctl/net.ipv4.ping_group_range").asText());
        assertEquals(2048, s.at("/linux/resources/pids/limit").asInt());
        assertTrue(texts(s.at("/linux/maskedPaths")).contains("/proc/kcore"));
        assertTrue(texts(s.at("/linux/readonlyPaths")).contains("/proc/sys"));
        assertEquals("jpod", s.at("/annotations/io.container.manager").asText());
        if (Files.exists(Path.of("/usr/share/containers/seccomp.json"))) {
            assertEquals("SCMP_ACT_ERRNO", s.at("/linux/seccomp/defaultAction").asText());
            assertTrue(s.at("/linux/seccomp/syscalls").size() > 2);
        }
        String resolv = Files.readString(tmp.getRoot().toPath().resolve("run/resolv.conf"));
        assertFalse(resolv, resolv.contains("127.0.0.53"));
        assertTrue(resolv, resolv.contains("nameserver 10.0.0.1"));
        assertTrue(Files.readString(tmp.getRoot().toPath().resolve("run/hosts")).contains("0123456789ab"));
    }

    @Test
    public void userByNameGetsGroupsAndOnlyBoundingCaps() throws Exception {
        JsonNode s = spec(base().user("app").build(), ConfigLoader.defaults(), new HostLimits(Map.of()));
        assertEquals(1000, s.at("/process/user/uid").asInt());
        assertEquals(1000, s.at("/process/user/gid").asInt());
        assertEquals(List.of("10"), texts(s.at("/process/user/additionalGids")));
        assertEquals(0, s.at("/process/capabilities/effective").size());
        assertEquals(11, s.at("/process/capabilities/bounding").size());
        assertTrue(texts(s.at("/process/env")).contains("HOME=/home/app"));
        JsonNode n = spec(base().user("1234:wheel").build(), ConfigLoader.defaults(), new HostLimits(Map.of()));
        assertEquals(1234, n.at("/process/user/uid").asInt());
        assertEquals(10, n.at("/process/user/gid").asInt());
        try {
            spec(base().user("nobody").build(), ConfigLoader.defaults(), new HostLimits(Map.of()));
            fail();
        } catch (JpodException e) {
            assertEquals(ErrorCode.INVALID_ARG, e.code());
            assertTrue(e.getMessage(), e.getMessage().contains("unable to find user nobody"));
        }
    }

    @Test
    public void ulimitsFromConfigAreClamped() throws Exception {
        JpodConfig d = ConfigLoader.defaults();
        ContainersConfig c = d.containers();
        ContainersConfig cc = new ContainersConfig(c.defaultCapabilities(), c.defaultSysctls(),
                List.of("nofile=1024:99999", "core=-1"), c.env(), c.logDriver(), c.logSizeMax(), c.pidsLimit(),
                c.shmSize(), "", c.tz(), c.umask(), c.init(), List.of("a=b"));
        JsonNode s = spec(base().build(), new JpodConfig(cc, d.engine(), d.network(), d.storage()),
                HostLimits.parse(List.of("Max open files            20000                20000                files")));
        assertEquals(1024, s.at("/process/rlimits/0/soft").asLong());
        assertEquals(20000, s.at("/process/rlimits/0/hard").asLong());
        assertEquals("RLIMIT_CORE", s.at("/process/rlimits/2/type").asText());
        assertEquals("18446744073709551615", s.at("/process/rlimits/2/hard").asText());
        // no seccomp_profile: the built-in default, as podman's
        assertEquals("SCMP_ACT_ERRNO", s.at("/linux/seccomp/defaultAction").asText());
        assertEquals("b", s.at("/annotations/a").asText());
        ContainersConfig unconfined = new ContainersConfig(c.defaultCapabilities(), c.defaultSysctls(),
                c.defaultUlimits(), c.env(), c.logDriver(), c.logSizeMax(), c.pidsLimit(), c.shmSize(), "unconfined",
                c.tz(), c.umask(), c.init(), c.annotations());
        assertTrue(spec(base().build(), new JpodConfig(unconfined, d.engine(), d.network(), d.storage()),
                new HostLimits(Map.of())).at("/linux/seccomp").isMissingNode());
    }

    @Test
    public void hostNetworkAndBindMounts() throws Exception {
        JsonNode s = spec(base().networkMode("host").mounts(List.of(new Mount("bind", "/srv", "/data", List.of("ro"))))
                .build(), ConfigLoader.defaults(), new HostLimits(Map.of()));
        List<String> ns = new ArrayList<>();
        s.at("/linux/namespaces").forEach(n -> ns.add(n.get("type").asText()));
        assertFalse(ns.contains("network"));
        assertTrue(s.at("/linux/sysctl").isEmpty());
        JsonNode sys = s.at("/mounts/4");
        assertEquals("bind", sys.get("type").asText());
        JsonNode data = s.at("/mounts/7");
        assertEquals("/data", data.get("destination").asText());
        assertEquals(List.of("ro", "rbind", "rprivate"), texts(data.get("options")));
    }

    @Test
    public void seccompConversionFollowsCapsAndArch() throws Exception {
        JsonNode in = json.readTree("{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"defaultErrnoRet\":38,"
                + "\"archMap\":[{\"architecture\":\"SCMP_ARCH_X86_64\",\"subArchitectures\":[\"SCMP_ARCH_X86\"]}],"
                + "\"syscalls\":[{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\"},"
                + "{\"names\":[\"mount\"],\"action\":\"SCMP_ACT_ALLOW\",\"includes\":{\"caps\":[\"CAP_SYS_ADMIN\"]}},"
                + "{\"names\":[\"arch_prctl\"],\"action\":\"SCMP_ACT_ALLOW\",\"includes\":{\"arches\":[\"amd64\"]}},"
                + "{\"names\":[\"chroot\"],\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":1,"
                + "\"excludes\":{\"caps\":[\"CAP_SYS_CHROOT\"]}}]}");
        JsonNode out = Seccomp.convert(json, in, List.of("CAP_SYS_CHROOT"), "amd64");
        assertEquals(List.of("SCMP_ARCH_X86_64", "SCMP_ARCH_X86"), texts(out.get("architectures")));
        List<String> names = new ArrayList<>();
        out.get("syscalls").forEach(sc -> names.addAll(texts(sc.get("names"))));
        assertEquals(List.of("read", "arch_prctl"), names);
        assertEquals(38, out.get("defaultErrnoRet").asInt());
    }

    @Test
    public void theContainersDnsIsItsResolvConfAndDnsNoneMountsNone() throws Exception {
        spec(base().dns(new ContainerDns(List.of("1.2.3.4"), List.of("example.org"), List.of("ndots:2"), false))
                .build(), ConfigLoader.defaults(), HostLimits.parse(List.of()));
        assertEquals("search example.org\nnameserver 1.2.3.4\noptions ndots:2\n",
                Files.readString(tmp.getRoot().toPath().resolve("run/resolv.conf")));
        Files.delete(tmp.getRoot().toPath().resolve("run/resolv.conf"));
        JsonNode s = spec(base().dns(new ContainerDns(null, null, null, true)).build(), ConfigLoader.defaults(),
                HostLimits.parse(List.of()));
        List<String> dests = new ArrayList<>();
        s.at("/mounts").forEach(m -> dests.add(m.get("destination").asText()));
        assertFalse(dests.toString(), dests.contains("/etc/resolv.conf"));
        assertFalse(Files.exists(tmp.getRoot().toPath().resolve("run/resolv.conf")));
    }
}
