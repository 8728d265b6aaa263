package io.jpod.oci.conmon.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jpod.api.ContainerConfig;
import io.jpod.api.ContainerResources;
import io.jpod.api.ContainerSecurity;
import io.jpod.api.JpodException;
import io.jpod.config.ConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** A container's resources and security options in its config.json, as podman writes them. */
public class LimitsSpecTest {
    private static final String ID = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();
    private final ObjectMapper json = new ObjectMapper();

    private JsonNode spec(ContainerResources r, ContainerSecurity s) throws Exception {
        Path rootfs = tmp.getRoot().toPath().resolve("rootfs");
        Files.createDirectories(rootfs.resolve("etc"));
        Files.writeString(rootfs.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\n");
        Files.writeString(rootfs.resolve("etc/group"), "root:x:0:\nwheel:x:10:\naudio:x:29:\n");
        ContainerConfig cfg = ContainerConfig.builder().id(ID).name("c1").command(List.of("sleep", "1"))
                .resources(r).security(s).build();
        return new SpecGenerator(json, ConfigLoader.defaults(), HostLimits.parse(List.of()), null).generate(cfg,
                rootfs, null, tmp.getRoot().toPath().resolve("run"));
    }

    private static List<String> texts(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.forEach(e -> out.add(e.asText()));
        return out;
    }

    private static JsonNode mount(JsonNode spec, String dest) {
        for (JsonNode m : spec.path("mounts")) {
            if (m.path("destination").asText().equals(dest)) {
                return m;
            }
        }
        return null;
    }

    @Test
    public void noOptionsAreTodaysDefaults() throws Exception {
        JsonNode s = spec(ContainerResources.NONE, ContainerSecurity.NONE);
        assertFalse(s.at("/root/readonly").asBoolean());
        assertFalse(s.at("/process/noNewPrivileges").asBoolean());
        assertTrue(texts(s.at("/process/capabilities/effective")).contains("CAP_CHOWN"));
        assertTrue(s.at("/linux/resources/memory").isMissingNode());
        assertTrue(s.at("/linux/seccomp").isObject());
        assertEquals(List.of("sleep", "1"), texts(s.at("/process/args")));
        assertTrue(texts(mount(s, "/dev/shm").path("options")).contains("size=65536k"));
    }

    @Test
    public void resourcesGoToLinuxResources() throws Exception {
        JsonNode s = spec(ContainerResources.builder().memory(64L << 20).memorySwap(128L << 20)
                .memoryReservation(32L << 20).cpuShares(512).nanoCpus(1_500_000_000L).cpusetCpus("0")
                .pidsLimit(50).blkioWeight(300).oomKillDisable(true).shmSize(32L << 20)
                .ulimits(List.of(new ContainerResources.Ulimit("nofile", 1024, 2048))).build(), ContainerSecurity.NONE);
        JsonNode res = s.at("/linux/resources");
        assertEquals(64L << 20, res.at("/memory/limit").asLong());
        assertEquals(32L << 20, res.at("/memory/reservation").asLong());
        assertEquals(CgroupResources.swapAccounted(), res.at("/memory/swap").isNumber());
        assertTrue(res.at("/memory/disableOOMKiller").asBoolean());
        assertEquals(512, res.at("/cpu/shares").asLong());
        assertEquals(150000, res.at("/cpu/quota").asLong());
        assertEquals(100000, res.at("/cpu/period").asLong());
        assertEquals("0", res.at("/cpu/cpus").asText());
        assertEquals(50, res.at("/pids/limit").asLong());
        assertEquals(300, res.at("/blockIO/weight").asInt());
        assertTrue(texts(mount(s, "/dev/shm").path("options")).contains("size=" + (32L << 20)));
        boolean nofile = false;
        for (JsonNode r : s.at("/process/rlimits")) {
            if (r.path("type").asText().equals("RLIMIT_NOFILE")) {
                nofile = true;
                assertEquals(1024, r.path("soft").asLong());
                assertEquals(2048, r.path("hard").asLong());
            }
        }
        assertTrue("RLIMIT_NOFILE in " + s.at("/process/rlimits"), nofile);
    }

    @Test
    public void unlimitedPidsAndTheConfiguredDefault() throws Exception {
        assertEquals(-1, spec(ContainerResources.builder().pidsLimit(-1).build(), ContainerSecurity.NONE)
                .at("/linux/resources/pids/limit").asLong());
        assertEquals(ConfigLoader.defaults().containers().pidsLimit(), spec(ContainerResources.NONE,
                ContainerSecurity.NONE).at("/linux/resources/pids/limit").asLong());
    }

    @Test
    public void capabilitiesDropAllAddOne() throws Exception {
        JsonNode s = spec(ContainerResources.NONE, ContainerSecurity.builder().capDrop(List.of("ALL"))
                .capAdd(List.of("net_bind_service")).build());
        for (String set : List.of("bounding", "effective", "permitted")) {
            assertEquals(set, List.of("CAP_NET_BIND_SERVICE"), texts(s.at("/process/capabilities/" + set)));
        }
        JsonNode d = spec(ContainerResources.NONE, ContainerSecurity.builder().capDrop(List.of("CHOWN")).build());
        assertFalse(texts(d.at("/process/capabilities/effective")).contains("CAP_CHOWN"));
        assertTrue(texts(d.at("/process/capabilities/effective")).contains("CAP_KILL"));
        JsonNode a = spec(ContainerResources.NONE, ContainerSecurity.builder().capAdd(List.of("ALL")).build());
        assertEquals(Capabilities.all(), texts(a.at("/process/capabilities/effective")));
    }

    @Test
    public void privilegedGetsEverythingAndNoFilter() throws Exception {
        JsonNode s = spec(ContainerResources.NONE, ContainerSecurity.builder().privileged(true).build());
        assertEquals(Capabilities.all(), texts(s.at("/process/capabilities/effective")));
        assertTrue(s.at("/linux/seccomp").isMissingNode());
        assertTrue(s.at("/linux/maskedPaths").isMissingNode());
        assertTrue(texts(mount(s, "/sys").path("options")).contains("rw"));
        JsonNode all = s.at("/linux/resources/devices/1");
        assertTrue(all.path("allow").asBoolean());
        assertTrue(all.path("type").isMissingNode());
        boolean devNull = false;
        for (JsonNode d : s.at("/linux/devices")) {
            devNull |= d.path("path").asText().equals("/dev/null") && d.path("major").asInt() == 1
                    && d.path("minor").asInt() == 3;
        }
        assertTrue("/dev/null in " + s.at("/linux/devices"), devNull);
        // podman's /run/.containerenv: who runs the container, and which, only for a privileged one
        assertEquals("bind", mount(s, "/run/.containerenv").path("type").asText());
        String env = Files.readString(tmp.getRoot().toPath().resolve("run/.containerenv"));
        assertTrue(env, env.startsWith("engine=\"jpod-"));
        assertTrue(env, env.contains("\nname=\"c1\"\nid=\"" + ID + "\"\n"));
        assertTrue(env, env.endsWith("\nrootless=0\n"));
    }

    @Test
    public void anUnprivilegedContainersContainerenvIsEmpty() throws Exception {
        JsonNode s = spec(ContainerResources.NONE, ContainerSecurity.NONE);
        assertEquals(tmp.getRoot().toPath().resolve("run/.containerenv").toString(),
                mount(s, "/run/.containerenv").path("source").asText());
        assertEquals("", Files.readString(tmp.getRoot().toPath().resolve("run/.containerenv")));
    }

    @Test
    public void securityOptionsReadOnlyTmpfsSysctlGroupsInit() throws Exception {
        JsonNode s = spec(ContainerResources.NONE, ContainerSecurity.builder().readonlyRootfs(true)
                .noNewPrivileges(true).seccompProfile("unconfined").tmpfs(Map.of("/scratch", "size=10m,exec"))
                .sysctls(Map.of("net.ipv4.ip_forward", "1")).groupAdd(List.of("wheel", "4242")).init(true).build());
        assertTrue(s.at("/root/readonly").asBoolean());
        assertTrue(s.at("/process/noNewPrivileges").asBoolean());
        assertTrue(s.at("/linux/seccomp").isMissingNode());
        JsonNode t = mount(s, "/scratch");
        assertEquals("tmpfs", t.path("type").asText());
        assertEquals(List.of("rw", "rprivate", "nosuid", "nodev", "size=10m", "exec"), texts(t.path("options")));
        assertEquals("1", s.at("/linux/sysctl/net.ipv4.ip_forward").asText());
        assertEquals(List.of("10", "4242"), texts(s.at("/process/user/additionalGids")));
        assertEquals(List.of(SpecGenerator.INIT_PATH, "--", "sleep", "1"), texts(s.at("/process/args")));
        assertEquals(SpecGenerator.CATATONIT, mount(s, SpecGenerator.INIT_PATH).path("source").asText());
    }

    @Test
    public void aDeviceIsMadeAndAllowed() throws Exception {
        JsonNode s = spec(ContainerResources.NONE, ContainerSecurity.builder().devices(List.of(
                new ContainerSecurity.Device("/dev/null", "/dev/mynull", "rw"))).build());
        JsonNode d = s.at("/linux/devices/0");
        assertEquals("/dev/mynull", d.path("path").asText());
        assertEquals("c", d.path("type").asText());
        assertEquals(1, d.path("major").asInt());
        assertEquals(3, d.path("minor").asInt());
        JsonNode rule = s.at("/linux/resources/devices/1");
        assertTrue(rule.path("allow").asBoolean());
        assertEquals("rw", rule.path("access").asText());
        assertEquals(1, rule.path("major").asInt());
        assertThrows(JpodException.class, () -> spec(ContainerResources.NONE, ContainerSecurity.builder()
                .devices(List.of(new ContainerSecurity.Device("/etc/hostname", "", "rwm"))).build()));
    }

    @Test
    public void aSeccompProfileFileOrText() throws Exception {
        Path p = tmp.newFile("profile.json").toPath();
        Files.writeString(p, "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": [\"read\"], "
                + "\"action\": \"SCMP_ACT_ALLOW\"}]}");
        JsonNode s = spec(ContainerResources.NONE, ContainerSecurity.builder().seccompProfile(p.toString()).build());
        assertEquals("SCMP_ACT_ERRNO", s.at("/linux/seccomp/defaultAction").asText());
        JsonNode t = spec(ContainerResources.NONE, ContainerSecurity.builder().seccompProfile(Files.readString(p))
                .build());
        assertEquals("SCMP_ACT_ERRNO", t.at("/linux/seccomp/defaultAction").asText());
        Files.writeString(p, "not json");
        assertThrows(JpodException.class, () -> spec(ContainerResources.NONE, ContainerSecurity.builder()
                .seccompProfile(p.toString()).build()));
    }

    @Test
    public void updateBodyHasOnlyWhatIsSet() {
        var res = json.createObjectNode();
        CgroupResources.write(res, ContainerResources.builder().memory(128L << 20).build(), 0);
        assertEquals(List.of("memory"), iterator(res));
        assertEquals(128L << 20, res.at("/memory/limit").asLong());
        assertTrue(res.at("/memory/swap").isMissingNode());
    }

    private static List<String> iterator(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }
}
