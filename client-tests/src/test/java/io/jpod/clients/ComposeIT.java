package io.jpod.clients;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import io.jpod.clients.JpodService.Result;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.Test;

/**
 * A two-service project (a web server and a client that finds it by its service name, a named volume, a network of
 * the project's own, a port on loopback) through docker-compose and podman-compose, as their users run it: up, up
 * again with nothing changed, ps, logs, exec, restart, a one-off run, down.
 */
public class ComposeIT extends ClientTestSupport {

    private static final String PROJECT = """
            version: "3.8"
            services:
              web:
                image: busybox
                command: ["sh", "-c", "echo hello-compose > /data/index.html && httpd -f -p 8080 -h /data"]
                ports:
                  - "127.0.0.1:%d:8080"
                volumes:
                  - data:/data
                networks: [back]
              client:
                image: busybox
                command: ["sh", "-c", "until wget -qO- http://web:8080/; do sleep 1; done; sleep 300"]
                depends_on: [web]
                networks: [back]
            volumes:
              data: {}
            networks:
              back:
                driver: bridge
            """;

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static Path project(String name, int port) throws Exception {
        Path dir = Files.createDirectories(jpod.dir.resolve(name));
        Files.writeString(dir.resolve("docker-compose.yml"), PROJECT.formatted(port));
        return dir;
    }

    private static Result compose(List<String> tool, Path dir, String... args) throws Exception {
        List<String> cmd = Stream.concat(Stream.concat(tool.stream(), Stream.of("-f",
                dir.resolve("docker-compose.yml").toString())), Arrays.stream(args)).toList();
        return jpod.run(cmd, 180);
    }

    /**
     * {@code restart web} starts the web container again and it serves as before; a one-off container of the
     * client service ({@code run --rm}), on the project's network, reaches it by its service name.
     */
    private static void restartAndRunOnce(List<String> tool, Path dir, String web, int port) throws Exception {
        String started = ok("inspect", "-f", "{{.State.StartedAt}}", web).out();
        Result restart = compose(tool, dir, "restart", "web");
        assertEquals(restart.toString(), 0, restart.code());
        assertNotEquals(started, ok("inspect", "-f", "{{.State.StartedAt}}", web).out());
        assertEquals("hello-compose", get(port));
        Result once = compose(tool, dir, "run", "--rm", "-T", "client", "wget", "-qO-", "http://web:8080/");
        assertTrue(once.toString(), once.out().lines().anyMatch("hello-compose"::equals));
    }

