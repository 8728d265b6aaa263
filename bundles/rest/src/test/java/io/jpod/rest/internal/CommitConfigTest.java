package io.jpod.rest.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.jpod.api.ContainerConfig;
import io.jpod.api.ImageConfig;
import io.jpod.api.PortMapping;
import java.util.List;
import java.util.Map;
import org.junit.Test;

/** The config a commit gives its image: the container's over its image's, and the request's body merged as docker's. */
public class CommitConfigTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ImageConfig IMAGE = new ImageConfig(List.of("PATH=/bin", "A=image"), List.of("sh"), List.of(),
            null, null, List.of("53/udp"), List.of("/data"), Map.of("from", "image"), "SIGQUIT");

    private static ContainerConfig container() {
        return ContainerConfig.builder().id("a".repeat(64)).name("c").command(List.of("sh", "-c", "echo hi"))
                .env(List.of("PATH=/bin", "A=ctr", "B=ctr")).labels(Map.of("from", "ctr", "only", "ctr"))
                .portMappings(List.of(new PortMapping("", 8080, 80, "tcp", 2))).build();
    }

    @Test
    public void theContainersConfigIsOverItsImages() throws Exception {
        ImageConfig c = CommitConfig.of(container(), IMAGE, null, false);
        assertEquals(List.of("sh", "-c", "echo hi"), c.cmd());
        assertEquals(List.of("PATH=/bin", "A=ctr", "B=ctr"), c.env());
        assertEquals(Map.of("from", "ctr", "only", "ctr"), c.labels());
        assertEquals(List.of("53/udp", "80/tcp", "81/tcp"), c.exposedPorts());
        assertEquals(List.of("/data"), c.volumes());
        assertEquals("SIGQUIT", c.stopSignal());
        assertEquals(null, c.workingDir());
        assertEquals("podman's image says where the process ran", "/",
                CommitConfig.of(container(), IMAGE, null, true).workingDir());
        ImageConfig noPath = CommitConfig.of(ContainerConfig.builder().id("b".repeat(64)).name("d").build(), null,
                null, false);
        assertEquals(List.of(CommitConfig.DEFAULT_PATH), noPath.env());
    }

    @Test
    public void theBodysFieldsWinAndAreAddedTo() throws Exception {
        ImageConfig c = CommitConfig.of(container(), IMAGE, JSON.readTree("""
                {"Env": ["A=body"], "Cmd": ["true"], "Labels": {"only": "body"}, "ExposedPorts": {"9/tcp": {}},
                 "WorkingDir": "/w", "Hostname": "ignored", "Tty": false}"""), false);
        assertEquals(List.of("A=body", "PATH=/bin", "B=ctr"), c.env());
        assertEquals(List.of("true"), c.cmd());
        assertEquals("body", c.labels().get("only"));
        assertEquals("ctr", c.labels().get("from"));
        assertTrue(c.exposedPorts().containsAll(List.of("9/tcp", "80/tcp")));
        assertEquals("/w", c.workingDir());
    }

    @Test
    public void whatJpodCannotKeepIsRefusedByName() throws Exception {
        ApiException e = assertThrows(ApiException.class, () -> CommitConfig.of(container(), IMAGE,
                JSON.readTree("{\"Healthcheck\": {\"Test\": [\"CMD\", \"true\"]}}"), false));
        assertEquals(400, e.status);
        assertTrue(e.getMessage(), e.getMessage().startsWith("Healthcheck"));
        e = assertThrows(ApiException.class, () -> CommitConfig.of(container(), IMAGE, JSON.readTree("[1]"), false));
        assertEquals(400, e.status);
        e = assertThrows(ApiException.class, () -> CommitConfig.of(container(), IMAGE,
                JSON.readTree("{\"Env\": [1]}"), false));
        assertTrue(e.getMessage(), e.getMessage().contains("Env"));
    }

    @Test
    public void commitTakesDockersInstructionsOnly() {
        assertEquals(List.of("CMD [\"a\"]", "env A=b", "LABEL=x=y"),
                CommitInstructions.check(List.of("CMD [\"a\"]", "env A=b", "LABEL=x=y")));
        for (String bad : List.of("RUN rm -rf /", "SHELL [\"/bin/ash\"]", "FROM scratch", "ADD x /", " ")) {
            ApiException e = assertThrows(ApiException.class, () -> CommitInstructions.check(List.of(bad)));
            assertEquals(400, e.status);
            String word = bad.strip().isEmpty() ? "empty" : bad.split(" ")[0];
            assertTrue(e.getMessage(), e.getMessage().contains(word));
        }
        assertEquals("repo", CommitApi.reference("repo", null));
        assertEquals("repo:t", CommitApi.reference("repo", "t"));
        assertEquals(null, CommitApi.reference(null, ""));
        assertThrows(ApiException.class, () -> CommitApi.reference("", "t"));
    }
}
