package io.jpod.rest.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jpod.api.ContainerConfig;
import io.jpod.api.ContainerResources;
import io.jpod.api.ContainerSecurity;
import java.util.List;
import java.util.Map;
import org.junit.Test;

/** Docker's and libpod's resource and security fields read, refused by name, and shown by inspect. */
public class LimitFieldsTest {
    private final ObjectMapper json = new ObjectMapper();

    private JsonNode parse(String s) throws Exception {
        return json.readTree(s);
    }

    private static void refused(String words, Runnable read) {
        ApiException e = assertThrows(ApiException.class, read::run);
        assertEquals(e.getMessage(), 400, e.status);
        assertTrue(e.getMessage(), e.getMessage().contains(words));
    }

    /** What `docker run --memory 64m --cpus 1.5 --pids-limit 50 --cap-drop ALL --read-only ...` sends. */
    @Test
    public void dockerHostConfig() throws Exception {
        JsonNode hc = parse("""
                {"Memory": 67108864, "MemorySwap": 0, "NanoCpus": 1500000000, "PidsLimit": 50, "CpuShares": 0,
                 "MemorySwappiness": -1, "OomKillDisable": false, "BlkioWeightDevice": [], "Devices": [
                 {"PathOnHost": "/dev/fuse", "PathInContainer": "/dev/fuse", "CgroupPermissions": "rwm"}],
                 "Ulimits": [{"Name": "nofile", "Hard": 2048, "Soft": 1024}], "ShmSize": 33554432,
                 "CapAdd": ["CAP_NET_BIND_SERVICE"], "CapDrop": ["ALL"], "ReadonlyRootfs": true, "Init": true,
                 "SecurityOpt": ["no-new-privileges", "label=disable", "seccomp=unconfined"], "GroupAdd": ["10"],
                 "Tmpfs": {"/scratch": "size=10m"}, "Sysctls": {"net.ipv4.ip_forward": "1"}, "CgroupParent": ""}""");
        ContainerResources r = LimitFields.dockerResources(hc, "HostConfig.");
        assertEquals(67108864, r.memory());
        assertEquals(1_500_000_000L, r.nanoCpus());
        assertEquals(50, r.pidsLimit());
        assertEquals(33554432, r.shmSize());
        assertEquals(List.of(new ContainerResources.Ulimit("nofile", 1024, 2048)), r.ulimits());
        ContainerSecurity s = LimitFields.dockerSecurity(hc);
        assertEquals(List.of("ALL"), s.capDrop());
        assertTrue(s.readonlyRootfs() && s.init() && s.noNewPrivileges() && s.labelDisable());
        assertEquals("unconfined", s.seccompProfile());
        assertEquals(Map.of("/scratch", "size=10m"), s.tmpfs());
        assertEquals(List.of(new ContainerSecurity.Device("/dev/fuse", "/dev/fuse", "rwm")), s.devices());
    }

    @Test
    public void dockerTmpfsMounts() throws Exception {
        ContainerSecurity s = LimitFields.dockerSecurity(parse("""
                {"Tmpfs": {"/a": ""}, "Mounts": [{"Type": "tmpfs", "Target": "/b",
                 "TmpfsOptions": {"SizeBytes": 1048576, "Mode": 1016}}, {"Type": "bind", "Source": "/x",
                 "Target": "/c"}]}"""));
        assertEquals(Map.of("/a", "", "/b", "size=1048576,mode=1770"), s.tmpfs());
    }

    @Test
    public void dockerFieldsJpodDoesNotSupportAreRefusedByName() throws Exception {
        refused("HostConfig.MemorySwappiness is not supported by jpod",
                () -> LimitFields.dockerResources(uncheckedParse("{\"MemorySwappiness\": 10}"), "HostConfig."));
        refused("HostConfig.OomScoreAdj is not supported by jpod",
                () -> LimitFields.dockerResources(uncheckedParse("{\"OomScoreAdj\": 100}"), "HostConfig."));
        refused("HostConfig.DeviceCgroupRules is not supported by jpod", () -> LimitFields.dockerResources(
                uncheckedParse("{\"DeviceCgroupRules\": [\"c 1:3 rwm\"]}"), "HostConfig."));
        refused("HostConfig.SecurityOpt apparmor=unconfined is not supported by jpod", () -> LimitFields
                .dockerSecurity(uncheckedParse("{\"SecurityOpt\": [\"apparmor=unconfined\"]}")));
        refused("label=user:x is not supported by jpod", () -> LimitFields
                .dockerSecurity(uncheckedParse("{\"SecurityOpt\": [\"label=user:x\"]}")));
        refused("HostConfig.Memory must be a whole number", () -> LimitFields.dockerResources(
                uncheckedParse("{\"Memory\": \"64m\"}"), "HostConfig."));
        refused("the seccomp profile is not a JSON object", () -> LimitFields
                .dockerSecurity(uncheckedParse("{\"SecurityOpt\": [\"seccomp={oops\"]}")));
    }

