package io.jpod.state.memory.internal;

import static org.junit.Assert.assertEquals;

import io.jpod.api.ContainerConfig;
import io.jpod.api.ContainerDns;
import java.util.List;
import org.junit.Test;

/** A container's resolver settings survive the state's JSON; records stored before them read as the host's. */
public class DnsRecordJsonTest {
    @Test
    public void dnsRoundTrips() {
        ContainerConfig cfg = ContainerConfig.builder().id("a".repeat(64)).name("c")
                .dns(new ContainerDns(List.of("1.2.3.4"), List.of("example.org"), List.of("ndots:2"), false)).build();
        ContainerConfig back = RecordJson.read(RecordJson.write(cfg), ContainerConfig.class, "in the test");
        assertEquals(cfg.dns(), back.dns());
        assertEquals(cfg, back);
        ContainerConfig none = ContainerConfig.builder().id("b".repeat(64)).name("n")
                .dns(new ContainerDns(null, null, null, true)).build();
        assertEquals(none, RecordJson.read(RecordJson.write(none), ContainerConfig.class, "in the test"));
    }

    @Test
    public void aRecordFromBeforeHasTheHosts() {
        String old = """
                {"id": "%s", "name": "c", "namespace": "", "lockId": 3, "command": ["sh"], "restartPolicy": "no",
                 "stopSignal": 15, "stopTimeout": 10, "created": "2026-01-01T00:00:00Z"}""".formatted("b".repeat(64));
        ContainerConfig cfg = RecordJson.read(old, ContainerConfig.class, "in the test");
        assertEquals(ContainerDns.NONE, cfg.dns());
        String partial = """
                {"id": "%s", "name": "c", "dns": {"servers": ["10.0.0.53"]}}""".formatted("c".repeat(64));
        ContainerDns dns = RecordJson.read(partial, ContainerConfig.class, "in the test").dns();
        assertEquals(List.of("10.0.0.53"), dns.servers());
        assertEquals(List.of(), dns.searches());
    }
}
