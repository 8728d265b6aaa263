package io.jpod.clients;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jpod.clients.JpodService.Result;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;
import org.testcontainers.images.builder.ImageFromDockerfile;

/**
 * Builds from a Dockerfile with the clients as shipped: the docker CLI's classic builder, podman-remote, jpod
 * build; the result compared with buildah's build of the same Dockerfile.
 */
public class BuildIT extends ClientTestSupport {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MULTI_STAGE = """
            # syntax=docker/dockerfile:1
            ARG BASE=busybox
            FROM $BASE AS builder
            ARG GREETING=hello
            WORKDIR /src
            COPY greet.sh ./
            RUN chmod +x greet.sh && ./greet.sh "$GREETING" > /src/out.txt \\
                && mkdir -p /src/tree/a && echo deep > /src/tree/a/file
            FROM busybox
            LABEL org.example.title="built by jpod" org.example.stage=final
            ENV APP_HOME=/opt/app \\
                MODE=test
            ENV PATH=$APP_HOME/bin:$PATH
            WORKDIR $APP_HOME
            COPY --from=builder /src/out.txt ./
            COPY --from=0 /src/tree tree/
            COPY --chown=1000:1000 --chmod=640 conf/*.conf etc/
            ADD bundle.tar /opt/unpacked/
            RUN ln -s out.txt latest.txt && rm /bin/ping
            USER 1000:1000
            EXPOSE 8080 9090/udp
            VOLUME /data
            STOPSIGNAL SIGINT
            ENTRYPOINT ["/bin/sh", "-c"]
            CMD ["cat out.txt"]
            """;
    private static Path ctx;

    @BeforeClass
    public static void context() throws Exception {
        ctx = Files.createTempDirectory("jpod-build-ctx-");
        Files.writeString(ctx.resolve("Dockerfile"), MULTI_STAGE);
        Files.writeString(ctx.resolve("greet.sh"), "#!/bin/sh\necho \"$1 from the builder\"\n");
        Files.createDirectories(ctx.resolve("conf"));
        Files.writeString(ctx.resolve("conf/a.conf"), "a=1\n");
        Files.writeString(ctx.resolve("conf/b.conf"), "b=2\n");
        Files.writeString(ctx.resolve("conf/skip.txt"), "not copied\n");
        Files.writeString(ctx.resolve("secret.key"), "ignored\n");
        Files.writeString(ctx.resolve(".dockerignore"), "*.key\n");
        Path bundle = Files.createDirectories(ctx.resolve("bundle-src/pkg"));
        Files.writeString(bundle.resolve("data.txt"), "unpacked\n");
        Result t = jpod.run(List.of("tar", "-C", ctx.resolve("bundle-src").toString(), "-cf",
                ctx.resolve("bundle.tar").toString(), "pkg"), 30);
        assertEquals(t.toString(), 0, t.code());
    }

    @AfterClass
    public static void removeContext() throws Exception {
        if (ctx != null) {
            jpod.run(List.of("rm", "-rf", ctx.toString()), 30);
        }
    }

