package io.jpod.clients;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import org.junit.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/**
 * Testcontainers for Java on jpod's socket (DOCKER_HOST set by the build). Its reaper, Ryuk, is off
 * (TESTCONTAINERS_RYUK_DISABLED): it needs a privileged container with the socket mounted and an image
 * from a registry; the test stops its container itself.
 */
public class JavaTestcontainersIT extends ClientTestSupport {
    @Test
    public void genericContainerWithALogWaitStrategy() throws Exception {
        try (GenericContainer<?> c = new GenericContainer<>(DockerImageName.parse("busybox:latest"))
                .withCommand("sh", "-c", "echo warming up; sleep 1; echo ready to serve; sleep 300")
                .withNetworkMode("none")
                .waitingFor(Wait.forLogMessage(".*ready to serve.*\\n", 1)
                        .withStartupTimeout(Duration.ofSeconds(60)))) {
            c.start();
            assertTrue(c.isRunning());
            assertTrue(c.getLogs(), c.getLogs().contains("warming up"));
            assertEquals("inside", c.execInContainer("echo", "inside").getStdout().trim());
        }
        assertEquals("", jpod.docker("ps", "-aq").out());
    }
}