    /** What podman-remote 4.3 sends for the same flags. */
    @Test
    public void libpodSpecGenerator() throws Exception {
        JsonNode b = parse("""
                {"resource_limits": {"memory": {"limit": 67108864, "swap": 134217728}, "cpu": {"quota": 150000,
                 "period": 100000, "cpus": "0"}, "pids": {"limit": 50}, "blockIO": {"weight": 300}},
                 "r_limits": [{"type": "nofile", "hard": 2048, "soft": 1024}], "shm_size": 33554432,
                 "cap_add": ["NET_BIND_SERVICE"], "cap_drop": ["ALL"], "read_only_filesystem": true,
                 "no_new_privileges": true, "seccomp_profile_path": "unconfined", "seccomp_policy": "default",
                 "init": true, "devices": [{"path": "/dev/fuse:/dev/f:rw"}], "sysctl": {"kernel.shmmax": "1"},
                 "groups": ["10"], "selinux_opts": ["disable"], "unmask": [], "apparmor_profile": ""}""");
        ContainerResources r = LimitFields.libpodCreateResources(b);
        assertEquals(67108864, r.memory());
        assertEquals(134217728, r.memorySwap());
        assertEquals(150000, r.cpuQuota());
        assertEquals(100000, r.cpuPeriod());
        assertEquals(50, r.pidsLimit());
        assertEquals(300, r.blkioWeight());
        assertEquals("0", r.cpusetCpus());
        assertEquals(List.of(new ContainerResources.Ulimit("nofile", 1024, 2048)), r.ulimits());
        ContainerSecurity s = LimitFields.libpodSecurity(b);
        assertEquals(List.of(new ContainerSecurity.Device("/dev/fuse", "/dev/f", "rw")), s.devices());
        assertTrue(s.readonlyRootfs() && s.noNewPrivileges() && s.init() && s.labelDisable());
        refused("resource_limits.memory.swappiness is not supported by jpod", () -> LimitFields.libpodCreateResources(
                uncheckedParse("{\"resource_limits\": {\"memory\": {\"swappiness\": 10}}}")));
        refused("resource_limits.hugepageLimits is not supported by jpod", () -> LimitFields.libpodCreateResources(
                uncheckedParse("{\"resource_limits\": {\"hugepageLimits\": [{\"pageSize\": \"2MB\", \"limit\": 1}]}}")));
        refused("oom_score_adj is not supported by jpod",
                () -> LimitFields.libpodSecurity(uncheckedParse("{\"oom_score_adj\": 5}")));
        refused("apparmor_profile is not supported by jpod",
                () -> LimitFields.libpodSecurity(uncheckedParse("{\"apparmor_profile\": \"x\"}")));
        refused("seccomp_policy image is not supported by jpod",
                () -> LimitFields.libpodSecurity(uncheckedParse("{\"seccomp_policy\": \"image\"}")));
    }

    @Test
    public void dockerInspectShowsDockersNamesAndZeroValues() {
        ObjectNode none = json.createObjectNode();
        HostConfigView.docker(none, ContainerConfig.builder().id("x").build());
        assertTrue(none.get("CapAdd").isNull());
        assertTrue(none.get("PidsLimit").isNull());
        assertTrue(none.get("Ulimits").isNull());
        assertEquals(64L << 20, none.get("ShmSize").asLong());
        assertEquals(0, none.get("Memory").asLong());
        assertFalse(none.get("Privileged").asBoolean());
        assertFalse(none.has("Init"));
        assertFalse(none.has("Tmpfs"));
        ObjectNode hc = json.createObjectNode();
        HostConfigView.docker(hc, ContainerConfig.builder().id("x").resources(ContainerResources.builder()
                .memory(64L << 20).memorySwap(128L << 20).nanoCpus(1_500_000_000L).pidsLimit(50).build())
                .security(ContainerSecurity.builder().capDrop(List.of("ALL")).readonlyRootfs(true)
                        .noNewPrivileges(true).init(true).build()).build());
        assertEquals(64L << 20, hc.get("Memory").asLong());
        assertEquals(128L << 20, hc.get("MemorySwap").asLong());
        assertEquals(1_500_000_000L, hc.get("NanoCpus").asLong());
        assertEquals(0, hc.get("CpuQuota").asLong());
        assertEquals(50, hc.get("PidsLimit").asLong());
        assertEquals("[\"ALL\"]", hc.get("CapDrop").toString());
        assertEquals("[\"no-new-privileges\"]", hc.get("SecurityOpt").toString());
        assertTrue(hc.get("ReadonlyRootfs").asBoolean() && hc.get("Init").asBoolean());
    }

    @Test
    public void libpodInspectShowsCapabilitiesAgainstTheDefaults() {
        ObjectNode hc = json.createObjectNode();
        HostConfigView.libpod(hc, ContainerConfig.builder().id("x").resources(ContainerResources.builder()
                .nanoCpus(1_500_000_000L).ulimits(List.of(new ContainerResources.Ulimit("nofile", 1, 2))).build())
                .security(ContainerSecurity.builder().capDrop(List.of("ALL")).capAdd(List.of("NET_BIND_SERVICE"))
                        .build()).build(), List.of("CHOWN", "KILL", "NET_BIND_SERVICE"));
        assertEquals("[]", hc.get("CapAdd").toString());
        assertEquals("[\"CAP_CHOWN\",\"CAP_KILL\"]", hc.get("CapDrop").toString());
        assertEquals(1_500_000_000L, hc.get("NanoCpus").asLong());
        assertEquals(150000, hc.get("CpuQuota").asLong());
        assertEquals(100000, hc.get("CpuPeriod").asLong());
        assertEquals("RLIMIT_NOFILE", hc.at("/Ulimits/0/Name").asText());
        assertEquals(65536L * 1024, hc.get("ShmSize").asLong());
    }

    private JsonNode uncheckedParse(String s) {
        try {
            return json.readTree(s);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
