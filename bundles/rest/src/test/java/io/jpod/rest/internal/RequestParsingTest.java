package io.jpod.rest.internal;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.jpod.api.ContainerState;
import io.jpod.api.ContainerStatus;
import io.jpod.api.Mount;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.Test;

/** How the API reads what clients send: routes, filters, binds, policies, times; and how it frames output. */
public class RequestParsingTest {
    private final ObjectMapper json = new ObjectMapper();

    @Test
    public void routesMatchImageNamesWithSlashesAndTellAWrongMethod() {
        Router r = new Router();
        r.add("GET", "/images/json", x -> { });
        r.add("GET", "/images/{name*}/json", x -> { });
        r.add("DELETE", "/containers/{id}", x -> { });
        boolean[] other = new boolean[1];
        assertEquals(java.util.Map.of(), r.match("GET", "/images/json", other).params());
        assertEquals("localhost/busybox:latest",
                r.match("GET", "/images/localhost/busybox:latest/json", other).params().get("name"));
        assertNull(r.match("GET", "/containers/abc", other));
        assertTrue(other[0]);
        assertNull(r.match("GET", "/nothing", new boolean[1]));
        assertEquals("abc", r.match("DELETE", "/containers/abc", other).params().get("id"));
        assertEquals("localhost/busybox:latest",
                r.match("GET", "/images/localhost%2Fbusybox:latest/json", other).params().get("name"));
    }

    @Test
    public void filtersInBothShapes() {
        assertEquals(List.of("running", "exited"),
                Filters.values(Filters.parse("{\"status\":[\"running\",\"exited\"]}", json).get("status")));
        assertEquals(List.of("running"), Filters.values(Filters.parse("{\"status\":{\"running\":true}}", json).get("status")));
        assertEquals(400, assertThrows(ApiException.class, () -> Filters.parse("[1]", json)).status);
        assertEquals(400, assertThrows(ApiException.class, () -> Filters.parse("{nope", json)).status);
        ApiException unknown = assertThrows(ApiException.class,
                () -> Filters.containers(Filters.parse("{\"colour\":[\"red\"]}", json), true));
        assertTrue(unknown.getMessage(), unknown.getMessage().contains("colour"));
        ApiException badStatus = assertThrows(ApiException.class,
                () -> Filters.containers(Filters.parse("{\"status\":[\"sleeping\"]}", json), true));
        assertTrue(badStatus.getMessage(), badStatus.getMessage().contains("sleeping"));
    }

    @Test
    public void labelFiltersMustAllMatchWhereOtherValuesAreAlternatives() {
        // compose finds a service's containers by project and service labels together
        io.jpod.api.Container web = labelled("web", java.util.Map.of("project", "p", "service", "web"));
        io.jpod.api.Container db = labelled("db", java.util.Map.of("project", "p", "service", "db"));
        java.util.function.Predicate<io.jpod.api.Container> both = Filters.containers(
                Filters.parse("{\"label\":[\"project=p\",\"service=web\"]}", json), true);
        assertTrue(both.test(web));
        assertTrue(!both.test(db));
        java.util.function.Predicate<io.jpod.api.Container> either = Filters.containers(
                Filters.parse("{\"name\":[\"^web$\",\"^db$\"]}", json), true);
        assertTrue(either.test(web) && either.test(db));
    }

    private static io.jpod.api.Container labelled(String name, java.util.Map<String, String> labels) {
        return new io.jpod.api.Container(io.jpod.api.ContainerConfig.builder().id(name + "0".repeat(64 - name.length()))
                .name(name).labels(labels).build(), ContainerState.configured());
    }