    private static Result dockerBuild(Path dir, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("env", "DOCKER_BUILDKIT=0", "docker", "build"));
        cmd.addAll(List.of(args));
        cmd.add(dir.toString());
        return jpod.run(cmd, 300);
    }

    private static List<String> containerIds() throws Exception {
        String out = ok("ps", "-aq", "--no-trunc").out();
        return out.isEmpty() ? List.of() : List.of(out.split("\n"));
    }

    private static JsonNode inspect(String image) throws Exception {
        return JSON.readTree(ok("image", "inspect", image).out()).get(0);
    }

    @Test
    public void dockerBuildsAMultiStageDockerfileAndUsesItsCache() throws Exception {
        List<String> before = containerIds();
        Result r = dockerBuild(ctx, "-t", "jpod-built:1", "-t", "jpod-built:also");
        assertEquals(r.toString(), 0, r.code());
        assertTrue(r.out(), r.out().contains("Step 1/21 : FROM $BASE AS builder"));
        assertTrue(r.out(), r.out().contains("Successfully tagged jpod-built:1"));
        assertTrue(r.out(), r.out().matches("(?s).*Successfully built [0-9a-f]{12}.*"));
        assertEquals(before, containerIds());

        JsonNode c = inspect("jpod-built:1").get("Config");
        assertEquals("[\"/bin/sh\",\"-c\"]", c.get("Entrypoint").toString());
        assertEquals("[\"cat out.txt\"]", c.get("Cmd").toString());
        assertEquals("/opt/app", c.get("WorkingDir").asText());
        assertEquals("1000:1000", c.get("User").asText());
        assertEquals("built by jpod", c.get("Labels").get("org.example.title").asText());
        assertTrue(c.get("ExposedPorts").has("8080/tcp"));
        assertTrue(c.get("ExposedPorts").has("9090/udp"));
        assertTrue(c.get("Volumes").has("/data"));
        assertEquals("SIGINT", c.get("StopSignal").asText());
        assertTrue(c.get("Env").toString(), c.get("Env").toString().contains("\"PATH=/opt/app/bin:"));
        assertEquals(inspect("jpod-built:1").get("Id"), inspect("jpod-built:also").get("Id"));

        Result run = ok("run", "--rm", "--network", "none", "jpod-built:1");
        assertEquals("hello from the builder", run.out());
        Result files = ok("run", "--rm", "--network", "none", "--user", "0", "--entrypoint", "sh", "jpod-built:1", "-c",
                "cat tree/a/file; ls etc; stat -c '%u:%g %a' etc/a.conf; cat /opt/unpacked/pkg/data.txt;"
                        + " ls /opt/app; test -e /opt/app/secret.key || echo no-key; test -e /bin/ping || echo no-ping;"
                        + " cat latest.txt");
        assertEquals("deep\na.conf\nb.conf\n1000:1000 640\nunpacked\netc\nlatest.txt\nout.txt\ntree\nno-key\nno-ping\nhello from the builder", files.out());

        Result again = dockerBuild(ctx, "-t", "jpod-built:2");
        assertEquals(again.toString(), 0, again.code());
        assertFalse(again.out(), again.out().contains("Running in"));
        assertTrue(again.out(), again.out().contains("Using cache"));
        assertEquals(inspect("jpod-built:1").get("Id"), inspect("jpod-built:2").get("Id"));

        Result fresh = dockerBuild(ctx, "--no-cache", "-t", "jpod-built:3", "--build-arg", "GREETING=bonjour");
        assertEquals(fresh.toString(), 0, fresh.code());
        assertTrue(fresh.out(), fresh.out().contains("Running in"));
        assertEquals("bonjour from the builder", ok("run", "--rm", "--network", "none", "jpod-built:3").out());
        assertEquals(before, containerIds());
        ok("rmi", "jpod-built:1", "jpod-built:also", "jpod-built:2", "jpod-built:3");
    }

    @Test
    public void aDockerfileFromStdinWithoutContext() throws Exception {
        Result r = jpod.run(List.of("env", "DOCKER_BUILDKIT=0", "docker", "build", "-t", "jpod-stdin-built", "-"),
                "FROM scratch AS empty\nFROM busybox\nRUN echo from stdin > /m\n"
                        + "COPY --from=busybox --chown=nobody:nogroup /etc/passwd /copied/\nCMD [\"cat\", \"/m\"]\n", 300);
        assertEquals(r.toString(), 0, r.code());
        assertEquals("from stdin", ok("run", "--rm", "--network", "none", "jpod-stdin-built").out());
        assertEquals("nobody:nogroup root:root", ok("run", "--rm", "--network", "none", "jpod-stdin-built", "sh", "-c",
                "stat -c %U:%G /copied/passwd; stat -c %U:%G /etc/passwd").out().replace("\n", " "));
        ok("rmi", "jpod-stdin-built");
    }

    @Test
    public void onbuildTriggersRunInTheChildBuildAndAreNotInherited() throws Exception {
        Path dir = Files.createTempDirectory(ctx.getParent(), "jpod-onbuild-");
        try {
            Files.writeString(dir.resolve("base.Dockerfile"), "FROM busybox\nONBUILD RUN echo triggered > /triggered\n"
                    + "ONBUILD COPY app.txt /app/\nCMD [\"sh\"]\n");
            Files.writeString(dir.resolve("child.Dockerfile"), "FROM jpod-onbuild-base\nRUN cat /triggered /app/app.txt"
                    + " > /both\n");
            Files.writeString(dir.resolve("app.txt"), "the child's file\n");
            Result base = dockerBuild(dir, "-f", dir.resolve("base.Dockerfile").toString(), "-t", "jpod-onbuild-base");
            assertEquals(base.toString(), 0, base.code());
            assertEquals(2, inspect("jpod-onbuild-base").path("Config").path("OnBuild").size());
            Result child = dockerBuild(dir, "-f", dir.resolve("child.Dockerfile").toString(), "-t", "jpod-onbuild-child");
            assertEquals(child.toString(), 0, child.code());
            assertTrue(child.out(), child.out().contains("# Executing 2 build triggers"));
            assertEquals("triggered\nthe child's file", ok("run", "--rm", "--network", "none", "jpod-onbuild-child",
                    "cat", "/both").out());
            // the triggers ran once: a grandchild does not run them again
            JsonNode onBuild = inspect("jpod-onbuild-child").path("Config").path("OnBuild");
            assertTrue(onBuild.toString(), onBuild.isNull() || onBuild.isEmpty());
        } finally {
            jpod.docker("rmi", "jpod-onbuild-child");
            jpod.docker("rmi", "jpod-onbuild-base");
            jpod.run(List.of("rm", "-rf", dir.toString()), 30);
        }
    }

    @Test
    public void addFetchesAUrlAsDockersBuilderDoes() throws Exception {
        com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        byte[] tar = Files.readAllBytes(ctx.resolve("bundle.tar"));
        server.createContext("/files/", x -> {
            String path = x.getRequestURI().getPath();
            byte[] body = path.endsWith("/hello.txt") ? "fetched over http\n".getBytes(StandardCharsets.UTF_8)
                    : path.endsWith("/pkg.tar") ? tar : null;
            if (body == null) {
                x.sendResponseHeaders(404, -1);
            } else {
                x.getResponseHeaders().add("Last-Modified", "Tue, 01 Dec 2026 10:00:00 GMT");
                x.sendResponseHeaders(200, body.length);
                x.getResponseBody().write(body);
            }
            x.close();
        });
        server.start();
        Path dir = Files.createTempDirectory(ctx.getParent(), "jpod-addurl-");
        try {
            String base = "http://127.0.0.1:" + server.getAddress().getPort() + "/files/";
            Files.writeString(dir.resolve("Dockerfile"), "FROM busybox\nADD " + base + "hello.txt /srv/\nADD " + base
                    + "pkg.tar /srv/pkg.tar\n");
            Result built = dockerBuild(dir, "-t", "jpod-addurl");
            assertEquals(built.toString(), 0, built.code());
            // mode 0600 and the server's time, as Docker gives a download; a remote archive stays an archive
            assertEquals("600 fetched over http", ok("run", "--rm", "--network", "none", "jpod-addurl", "sh", "-c",
                    "echo $(stat -c %a /srv/hello.txt) $(cat /srv/hello.txt)").out());
            assertEquals("2026-12-01 10:00:00", ok("run", "--rm", "--network", "none", "jpod-addurl", "sh", "-c",
                    "date -u -r /srv/hello.txt '+%Y-%m-%d %H:%M:%S'").out());
            assertEquals("file", ok("run", "--rm", "--network", "none", "jpod-addurl", "sh", "-c",
                    "test -f /srv/pkg.tar && echo file").out());

            Files.writeString(dir.resolve("Dockerfile"), "FROM busybox\nADD " + base + "missing.txt /srv/\n");
            Result missing = dockerBuild(dir, "-t", "jpod-addurl-missing");
            assertTrue(missing.toString(), missing.code() != 0 && (missing.out() + missing.err()).contains("404"));
            Files.writeString(dir.resolve("Dockerfile"), "FROM busybox\nCOPY " + base + "hello.txt /srv/\n");
            Result copy = dockerBuild(dir, "-t", "jpod-addurl-copy");
            assertTrue(copy.toString(), copy.code() != 0 && (copy.out() + copy.err()).contains("source can't be a URL"));
        } finally {
            server.stop(0);
            jpod.docker("rmi", "jpod-addurl");
            jpod.run(List.of("rm", "-rf", dir.toString()), 30);
        }
    }

    @Test
    public void aClientThatGoesAwayStopsTheBuildAndItsStepContainerGoes() throws Exception {
        Path dir = Files.createTempDirectory(ctx.getParent(), "jpod-gone-");
        try {
            Files.writeString(dir.resolve("Dockerfile"), "FROM busybox\nRUN echo started; sleep 300\n");
            Path tar = dir.resolve("context.tar");
            assertEquals(0, jpod.run(List.of("tar", "-C", dir.toString(), "-cf", tar.toString(), "Dockerfile"), 30).code());
            List<String> before = containerIds();
            // the client gives up while the RUN step sleeps
            Result gone = jpod.run(List.of("curl", "-sS", "--max-time", "8", "--unix-socket", jpod.socket.toString(),
                    "-X", "POST", "-H", "Content-Type: application/x-tar", "--data-binary", "@" + tar,
                    "http://d/v1.41/build?t=jpod-gone"), 30);
            assertTrue(gone.toString(), gone.out().contains("started"));
            List<String> left = containerIds();
            for (int i = 0; i < 60 && !left.equals(before); i++) {
                Thread.sleep(500);
                left = containerIds();
            }
            assertEquals("the step's container is removed once its client is gone", before, left);
            assertTrue(jpod.docker("image", "inspect", "jpod-gone").code() != 0);
        } finally {
            jpod.run(List.of("rm", "-rf", dir.toString()), 30);
        }
    }

    @Test
    public void theCacheOutlivesTheService() throws Exception {
        Path dir = Files.createTempDirectory("jpod-build-restart-");
        try {
            Files.writeString(dir.resolve("Dockerfile"), "FROM busybox\nLABEL b=2 a=1\nEXPOSE 90 80\n"
                    + "RUN echo $RANDOM > /random\n");
            Result first = dockerBuild(dir, "-t", "jpod-restart-cache");
            assertEquals(first.toString(), 0, first.code());
            String id = inspect("jpod-restart-cache").get("Id").asText();
            jpod.stopService();
            jpod.startService();
            Result second = dockerBuild(dir, "-t", "jpod-restart-cache");
            assertEquals(second.toString(), 0, second.code());
            assertFalse(second.out(), second.out().contains("Running in"));
            assertEquals(id, inspect("jpod-restart-cache").get("Id").asText());
            ok("rmi", "jpod-restart-cache");
        } finally {
            jpod.run(List.of("rm", "-rf", dir.toString()), 30);
        }
    }

    @Test
    public void aChangedSourceMissesTheCacheFromItsStepOnAndAWarmBuildMakesNoContainer() throws Exception {
        Path dir = Files.createTempDirectory("jpod-build-sources-");
        try {
            Files.createDirectories(dir.resolve("src"));
            Files.writeString(dir.resolve("src/a.txt"), "one\n");
            Files.writeString(dir.resolve("Dockerfile"), "FROM busybox AS b\nCOPY src /src\nRUN cat /src/a.txt > /copy\n"
                    + "FROM busybox\nWORKDIR /opt/w\nCOPY --from=b /copy ./\nCOPY --chown=1:1 src/a.txt /owned\n");
            Result first = dockerBuild(dir, "-t", "jpod-sources");
            assertEquals(first.toString(), 0, first.code());
            String id = inspect("jpod-sources").get("Id").asText();

            // events are asked by the second: the warm build starts in a second the first build had no part of
            long since = System.currentTimeMillis() / 1000 + 1;
            Thread.sleep(since * 1000 - System.currentTimeMillis() + 10);
            Result warm = dockerBuild(dir, "-t", "jpod-sources");
            assertEquals(warm.toString(), 0, warm.code());
            assertEquals(id, inspect("jpod-sources").get("Id").asText());
            long until = System.currentTimeMillis() / 1000 + 1;
            Result created = ok("events", "--since", Long.toString(since), "--until", Long.toString(until),
                    "--filter", "type=container", "--filter", "event=create", "--format", "{{.ID}}");
            assertEquals("a build whose every step is cached makes no container", "", created.out());

            Files.writeString(dir.resolve("src/a.txt"), "two\n");
            Result changed = dockerBuild(dir, "-t", "jpod-sources");
            assertEquals(changed.toString(), 0, changed.code());
            assertTrue("the RUN after the changed COPY runs again: " + changed.out(), changed.out().contains("Running in"));
            assertEquals("two\ntwo", ok("run", "--rm", "--network", "none", "jpod-sources", "cat", "/opt/w/copy",
                    "/owned").out());

            Files.setPosixFilePermissions(dir.resolve("src/a.txt"), PosixFilePermissions.fromString("rwxr-x---"));
            Result mode = dockerBuild(dir, "-t", "jpod-sources");
            assertEquals(mode.toString(), 0, mode.code());
            assertEquals("1:1 750", ok("run", "--rm", "--network", "none", "jpod-sources", "stat", "-c", "%u:%g %a",
                    "/owned").out());

            Files.writeString(dir.resolve("Dockerfile"), Files.readString(dir.resolve("Dockerfile"))
                    .replace("--chown=1:1", "--chown=2:2"));
            Result owner = dockerBuild(dir, "-t", "jpod-sources");
            assertEquals(owner.toString(), 0, owner.code());
            assertEquals("2:2", ok("run", "--rm", "--network", "none", "jpod-sources", "stat", "-c", "%u:%g",
                    "/owned").out());
            ok("rmi", "jpod-sources");
        } finally {
            jpod.run(List.of("rm", "-rf", dir.toString()), 30);
        }
    }

    @Test
    public void aFailingRunStopsTheBuildWithItsCodeAndLeavesNoContainer() throws Exception {
        Path dir = Files.createTempDirectory("jpod-build-fail-");
        try {
            Files.writeString(dir.resolve("Dockerfile"), "FROM busybox\nRUN echo before\nRUN exit 3\nRUN echo never\n");
            List<String> before = containerIds();
            Result r = dockerBuild(dir, "-t", "jpod-failed");
            assertEquals(r.toString(), 3, r.code());
            assertTrue(r.toString(), r.err().contains("The command '/bin/sh -c exit 3' returned a non-zero code: 3"));
            assertFalse(r.out(), r.out().contains("never"));
            assertEquals(before, containerIds());
            assertNotEquals(0, jpod.docker("image", "inspect", "jpod-failed").code());
        } finally {
            jpod.run(List.of("rm", "-rf", dir.toString()), 30);
        }
    }

    @Test
    public void errorsNameTheLineOrThePath() throws Exception {
        Path dir = Files.createTempDirectory("jpod-build-err-");
        try {
            Files.writeString(dir.resolve("Dockerfile"), "FROM busybox\n\nRUN true\nCOPPY a b\n");
            Result r = dockerBuild(dir);
            assertNotEquals(0, r.code());
            assertTrue(r.toString(), r.err().contains("line 4: unknown instruction: COPPY"));

            Files.writeString(dir.resolve("Dockerfile"), "FROM busybox\nCOPY ../outside /x\n");
            r = dockerBuild(dir);
            assertNotEquals(0, r.code());
            assertTrue(r.toString(), r.err().contains("forbidden path outside the build context: ../outside"));

            Files.writeString(dir.resolve("Dockerfile"), "FROM busybox\nCOPY missing.txt /x\n");
            r = dockerBuild(dir);
            assertNotEquals(0, r.code());
            assertTrue(r.toString(), r.err().contains("missing.txt"));
        } finally {
            jpod.run(List.of("rm", "-rf", dir.toString()), 30);
        }
    }

    /** A context tar made by hand whose entries leave the context: refused before any step, nothing written. */
    @Test
    public void aHostileContextIsRefused() throws Exception {
        Path dir = Files.createTempDirectory("jpod-build-hostile-");
        try {
            Path victim = dir.resolve("victim");
            Files.createDirectories(victim);
            String script = """
                    import io, sys, tarfile
                    def add(t, name, data=b"", link=None):
                        i = tarfile.TarInfo(name)
                        if link is not None:
                            i.type = tarfile.SYMTYPE
                            i.linkname = link
                        else:
                            i.size = len(data)
                        t.addfile(i, io.BytesIO(data))
                    with tarfile.open(sys.argv[1], "w") as t:
                        add(t, "Dockerfile", b"FROM busybox\\nCOPY . /x\\n")
                        add(t, "out", link=sys.argv[2])
                        add(t, "out/planted", b"through the link")
                    with tarfile.open(sys.argv[3], "w") as t:
                        add(t, "Dockerfile", b"FROM busybox\\n")
                        add(t, "../../planted", b"above")
                    """;
            Files.writeString(dir.resolve("make.py"), script);
            Result made = jpod.run(List.of("python3", dir.resolve("make.py").toString(), dir.resolve("link.tar").toString(),
                    victim.toString(), dir.resolve("dotdot.tar").toString()), 30);
            assertEquals(made.toString(), 0, made.code());
            for (String tar : List.of("link.tar", "dotdot.tar")) {
                Result r = jpod.run(List.of("curl", "-sS", "--unix-socket", jpod.socket.toString(), "-X", "POST",
                        "-H", "Content-Type: application/x-tar", "--data-binary", "@" + dir.resolve(tar),
                        "http://d/v1.44/build?t=jpod-hostile"), 60);
                assertTrue(tar + ": " + r, r.out().contains("the build context's entry"));
            }
            try (var s = Files.list(victim)) {
                assertEquals(0, s.count());
            }
            assertNotEquals(0, jpod.docker("image", "inspect", "jpod-hostile").code());
        } finally {
            jpod.run(List.of("rm", "-rf", dir.toString()), 30);
        }
    }

    @Test
    public void podmanRemoteAndJpodBuild() throws Exception {
        Path dir = Files.createTempDirectory("jpod-build-podman-");
        Path outside = Files.createTempDirectory("jpod-build-file-");
        try {
            Files.writeString(dir.resolve("Containerfile"), "FROM busybox\nARG WHO=podman\nRUN echo built by $WHO > /who\n"
                    + "CMD [\"cat\", \"/who\"]\n");
            Result p = jpod.run(List.of("podman", "--remote", "build", "-t", "jpod-podman-built", "--build-arg",
                    "WHO=podman-remote", dir.toString()), 300);
            assertEquals(p.toString(), 0, p.code());
            assertTrue(p.out(), p.out().contains("STEP 1/4: FROM busybox"));
            String id = p.out().substring(p.out().lastIndexOf('\n') + 1);
            assertTrue(id, id.matches("[0-9a-f]{64}"));
            assertEquals("built by podman-remote", ok("run", "--rm", "--network", "none", "jpod-podman-built").out());

            Files.writeString(outside.resolve("Other.Dockerfile"), "FROM busybox\nCOPY Containerfile /copied\n"
                    + "CMD [\"cat\", \"/copied\"]\n");
            Result j = jpod.jpod("build", "-t", "jpod-cli-built", "-f", outside.resolve("Other.Dockerfile").toString(),
                    "--label", "made.by=jpod", dir.toString());
            assertEquals(j.toString(), 0, j.code());
            assertTrue(ok("run", "--rm", "--network", "none", "jpod-cli-built").out().startsWith("FROM busybox"));
            assertEquals("jpod", inspect("jpod-cli-built").get("Config").get("Labels").get("made.by").asText());

            List<String> again = List.of("podman", "--remote", "build", "-t", "jpod-podman-built", "--build-arg",
                    "WHO=podman-remote", dir.toString());
            Result cached = jpod.run(again, 300);
            assertTrue(cached.toString(), cached.out().contains("--> Using cache"));
            Result prune = jpod.jpod("builder", "prune", "-f");
            assertEquals(prune.toString(), 0, prune.code());
            assertTrue(prune.out(), prune.out().matches("Forgot [1-9][0-9]* build cache entries"));
            Result rebuilt = jpod.run(again, 300);
            assertEquals(rebuilt.toString(), 0, rebuilt.code());
            assertFalse(rebuilt.out(), rebuilt.out().contains("Using cache"));
            ok("rmi", "jpod-podman-built", "jpod-cli-built");
        } finally {
            jpod.run(List.of("rm", "-rf", dir.toString(), outside.toString()), 30);
        }
    }

    @Test
    public void composeBuildsItsServiceImage() throws Exception {
        assumeTrue("docker-compose is installed", Files.isExecutable(Path.of("/usr/bin/docker-compose")));
        Path dir = Files.createTempDirectory("jpod-build-compose-");
        List<String> compose = List.of("docker-compose", "-p", "jpodbuild", "-f", dir.resolve("docker-compose.yml")
                .toString());
        try {
            Files.createDirectories(dir.resolve("app"));
            Files.writeString(dir.resolve("app/Dockerfile"), "FROM busybox\nARG FLAVOUR\nRUN echo compose-$FLAVOUR > /m\n"
                    + "CMD [\"sh\", \"-c\", \"cat /m; sleep 300\"]\n");
            Files.writeString(dir.resolve("docker-compose.yml"), """
                    version: "3"
                    services:
                      app:
                        build:
                          context: ./app
                          args:
                            FLAVOUR: built
                        image: jpod-compose-built
                        network_mode: none
                    """);
            Result b = jpod.run(cat(compose, "build"), 300);
            assertEquals(b.toString(), 0, b.code());
            Result up = jpod.run(cat(compose, "up", "-d"), 180);
            assertEquals(up.toString(), 0, up.code());
            String logs = "";
            for (int i = 0; i < 100 && !logs.contains("compose-built"); i++) {
                Thread.sleep(100);
                logs = jpod.run(cat(compose, "logs", "--no-color", "app"), 60).out();
            }
            assertTrue(logs, logs.contains("compose-built"));
        } finally {
            Result down = jpod.run(cat(compose, "down", "--rmi", "all"), 180);
            assertEquals(down.toString(), 0, down.code());
            jpod.run(List.of("rm", "-rf", dir.toString()), 30);
        }
    }

    @Test
    public void testcontainersImageFromDockerfile() throws Exception {
        ImageFromDockerfile image = new ImageFromDockerfile("jpod-tc-built", true)
                .withFileFromString("hello.txt", "from testcontainers\n")
                .withDockerfileFromBuilder(b -> b.from("busybox").copy("hello.txt", "/hello.txt")
                        .cmd("cat", "/hello.txt").build());
        String name = image.get();
        assertEquals("from testcontainers", ok("run", "--rm", "--network", "none", name).out());
    }

    /** buildah builds the same Dockerfile in a private store: the same config and the same files. */
    @Test
    public void sameImageAsBuildah() throws Exception {
        Path store = Files.createTempDirectory("jpod-buildit-");
        Files.setPosixFilePermissions(store, PosixFilePermissions.fromString("rwx------"));
        List<String> buildah = List.of("buildah", "--root", store.resolve("root").toString(), "--runroot",
                store.resolve("run").toString(), "--storage-driver", "vfs");
        try {
            String busybox = jpod.home.resolve("etc/busybox.tar").toString();
            String from = buildah(buildah, "from", "scratch").out();
            buildah(buildah, "add", from, busybox, "/");
            buildah(buildah, "config", "--cmd", "sh", from);
            buildah(buildah, "commit", "-q", from, "busybox");
            buildah(buildah, "rm", from);
            Result b = jpod.run(cat(buildah, "bud", "--isolation", "chroot", "--network", "host", "--format", "docker",
                    "-t", "bah-built", ctx.toString()), 300);
            assertEquals(b.toString(), 0, b.code());
            Result r = dockerBuild(ctx, "-t", "jpod-vs-buildah");
            assertEquals(r.toString(), 0, r.code());

            JsonNode bah = JSON.readTree(buildah(buildah, "inspect", "--type", "image", "bah-built").out())
                    .get("Docker").get("config");
            // buildah signs its images with its version
            ((com.fasterxml.jackson.databind.node.ObjectNode) bah.get("Labels")).remove("io.buildah.version");
            JsonNode ours = inspect("jpod-vs-buildah").get("Config");
            for (String f : List.of("Env", "Cmd", "Entrypoint", "WorkingDir", "User", "Labels", "ExposedPorts", "Volumes",
                    "StopSignal")) {
                assertEquals(f, normal(bah.get(f)), normal(ours.get(f)));
            }
            String list = "find / -xdev \\( -path /proc -o -path /sys -o -path /dev \\) -prune -o -print"
                    + " | sort | xargs stat -c '%n %u:%g %a %F' 2>/dev/null | grep -v '^/ \\|^/etc/hostname\\|^/etc/hosts\\|^/etc/resolv.conf\\|^/run\\|^/\\(proc\\|sys\\|dev\\) '";
            String bahFiles = buildahFiles(buildah, "bah-built", list);
            String ourFiles = ok("run", "--rm", "--network", "none", "--user", "0", "--entrypoint", "sh",
                    "jpod-vs-buildah", "-c", list).out();
            assertEquals(bahFiles, ourFiles);
            ok("rmi", "jpod-vs-buildah");
        } finally {
            jpod.run(cat(buildah, "rm", "--all"), 60);
            jpod.run(cat(buildah, "rmi", "--all", "--force"), 60);
            jpod.run(List.of("sh", "-c", "grep -o ' " + store + "[^ ]*' /proc/mounts | sort -r | xargs -r -n1 umount -l"),
                    30);
            jpod.run(List.of("rm", "-rf", store.toString()), 60);
        }
    }

    private static String buildahFiles(List<String> buildah, String image, String list) throws Exception {
        String c = buildah(buildah, "from", "--pull-never", image).out();
        try {
            return buildah(buildah, "run", "--isolation", "chroot", "--network", "host", "--user", "0", c, "--", "sh",
                    "-c", list).out();
        } finally {
            jpod.run(cat(buildah, "rm", c), 60);
        }
    }

    private static String normal(JsonNode n) {
        if (n == null || n.isNull() || n.isEmpty() && (n.isObject() || n.isArray())) {
            return "";
        }
        if (n.isArray()) {
            List<String> l = new ArrayList<>();
            n.forEach(e -> l.add(e.asText()));
            return l.toString();
        }
        if (n.isObject()) {
            List<String> l = new ArrayList<>();
            n.fields().forEachRemaining(e -> l.add(e.getKey() + "=" + e.getValue().asText()));
            l.sort(null);
            return l.toString();
        }
        return n.asText();
    }

    private static List<String> cat(List<String> a, String... b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(List.of(b));
        return out;
    }

    private static Result buildah(List<String> base, String... args) throws Exception {
        Result r = jpod.run(cat(base, args), 300);
        assertEquals("buildah " + String.join(" ", args) + ": " + r, 0, r.code());
        return r;
    }
}
