package io.jpod.cli;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.Test;
import picocli.CommandLine;

/** podman's create flags for limits and security options, written as podman-remote writes the SpecGenerator. */
public class LimitFlagsTest {
    private static ObjectNode spec(String... args) {
        LimitFlags f = CommandLine.populateCommand(new LimitFlags(), args);
        ObjectNode s = JsonNodeFactory.instance.objectNode();
        f.apply(s);
        return s;
    }

    @Test
    public void resources() {
        ObjectNode s = spec("--memory", "64m", "--memory-swap", "-1", "--cpus", "1.5", "--pids-limit", "50",
                "--cpuset-cpus", "0", "--blkio-weight", "300", "--shm-size", "32m", "-c", "512");
        assertEquals(64L << 20, s.at("/resource_limits/memory/limit").asLong());
        assertEquals(-1, s.at("/resource_limits/memory/swap").asLong());
        assertEquals(150000, s.at("/resource_limits/cpu/quota").asLong());
        assertEquals(100000, s.at("/resource_limits/cpu/period").asLong());
        assertEquals(512, s.at("/resource_limits/cpu/shares").asLong());
        assertEquals("0", s.at("/resource_limits/cpu/cpus").asText());
        assertEquals(50, s.at("/resource_limits/pids/limit").asLong());
        assertEquals(300, s.at("/resource_limits/blockIO/weight").asInt());
        assertEquals(32L << 20, s.get("shm_size").asLong());
        assertEquals(1536L, ResourceFlags.bytes("1.5k", "--memory"));
        assertEquals(1L << 30, ResourceFlags.bytes("1GB", "--memory"));
        assertThrows(IllegalArgumentException.class, () -> spec("--memory", "lots"));
        assertThrows(IllegalArgumentException.class, () -> spec("--cpus", "1", "--cpu-quota", "5000"));
    }

    @Test
    public void security() {
        ObjectNode s = spec("--cap-drop", "ALL", "--cap-add", "NET_BIND_SERVICE", "--read-only", "--privileged",
                "--init", "--security-opt", "no-new-privileges", "--security-opt", "seccomp=unconfined",
                "--security-opt", "label=disable", "--device", "/dev/fuse", "--sysctl", "net.ipv4.ip_forward=1",
                "--group-add", "10", "--tmpfs", "/scratch:size=10m,mode=1777");
        assertEquals("[\"ALL\"]", s.get("cap_drop").toString());
        assertEquals("[\"NET_BIND_SERVICE\"]", s.get("cap_add").toString());
        assertEquals(true, s.get("read_only_filesystem").asBoolean());
        assertEquals(true, s.get("read_write_tmpfs").asBoolean());
        assertEquals(true, s.get("privileged").asBoolean());
        assertEquals(true, s.get("init").asBoolean());
        assertEquals(true, s.get("no_new_privileges").asBoolean());
        assertEquals("unconfined", s.get("seccomp_profile_path").asText());
        assertEquals("[\"disable\"]", s.get("selinux_opts").toString());
        assertEquals("/dev/fuse", s.at("/devices/0/path").asText());
        assertEquals("1", s.at("/sysctl/net.ipv4.ip_forward").asText());
        assertEquals("[\"10\"]", s.get("groups").toString());
        assertEquals("tmpfs", s.at("/mounts/0/type").asText());
        assertEquals("/scratch", s.at("/mounts/0/destination").asText());
        assertEquals("[\"size=10m\",\"mode=1777\"]", s.at("/mounts/0/options").toString());
        assertThrows(IllegalArgumentException.class, () -> spec("--security-opt", "apparmor=unconfined"));
    }
}