    @Test
    public void bindsAsDashVTakesThem() {
        assertEquals(new Mount("bind", "/tmp", "/data", List.of("ro")), DockerCreateRequest.bind("/tmp:/data:ro"));
        assertEquals(new Mount("bind", "/tmp", "/data", List.of()), DockerCreateRequest.bind("/tmp:/data"));
        assertEquals(new Mount("bind", "/tmp", "/data", List.of("rw", "rshared")), DockerCreateRequest.bind("/tmp:/data:rw,rshared,Z"));
        assertTrue(assertThrows(ApiException.class, () -> DockerCreateRequest.bind("/tmp")).getMessage()
                .contains("/host/path:/container/path"));
        assertEquals(new Mount("volume", "data", "/x", List.of("ro")), DockerCreateRequest.bind("data:/x:ro"));
        // what the paths and options may be the engine checks, for both API families
        assertEquals(new Mount("bind", "./data", "/x", List.of()), DockerCreateRequest.bind("./data:/x"));
        assertEquals(new Mount("bind", "/tmp", "/x", List.of("exec")), DockerCreateRequest.bind("/tmp:/x:exec"));
    }

    @Test
    public void policiesAndNetworkModes() {
        assertEquals("bridge", DockerCreateRequest.networkMode("default"));
        assertEquals("none", DockerCreateRequest.networkMode("none"));
        assertEquals("container:abc", DockerCreateRequest.networkMode("container:abc"));
        assertEquals(400, assertThrows(ApiException.class, () -> DockerCreateRequest.networkMode("mynet")).status);
    }

    @Test
    public void timesAsClientsSendThem() {
        assertEquals(Instant.ofEpochSecond(1700000000), Inputs.parseTime("1700000000", "since"));
        assertEquals(Instant.ofEpochSecond(1700000000, 500_000_000), Inputs.parseTime("1700000000.5", "since"));
        assertEquals(Instant.parse("2026-01-02T03:04:05Z"), Inputs.parseTime("2026-01-02T03:04:05Z", "since"));
        assertNull(Inputs.parseTime("", "since"));
        // podman --remote events --since 10m sends the duration as it is
        Instant tenAgo = Inputs.parseTime("10m", "since");
        assertTrue(tenAgo.toString(), Math.abs(Duration.between(tenAgo, Instant.now()).toSeconds() - 600) < 60);
        assertTrue(assertThrows(ApiException.class, () -> Inputs.parseTime("yesterday", "since")).getMessage()
                .contains("since=yesterday"));
    }

    @Test
    public void podmanRemotesUnsetTimesMeanNone() {
        // podman --remote logs sends since and until as Go's zero time when its user gave neither
        assertNull(Inputs.optionalTime("0001-01-01T00:00:00Z", "until"));
        assertNull(Inputs.optionalTime("0", "since"));
        assertNull(Inputs.optionalTime(null, "since"));
        assertEquals(Instant.parse("2026-01-02T03:04:05Z"), Inputs.optionalTime("2026-01-02T03:04:05Z", "until"));
    }

    @Test
    public void framesCarryTheStreamAndTheSize() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new Frames(out, Frames.STDERR).write("hi\n".getBytes());
        assertArrayEquals(new byte[] {2, 0, 0, 0, 0, 0, 0, 3, 'h', 'i', '\n'}, out.toByteArray());
        assertEquals(Frames.RAW, Frames.contentType(true, "1.44"));
        assertEquals(Frames.MULTIPLEXED, Frames.contentType(false, "1.44"));
        assertEquals(Frames.RAW, Frames.contentType(false, "1.41"));
    }

    @Test
    public void statusColumnAsDockerWritesIt() {
        Instant now = Instant.parse("2026-01-01T12:00:00Z");
        ContainerState running = ContainerState.configured().withStatus(ContainerStatus.RUNNING)
                .withStarted(now.minusSeconds(5));
        assertEquals("Up 5 seconds", ContainerView.statusText(running, now));
        ContainerState exited = running.withExit(3, false, now.minus(Duration.ofMinutes(3)))
                .withStatus(ContainerStatus.EXITED);
        assertEquals("Exited (3) 3 minutes ago", ContainerView.statusText(exited, now));
        assertEquals("Created", ContainerView.statusText(ContainerState.configured(), now));
    }

    @Test
    public void versions() {
        assertTrue(Versions.atLeast("1.44", "1.42"));
        assertTrue(Versions.atLeast("1.100", "1.44"));
        assertEquals(-1, Integer.signum(Versions.compare("1.24", "1.44")));
    }
}