    private static String get(int port) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        return r.body().strip();
    }

    /** The client's log once it reached the web server by its service name. */
    private static String awaitClient(String container) throws Exception {
        String logs = "";
        for (int i = 0; i < 120 && !logs.contains("hello-compose"); i++) {
            Thread.sleep(500);
            logs = jpod.docker("logs", container).out();
        }
        return logs;
    }

    @Test
    public void dockerComposeUpUpAgainAndDown() throws Exception {
        assumeTrue("docker-compose is installed", Files.isExecutable(Path.of("/usr/bin/docker-compose")));
        int port = freePort();
        Path dir = project("dc", port);
        List<String> dc = List.of("docker-compose", "-p", "jpoddc");
        try {
            Result up = compose(dc, dir, "up", "-d");
            assertEquals(up.toString(), 0, up.code());
            // the client found the web server by the service's name (its alias on the project's network)
            assertTrue(awaitClient("jpoddc_client_1"), awaitClient("jpoddc_client_1").contains("hello-compose"));
            assertEquals("hello-compose", get(port));
            assertEquals("jpoddc_back", ok("inspect", "-f", "{{range $k, $v := .NetworkSettings.Networks}}{{$k}} {{end}}",
                    "jpoddc_web_1").out().strip());
            String ids = ok("ps", "-q", "--no-trunc", "--filter", "label=com.docker.compose.project=jpoddc").out();

            // nothing changed: nothing is made again
            Result again = compose(dc, dir, "up", "-d");
            assertEquals(again.toString(), 0, again.code());
            String said = again.out() + again.err();
            assertTrue(said, said.contains("jpoddc_web_1 is up-to-date") && said.contains("jpoddc_client_1 is up-to-date"));
            assertEquals(ids, ok("ps", "-q", "--no-trunc", "--filter", "label=com.docker.compose.project=jpoddc").out());
            String ps = compose(dc, dir, "ps", "-q").out();
            assertEquals(ps, 2, ps.lines().count());
            assertTrue(compose(dc, dir, "logs", "--no-color", "client").out().contains("hello-compose"));

            Result exec = compose(dc, dir, "exec", "-T", "web", "cat", "/data/index.html");
            assertEquals(exec.toString(), "hello-compose", exec.out().strip());
            restartAndRunOnce(dc, dir, "jpoddc_web_1", port);
            assertEquals("", ok("ps", "-aq", "--filter", "label=com.docker.compose.oneoff=True").out());
        } finally {
            Result down = compose(dc, dir, "down", "-v");
            assertEquals(down.toString(), 0, down.code());
        }
        assertEquals("", ok("ps", "-aq", "--filter", "label=com.docker.compose.project=jpoddc").out());
        assertTrue(!ok("network", "ls", "--format", "{{.Name}}").out().contains("jpoddc_back"));
        assertTrue(!ok("volume", "ls", "--format", "{{.Name}}").out().contains("jpoddc_data"));
    }

    @Test
    public void dependsOnServiceHealthyWaitsForTheHealthcheck() throws Exception {
        assumeTrue("docker-compose is installed", Files.isExecutable(Path.of("/usr/bin/docker-compose")));
        Path dir = Files.createDirectories(jpod.dir.resolve("hc"));
        // the client starts only once the web server's healthcheck passes: its first request finds the file
        Files.writeString(dir.resolve("docker-compose.yml"), """
                version: "2.4"
                services:
                  web:
                    image: busybox
                    command: ["sh", "-c", "sleep 3; echo ready > /tmp/ready; httpd -f -p 8080 -h /tmp"]
                    healthcheck:
                      test: ["CMD", "test", "-f", "/tmp/ready"]
                      interval: 1s
                      retries: 60
                  client:
                    image: busybox
                    command: ["sh", "-c", "wget -qO- http://web:8080/ready || echo not-ready; sleep 300"]
                    depends_on:
                      web:
                        condition: service_healthy
                """);
        List<String> dc = List.of("docker-compose", "-p", "jpodhc");
        try {
            Result up = compose(dc, dir, "up", "-d");
            assertEquals(up.toString(), 0, up.code());
            assertTrue(ok("ps", "--filter", "name=jpodhc_web_1", "--format", "{{.Status}}").out().contains("(healthy)"));
            String logs = "";
            for (int i = 0; i < 60 && logs.isBlank(); i++) {
                Thread.sleep(500);
                logs = jpod.docker("logs", "jpodhc_client_1").out();
            }
            assertEquals("ready", logs.strip());
        } finally {
            Result down = compose(dc, dir, "down");
            assertEquals(down.toString(), 0, down.code());
        }
    }

    @Test
    public void podmanComposeUpUpAgainAndDown() throws Exception {
        assumeTrue("podman-compose is installed", Files.isExecutable(Path.of("/usr/bin/podman-compose")));
        int port = freePort();
        Path dir = project("pc", port);
        // podman-compose runs podman, which CONTAINER_HOST makes a client of jpod's socket
        List<String> pc = List.of("podman-compose", "-p", "jpodpc");
        String project = "label=io.podman.compose.project=jpodpc";
        try {
            Result up = compose(pc, dir, "up", "-d");
            assertEquals(up.toString(), 0, up.code());
            // the client found the web server by the service's name (its alias on the project's network)
            assertTrue(awaitClient("jpodpc_client_1"), awaitClient("jpodpc_client_1").contains("hello-compose"));
            assertEquals("hello-compose", get(port));
            assertEquals("jpodpc_back", ok("inspect", "-f", "{{range $k, $v := .NetworkSettings.Networks}}{{$k}} {{end}}",
                    "jpodpc_web_1").out().strip());
            String ids = ok("ps", "-q", "--no-trunc", "--filter", project).out();
            assertEquals(ids, 2, ids.lines().count());

            // podman-compose 1.0 has no "up-to-date": it runs each container again, which the name in use refuses,
            // and starts the one there; the project keeps its containers
            Result again = compose(pc, dir, "up", "-d");
            assertEquals(again.toString(), 0, again.code());
            assertTrue(again.out(), again.out().contains("podman start jpodpc_web_1")
                    && again.out().contains("podman start jpodpc_client_1"));
            assertEquals(ids, ok("ps", "-q", "--no-trunc", "--filter", project).out());
            assertEquals("running running", ok("inspect", "-f", "{{.State.Status}}", "jpodpc_web_1", "jpodpc_client_1")
                    .out().replace('\n', ' '));
            Result ps = compose(pc, dir, "ps", "-q");
            for (String id : ids.lines().toList()) {
                assertTrue(ps.out(), ps.out().contains(id.substring(0, 12)));
            }
            Result logs = compose(pc, dir, "logs", "client");
            assertTrue(logs.toString(), logs.out().contains("hello-compose"));

            Result exec = compose(pc, dir, "exec", "-T", "web", "cat", "/data/index.html");
            assertTrue(exec.toString(), exec.out().lines().anyMatch("hello-compose"::equals));
            restartAndRunOnce(pc, dir, "jpodpc_web_1", port);
            assertEquals("", ok("ps", "-aq", "--filter", "name=jpodpc_client_tmp").out());
            assertEquals(ids, ok("ps", "-q", "--no-trunc", "--filter", project).out());
        } finally {
            Result down = compose(pc, dir, "down", "-v");
            assertEquals(down.toString(), 0, down.code());
        }
        assertEquals("", ok("ps", "-aq", "--filter", project).out());
        assertTrue(!ok("volume", "ls", "--format", "{{.Name}}").out().contains("jpodpc_data"));
        // podman-compose 1.0.3's down removes the containers, the pods and (-v) the volumes of the project, but no
        // network: its compose_down has no "network rm", and with the host's podman (no CONTAINER_HOST) the network
        // is left the same way. So the one thing removed by hand is the network podman-compose made and left.
        assertTrue(ok("network", "ls", "--format", "{{.Name}}").out().lines().anyMatch("jpodpc_back"::equals));
        ok("network", "rm", "jpodpc_back");
    }

    @Test
    public void anAliasThatIsNoNameIsRefusedAndTheContainerKeepsItsNetworks() throws Exception {
        ok("network", "create", "jpod-alias-net");
        try {
            ok("create", "--name", "alias-target", "--network", "jpod-alias-net", "busybox", "true");
            Result bad = jpod.docker("network", "connect", "--alias", "two lines", "bridge", "alias-target");
            assertEquals(bad.toString(), 1, bad.code());
            assertTrue(bad.err(), bad.err().contains("network alias") && bad.err().contains("is not a valid name"));
            assertEquals("jpod-alias-net", ok("inspect", "-f",
                    "{{range $k, $v := .NetworkSettings.Networks}}{{$k}}{{end}}", "alias-target").out().strip());
            // the last network disconnected and another connected, as compose does to set aliases
            ok("network", "disconnect", "jpod-alias-net", "alias-target");
            ok("network", "connect", "--alias", "svc", "jpod-alias-net", "alias-target");
            assertEquals("jpod-alias-net [svc]", ok("inspect", "-f",
                    "{{range $k, $v := .NetworkSettings.Networks}}{{$k}} {{$v.Aliases}}{{end}}", "alias-target").out()
                    .strip());
        } finally {
            jpod.docker("rm", "-f", "alias-target");
            jpod.docker("network", "rm", "jpod-alias-net");
        }
    }
}
