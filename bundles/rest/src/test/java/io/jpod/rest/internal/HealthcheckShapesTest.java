package io.jpod.rest.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jpod.api.Container;
import io.jpod.api.ContainerConfig;
import io.jpod.api.ContainerState;
import io.jpod.api.ContainerStatus;
import io.jpod.api.HealthState;
import io.jpod.api.Healthcheck;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.Test;

public class HealthcheckShapesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String s) throws Exception {
        return JSON.readTree(s);
    }

    private static void badRequest(String body, boolean docker, String mentions) throws Exception {
        try {
            if (docker) {
                HealthcheckRequest.docker(json(body));
            } else {
                HealthcheckRequest.libpod(json(body));
            }
            fail("accepted " + body);
        } catch (ApiException e) {
            assertEquals(400, e.status);
            assertTrue(e.getMessage(), e.getMessage().contains(mentions));
        }
    }

    @Test
    public void dockersHealthcheckIsReadInNanoseconds() throws Exception {
        Healthcheck hc = HealthcheckRequest.docker(json("{\"Healthcheck\": {\"Test\": [\"CMD-SHELL\", \"true\"], "
                + "\"Interval\": 1000000000, \"Timeout\": 2000000000, \"Retries\": 2, \"StartPeriod\": 0}}"));
        assertEquals(new Healthcheck(List.of("CMD-SHELL", "true"), 1_000_000_000L, 2_000_000_000L, 2, 0), hc);
        assertEquals(Healthcheck.DEFAULT_INTERVAL, HealthcheckRequest.docker(json(
                "{\"Healthcheck\": {\"Test\": [\"CMD\", \"true\"]}}")).effectiveInterval());
        assertTrue(HealthcheckRequest.docker(json("{\"Healthcheck\": {\"Test\": [\"NONE\"]}}")).disabled());
        assertNull(HealthcheckRequest.docker(json("{}")));
        assertTrue("no test inherits the image's", HealthcheckRequest.docker(json(
                "{\"Healthcheck\": {\"Interval\": 5000000}}")).test().isEmpty());
    }

    @Test
    public void wrongHealthchecksAreRefusedByName() throws Exception {
        badRequest("{\"Healthcheck\": \"true\"}", true, "Healthcheck must be an object");
        badRequest("{\"Healthcheck\": {\"Test\": [\"CMD\", \"true\"], \"Interval\": \"1s\"}}", true,
                "Healthcheck.Interval");
        badRequest("{\"Healthcheck\": {\"Test\": [\"CMD\", \"true\"], \"Interval\": 5}}", true, "less than 1ms");
        badRequest("{\"Healthcheck\": {\"Test\": [\"CMD\", \"true\"], \"Retries\": -1}}", true, "Retries");
        badRequest("{\"Healthcheck\": {\"Test\": [\"RUN\", \"true\"]}}", true, "NONE, CMD or CMD-SHELL");
        badRequest("{\"Healthcheck\": {\"Test\": [\"CMD\"]}}", true, "needs a command");
        badRequest("{\"Healthcheck\": {\"Test\": [\"CMD\", \"x\"], \"StartInterval\": 1000000000}}", true,
                "StartInterval is not supported");
        badRequest("{\"healthconfig\": {\"Test\": [\"CMD\", \"x\"]}, \"health_check_on_failure_action\": 9}",
                false, "health_check_on_failure_action");
        badRequest("{\"health_check_on_failure_action\": 2}", false, "needs a healthconfig");
    }

    @Test
    public void libpodsZeroIntervalIsNoTimerAndItsActionsAreByNumber() throws Exception {
        Healthcheck hc = HealthcheckRequest.libpod(json("{\"healthconfig\": {\"Test\": [\"CMD-SHELL\", \"true\"], "
                + "\"Timeout\": 30000000000, \"Retries\": 3}, \"health_check_on_failure_action\": 3}"));
        assertTrue(hc.effectiveInterval() < 0);
        assertEquals("restart", hc.onFailure());
        assertEquals(Healthcheck.NONE, HealthcheckRequest.libpod(json("{\"healthconfig\": {\"Test\": [\"NONE\"]}}")));
    }

    private static Container container(Healthcheck hc, ContainerStatus status) {
        ContainerConfig cfg = ContainerConfig.builder().id("a".repeat(64)).name("web").healthcheck(hc)
                .created(Instant.EPOCH).build();
        ContainerState st = ContainerState.configured().withStatus(status).withStarted(Instant.EPOCH);
        return new Container(cfg, st);
    }

    @Test
    public void inspectShowsHealthAsDockerAndPodmanDo() throws Exception {
        Healthcheck hc = new Healthcheck(List.of("CMD-SHELL", "true"), 0, 0, 2, 0);
        Instant t = Instant.parse("2026-01-01T00:00:01.5Z");
        HealthState h = new HealthState(HealthState.UNHEALTHY, 2, List.of(new HealthState.Result(t, t.plusSeconds(1),
                1, "bad\n")));
        ObjectNode docker = (ObjectNode) json("{\"State\": {}, \"Config\": {}}");
        HealthView.docker(docker, container(hc, ContainerStatus.RUNNING), Optional.of(h));
        assertEquals(json("{\"Status\": \"unhealthy\", \"FailingStreak\": 2, \"Log\": [{\"Start\": "
                + "\"2026-01-01T00:00:01.500Z\", \"End\": \"2026-01-01T00:00:02.500Z\", \"ExitCode\": 1, "
                + "\"Output\": \"bad\\n\"}]}"), docker.path("State").path("Health"));
        assertEquals(json("{\"Test\": [\"CMD-SHELL\", \"true\"], \"Retries\": 2}"), docker.path("Config")
                .path("Healthcheck"));
        ObjectNode stopped = (ObjectNode) json("{\"State\": {}, \"Config\": {}}");
        HealthView.docker(stopped, container(hc, ContainerStatus.EXITED), Optional.of(h));
        assertEquals("Docker marks a stopped container unhealthy", "unhealthy", stopped.path("State").path("Health")
                .path("Status").asText());
        assertEquals(0, stopped.path("State").path("Health").path("FailingStreak").asInt());
        ObjectNode created = (ObjectNode) json("{\"State\": {}, \"Config\": {}}");
        HealthView.docker(created, container(hc, ContainerStatus.CREATED), Optional.empty());
        assertFalse("no Health before it started", created.path("State").has("Health"));
        ObjectNode none = (ObjectNode) json("{\"State\": {}, \"Config\": {}}");
        HealthView.docker(none, container(null, ContainerStatus.RUNNING), Optional.empty());
        assertFalse("Docker shows no Health without a healthcheck", none.path("State").has("Health"));
        ObjectNode libpod = (ObjectNode) json("{\"State\": {}, \"Config\": {}}");
        HealthView.libpod(libpod, container(null, ContainerStatus.RUNNING), Optional.empty());
        assertEquals(json("{\"Status\": \"\", \"FailingStreak\": 0, \"Log\": null}"), libpod.path("State")
                .path("Health"));
        assertEquals("none", libpod.path("Config").path("HealthcheckOnFailureAction").asText());
    }

    @Test
    public void dockersListStatusAndTheHealthFilter() {
        assertEquals("Up 5 seconds (health: starting)", HealthView.dockerStatus("Up 5 seconds",
                Optional.of(HealthState.starting())));
        assertEquals("Up 5 seconds (healthy)", HealthView.dockerStatus("Up 5 seconds",
                Optional.of(new HealthState(HealthState.HEALTHY, 0, List.of()))));
        assertEquals("Exited (0) 3 seconds ago", HealthView.dockerStatus("Exited (0) 3 seconds ago",
                Optional.of(new HealthState(HealthState.HEALTHY, 0, List.of()))));
        Container plain = container(null, ContainerStatus.RUNNING);
        Container checked = container(new Healthcheck(List.of("CMD", "true"), 0, 0, 0, 0), ContainerStatus.RUNNING);
        assertTrue(HealthView.filter(List.of("none"), null).test(plain));
        assertFalse(HealthView.filter(List.of("none"), null).test(checked));
        assertTrue("not checked yet is starting", HealthView.filter(List.of("starting"), null).test(checked));
        try {
            HealthView.filter(List.of("sick"), null);
            fail();
        } catch (ApiException e) {
            assertTrue(e.getMessage().contains("health: sick"));
        }
    }
}
