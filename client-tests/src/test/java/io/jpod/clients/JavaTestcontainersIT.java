package io.jpod.clients;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;

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

    @Test
    public void filesCopiedInAndOutAsTestcontainersDoes() throws Exception {
        Path host = Files.createTempFile(jpod.dir, "config", ".txt");
        Files.writeString(host, "from the host\n");
        try (GenericContainer<?> c = new GenericContainer<>(DockerImageName.parse("busybox:latest"))
                .withCommand("sleep", "300").withNetworkMode("none")
                .withCopyFileToContainer(MountableFile.forHostPath(host, 0640), "/etc/app/config.txt")) {
            c.start();
            // before start (the create's archive upload) and after it
            c.copyFileToContainer(Transferable.of("made at run time\n"), "/tmp/later.txt");
            assertEquals("from the host", c.execInContainer("cat", "/etc/app/config.txt").getStdout().trim());
            assertEquals("640", c.execInContainer("stat", "-c", "%a", "/etc/app/config.txt").getStdout().trim());
            String back = c.copyFileFromContainer("/tmp/later.txt",
                    in -> new String(in.readAllBytes(), StandardCharsets.UTF_8));
            assertEquals("made at run time\n", back);
        }
        assertEquals("", jpod.docker("ps", "-aq").out());
    }

    @Test
    public void aHealthcheckWaitAndANetworkAlias() throws Exception {
        try (Network net = Network.newNetwork();
                GenericContainer<?> web = new GenericContainer<>(DockerImageName.parse("busybox:latest"))
                        .withNetwork(net).withNetworkAliases("web")
                        .withCommand("sh", "-c", "sleep 2; echo up > /tmp/index.html; httpd -f -p 8080 -h /tmp")
                        .withCreateContainerCmdModifier(cmd -> cmd.withHealthcheck(
                                new com.github.dockerjava.api.model.HealthCheck()
                                        .withTest(java.util.List.of("CMD", "wget", "-qO-", "http://127.0.0.1:8080/"))
                                        .withInterval(500_000_000L).withRetries(60)))
                        .waitingFor(Wait.forHealthcheck().withStartupTimeout(Duration.ofSeconds(90)));
                GenericContainer<?> client = new GenericContainer<>(DockerImageName.parse("busybox:latest"))
                        .withNetwork(net).withCommand("sleep", "300")) {
            web.start();
            assertEquals("healthy", jpod.docker("inspect", "-f", "{{.State.Health.Status}}", web.getContainerId())
                    .out().strip());
            client.start();
            // the alias resolves on the test's own network
            assertEquals("up", client.execInContainer("wget", "-qO-", "http://web:8080/").getStdout().trim());
        }
        assertEquals("", jpod.docker("ps", "-aq").out());
    }
}
