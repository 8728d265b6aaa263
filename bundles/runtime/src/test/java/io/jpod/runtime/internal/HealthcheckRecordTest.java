package io.jpod.runtime.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import io.jpod.api.Container;
import io.jpod.api.ContainerConfig;
import io.jpod.api.ContainerState;
import io.jpod.api.Healthcheck;
import io.jpod.state.memory.internal.RecordJson;
import java.time.Instant;
import java.util.List;
import org.junit.Test;

/** A container's healthcheck as the databases store it (the mapdb and sqlite JSON), and containers stored before. */
public class HealthcheckRecordTest {
    private static Container container(Healthcheck hc) {
        return new Container(ContainerConfig.builder().id("b".repeat(64)).name("web").healthcheck(hc)
                .created(Instant.parse("2026-01-01T00:00:00Z")).build(), ContainerState.configured());
    }

    @Test
    public void theHealthcheckIsStoredAndReadBack() {
        Healthcheck hc = new Healthcheck(List.of("CMD-SHELL", "curl -f localhost"), 1_000_000_000L, -1, 2,
                5_000_000_000L, "restart");
        String json = RecordJson.write(container(hc));
        assertEquals(hc, RecordJson.read(json, Container.class, "test").config().healthcheck());
        assertFalse("only the record's fields are stored: " + json, json.contains("effectiveInterval")
                || json.contains("\"active\""));
    }

    @Test
    public void aContainerStoredBeforeHealthchecksHasNone() {
        String json = RecordJson.write(container(null));
        assertTrue(json, json.contains("\"healthcheck\":null"));
        String old = json.replace(",\"healthcheck\":null", "");
        assertFalse(old.contains("healthcheck"));
        assertNull(RecordJson.read(old, Container.class, "test").config().healthcheck());
    }
}
