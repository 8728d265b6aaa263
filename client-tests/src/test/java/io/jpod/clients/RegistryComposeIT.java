package io.jpod.clients;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import io.jpod.clients.JpodService.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.PullPolicy;
import org.testcontainers.utility.DockerImageName;

/**
 * Testcontainers and docker-compose running images that only the loopback registry has: jpod pulls them for the
 * clients as dockerd does.
 */
public class RegistryComposeIT extends ClientTestSupport {
    private static Path work;
    private static LocalRegistry registry;

    @BeforeClass
    public static void startRegistry() throws Exception {
        assumeTrue("docker-registry and skopeo are installed", LocalRegistry.available());
        work = Files.createTempDirectory("jpod-registry-compose-");
        registry = LocalRegistry.start(work.resolve("registry"), null, null);
    }

    @AfterClass
    public static void stopRegistry() throws Exception {
        if (registry != null) {
            registry.close();
        }
        JpodService.deleteTree(work);
    }

    private static String put(String name) throws Exception {
        LocalRegistry.Image i = LocalRegistry.write(work.resolve("layout-" + name), "v1",
                jpod.home.resolve("etc/busybox.tar"), name);
        registry.put(i, name + "/bb:v1", null);
        return registry.address() + "/" + name + "/bb:v1";
    }

    @Test
    public void testcontainersPullsWhatIsMissingAndAlwaysWhenAsked() throws Exception {
        String ref = put("tc");
        for (boolean always : new boolean[] {false, true}) {
            try (GenericContainer<?> c = new GenericContainer<>(DockerImageName.parse(ref))
                    .withCommand("sh", "-c", "cat /marker; echo ready; sleep 300")
                    .withNetworkMode("none")
                    .waitingFor(Wait.forLogMessage(".*ready.*\\n", 1).withStartupTimeout(Duration.ofSeconds(90)))) {
                if (always) {
                    c.withImagePullPolicy(PullPolicy.alwaysPull());
                }
                c.start();
                assertTrue(c.getLogs(), c.getLogs().contains("tc"));
            }
            assertEquals("", jpod.docker("ps", "-aq").out());
            assertTrue(ok("images", "--format", "{{.Repository}}:{{.Tag}}").out().contains(ref));
        }
    }

    @Test
    public void dockerComposeUpPullsAndDownRemoves() throws Exception {
        assumeTrue("docker-compose is installed", Files.isExecutable(Path.of("/usr/bin/docker-compose")));
        String ref = put("compose");
        Path dir = Files.createDirectories(work.resolve("compose"));
        Files.writeString(dir.resolve("docker-compose.yml"), """
                version: "3"
                services:
                  app:
                    image: %s
                    command: ["sh", "-c", "cat /marker; sleep 300"]
                    network_mode: none
                """.formatted(ref));
        List<String> compose = List.of("docker-compose", "-p", "jpodreg", "-f", dir.resolve("docker-compose.yml")
                .toString());
        try {
            Result up = jpod.run(concat(compose, "up", "-d"), 180);
            assertEquals(up.toString(), 0, up.code());
            Result ps = ok("ps", "--format", "{{.Image}} {{.Status}}");
            assertTrue(ps.out(), ps.out().contains(ref + " Up"));
            Result logs = jpod.run(concat(compose, "logs", "--no-color", "app"), 60);
            assertTrue(logs.toString(), logs.out().contains("compose"));
        } finally {
            Result down = jpod.run(concat(compose, "down"), 180);
            assertEquals(down.toString(), 0, down.code());
        }
        assertEquals("", jpod.docker("ps", "-aq").out());
    }

    private static List<String> concat(List<String> a, String... more) {
        return Stream.concat(a.stream(), Stream.of(more)).toList();
    }
}
