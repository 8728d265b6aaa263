package io.jpod.state.memory.internal;

import static org.junit.Assert.assertEquals;

import io.jpod.api.ContainerConfig;
import io.jpod.api.ContainerResources;
import io.jpod.api.ContainerSecurity;
import java.util.List;
import java.util.Map;
import org.junit.Test;

/** A container's resources and security options survive the state's JSON; records stored before them still read. */
public class LimitsRecordJsonTest {
    @Test
    public void resourcesAndSecurityRoundTrip() {
        ContainerConfig cfg = ContainerConfig.builder().id("a".repeat(64)).name("c")
                .resources(ContainerResources.builder().memory(64L << 20).memorySwap(-1).nanoCpus(1_500_000_000L)
                        .cpusetCpus("0").pidsLimit(50).blkioWeight(300).oomKillDisable(true).shmSize(1 << 20)
                        .ulimits(List.of(new ContainerResources.Ulimit("nofile", 1024, 2048))).build())
                .security(ContainerSecurity.builder().capAdd(List.of("NET_ADMIN")).capDrop(List.of("ALL"))
                        .privileged(true).noNewPrivileges(true).seccompProfile("unconfined").labelDisable(true)
                        .readonlyRootfs(true).devices(List.of(new ContainerSecurity.Device("/dev/fuse", "/dev/f",
                                "rw"))).sysctls(Map.of("net.ipv4.ip_forward", "1")).groupAdd(List.of("10"))
                        .tmpfs(Map.of("/scratch", "size=1m")).init(true).build())
                .build();
        ContainerConfig back = RecordJson.read(RecordJson.write(cfg), ContainerConfig.class, "in the test");
        assertEquals(cfg.resources(), back.resources());
        assertEquals(cfg.security(), back.security());
        assertEquals(cfg, back);
    }

    @Test
    public void aRecordFromBeforeHasNone() {
        String old = """
                {"id": "%s", "name": "c", "namespace": "", "lockId": 3, "command": ["sh"], "restartPolicy": "no",
                 "stopSignal": 15, "stopTimeout": 10, "created": "2026-01-01T00:00:00Z"}""".formatted("b".repeat(64));
        ContainerConfig cfg = RecordJson.read(old, ContainerConfig.class, "in the test");
        assertEquals(ContainerResources.NONE, cfg.resources());
        assertEquals(ContainerSecurity.NONE, cfg.security());
        assertEquals(3, cfg.lockId());
        String partial = """
                {"id": "%s", "name": "c", "resources": {"memory": 7340032}, "security": {"capDrop": ["ALL"]}}"""
                .formatted("c".repeat(64));
        ContainerConfig p = RecordJson.read(partial, ContainerConfig.class, "in the test");
        assertEquals(7340032, p.resources().memory());
        assertEquals(List.of(), p.resources().ulimits());
        assertEquals(List.of("ALL"), p.security().capDrop());
        assertEquals(Map.of(), p.security().tmpfs());
    }
}
