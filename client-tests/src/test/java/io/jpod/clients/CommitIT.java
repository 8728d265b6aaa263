package io.jpod.clients;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jpod.clients.JpodService.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * A container's changes as users see them: {@code diff}, {@code export} and {@code commit} through the docker CLI,
 * podman-remote and jpod's CLI; a container of the committed image sees the changes and not what was deleted; and
 * the same steps in podman itself give the same diff, the same layer and the same config.
 */
public class CommitIT extends ClientTestSupport {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PODMAN_IMAGE = "localhost/jpod-commit-it-base:latest";
    /** What a user's commands change: a file added, one changed, one deleted, a directory made, one remade. */
    private static final String STEPS = "echo hi > /newfile; echo x >> /etc/passwd; rm /bin/ls; mkdir -p /opq/a;"
            + " rm -rf /tmp; mkdir /tmp; touch /tmp/in";
    /** The mount points each engine makes in a container's layer, which its diff leaves out and its commit keeps. */
    private static final Set<String> MOUNT_POINTS = Set.of("dev/", "proc/", "sys/", "run/", "etc/hosts",
            "etc/hostname", "etc/resolv.conf", "etc/mtab", "run/.containerenv");
    private static final List<String> IMAGES = new ArrayList<>();

    @BeforeClass
    public static void importForPodman() throws Exception {
        Result r = reference("import", "-q", jpod.home.resolve("etc/busybox.tar").toString(), PODMAN_IMAGE);
        assertEquals("podman import: " + r, 0, r.code());
    }

    @AfterClass
    public static void removeForPodman() throws Exception {
        if (jpod == null) {
            return;
        }
        reference("rm", "-f", "commit-it-ref");
        reference("rmi", "-f", "localhost/jpod-commit-it:podman-ref", PODMAN_IMAGE);
    }

    private static Result sh(String script) throws Exception {
        return jpod.run(List.of("sh", "-c", script), 120);
    }

    /** A container of busybox that ran the steps and exited. */
    private static void changed(String name) throws Exception {
        ok("run", "--name", name, "--network", "none", "busybox", "sh", "-c", STEPS);
    }

    private static String commit(String... args) throws Exception {
        String id = ok(args).out().strip();
        IMAGES.add(id);
        return id;
    }

    @AfterClass
    public static void removeImages() throws Exception {
        if (jpod == null) {
            return;
        }
        for (String i : IMAGES) {
            jpod.docker("rmi", "-f", i);
        }
    }

    @Test
    public void dockerDiffExportAndCommitShowTheChanges() throws Exception {
        changed("commit-docker");
        List<String> diff = ok("diff", "commit-docker").out().lines().toList();
        assertEquals(List.of("C /bin", "D /bin/ls", "C /etc", "C /etc/passwd", "A /newfile", "A /opq", "A /opq/a",
                "D /tmp", "A /tmp/in"), diff);

        Result tar = sh("docker export commit-docker | tar t");
        assertEquals(tar.toString(), 0, tar.code());
        List<String> names = tar.out().lines().toList();
        assertTrue(names.toString(), names.containsAll(List.of("bin/sh", "etc/passwd", "newfile", "opq/a/", "tmp/in")));
        assertFalse(names.contains("bin/ls"));
        assertTrue(names.stream().noneMatch(n -> n.contains(".wh.")));

        String id = commit("commit", "--change", "CMD [\"cat\", \"/newfile\"]", "--change", "ENV FROM_COMMIT=yes",
                "-m", "the steps", "-a", "Tester <t@example.com>", "commit-docker", "jpod-commit-it:docker");
        assertTrue(id, id.matches("sha256:[0-9a-f]{64}"));
        assertEquals("hi", ok("run", "--rm", "--network", "none", "jpod-commit-it:docker").out());
        assertEquals("gone x yes", ok("run", "--rm", "--network", "none", "jpod-commit-it:docker", "sh", "-c",
                "test -e /bin/ls || echo -n 'gone '; tail -1 /etc/passwd | tr '\\n' ' '; echo $FROM_COMMIT").out());
        assertEquals("[\"cat\",\"/newfile\"]", ok("inspect", "-f", "{{json .Config.Cmd}}", "jpod-commit-it:docker").out());
        assertEquals("Tester <t@example.com>", ok("inspect", "-f", "{{.Author}}", "jpod-commit-it:docker").out());
        assertEquals(2, JSON.readTree(ok("inspect", "-f", "{{json .RootFS.Layers}}", "jpod-commit-it:docker").out())
                .size());

        List<String> history = ok("history", "--no-trunc", "--format", "{{.ID}}|{{.CreatedBy}}|{{.Comment}}",
                "jpod-commit-it:docker").out().lines().toList();
        assertEquals(history.toString(), 2, history.size());
        assertEquals(id + "|sh -c " + STEPS + "|the steps", history.get(0));
        assertTrue(history.get(1), history.get(1).startsWith("<missing>|"));
        ok("rm", "commit-docker");
    }

    @Test
    public void aRunningContainerIsPausedWhileCommittedAndRunsOn() throws Exception {
        ok("run", "-d", "--name", "commit-running", "--network", "none", "busybox", "sh", "-c",
                "echo running > /state; sleep 300");
        try {
            await(() -> ok("diff", "commit-running").out().lines().anyMatch("A /state"::equals));
            Result tar = sh("docker export commit-running | tar t");
            assertTrue(tar.toString(), tar.out().lines().anyMatch("state"::equals));
            commit("commit", "commit-running", "jpod-commit-it:running");
            assertEquals("running", ok("inspect", "-f", "{{.State.Status}}", "commit-running").out());
            Result ev = ok("events", "--since", "2m", "--until", "0s", "--filter", "container=commit-running",
                    "--format", "{{.Action}}");
            List<String> actions = ev.out().lines().toList();
            assertTrue(actions.toString(), actions.indexOf("pause") >= 0
                    && actions.indexOf("unpause") > actions.indexOf("pause"));
            commit("commit", "--pause=false", "commit-running", "jpod-commit-it:unpaused");
            assertEquals("running", ok("run", "--rm", "--network", "none", "jpod-commit-it:unpaused", "cat", "/state")
                    .out());
        } finally {
            ok("rm", "-f", "commit-running");
        }
    }

    @Test
    public void badCommitsAreRefusedByName() throws Exception {
        changed("commit-bad");
        try {
            Result run = jpod.docker("commit", "--change", "RUN echo no", "commit-bad", "jpod-commit-it:bad");
            assertNotEquals(run.toString(), 0, run.code());
            assertTrue(run.err(), run.err().contains("RUN"));
            Result shell = jpod.docker("commit", "--change", "SHELL [\"/bin/ash\"]", "commit-bad");
            assertNotEquals(shell.toString(), 0, shell.code());
            assertTrue(shell.err(), shell.err().contains("SHELL"));
            Result none = jpod.docker("diff", "commit-no-such");
            assertNotEquals(none.toString(), 0, none.code());
            assertTrue(none.err(), none.err().contains("commit-no-such"));
            Result badName = jpod.docker("commit", "commit-bad", "UPPER/Case");
            assertNotEquals(badName.toString(), 0, badName.code());
            assertFalse("no image was left: " + ok("images", "-q").out(), ok("images").out().contains("jpod-commit-it:bad"));
        } finally {
            ok("rm", "commit-bad");
        }
    }

    @Test
    public void podmanRemoteDiffAndCommit() throws Exception {
        changed("commit-remote");
        Result diff = podman("diff", "commit-remote");
        assertEquals(diff.toString(), ok("diff", "commit-remote").out(), diff.out());
        JsonNode json = JSON.readTree(podman("diff", "--format", "json", "commit-remote").out());
        assertEquals("/bin/ls", json.path("deleted").get(0).asText());
        assertTrue(json.toString(), json.path("added").toString().contains("/newfile"));
        Result c = podman("commit", "-q", "-c", "LABEL committed=by-podman", "commit-remote", "jpod-commit-it:remote");
        assertEquals(c.toString(), 0, c.code());
        IMAGES.add(c.out().strip());
        Result run = podman("run", "--rm", "--network", "none", "jpod-commit-it:remote", "cat", "/newfile");
        assertEquals(run.toString(), "hi", run.out());
        assertEquals("by-podman", ok("inspect", "-f", "{{index .Config.Labels \"committed\"}}", "jpod-commit-it:remote")
                .out());
        Result history = podman("history", "--format", "{{.ID}}", "jpod-commit-it:remote");
        assertEquals(history.toString(), 2, history.out().lines().count());
        ok("rm", "commit-remote");
    }

    @Test
    public void jpodsCli() throws Exception {
        changed("commit-cli");
        Result diff = jpod.jpod("diff", "commit-cli");
        assertEquals(diff.toString(), ok("diff", "commit-cli").out(), diff.out());
        Path out = jpod.dir.resolve("commit-cli.tar");
        Result export = jpod.jpod("export", "-o", out.toString(), "commit-cli");
        assertEquals(export.toString(), 0, export.code());
        Result names = jpod.run(List.of("tar", "tf", out.toString()), 30);
        assertTrue(names.out(), names.out().lines().anyMatch("newfile"::equals));
        Files.delete(out);
        Result c = jpod.jpod("commit", "-q", "-c", "WORKDIR /opq", "-m", "by jpod", "commit-cli", "jpod-commit-it:cli");
        assertEquals(c.toString(), 0, c.code());
        IMAGES.add(c.out().strip());
        assertEquals("/opq", ok("run", "--rm", "--network", "none", "jpod-commit-it:cli", "pwd").out());
        Result bad = jpod.jpod("commit", "--squash", "commit-cli");
        assertNotEquals(bad.toString(), 0, bad.code());
        assertTrue(bad.err(), bad.err().contains("--squash"));
        ok("rm", "commit-cli");
    }

    @Test
    public void theSameStepsInPodmanGiveTheSameDiffLayerAndConfig() throws Exception {
        Result ref = reference("run", "--name", "commit-it-ref", "--network", "none", "--ulimit", "nofile=1000:1000",
                "--ulimit", "nproc=1000:1000", PODMAN_IMAGE, "sh", "-c", STEPS);
        assertEquals("podman run: " + ref, 0, ref.code());
        changed("commit-cmp");
        assertEquals(reference("diff", "commit-it-ref").out(), ok("diff", "commit-cmp").out());
        // export: the same files with the same modes and owners, by podman-remote as by podman
        Path exported = jpod.dir.resolve("commit-cmp-export.tar");
        Result export = podman("export", "-o", exported.toString(), "commit-cmp");
        assertEquals(export.toString(), 0, export.code());
        // but for /etc/resolv.conf, which podman 4.3 gives no container on network none (docker and jpod do), and
        // the link /etc/mtab to /proc/mounts that podman makes in every container (buildah does not, nor jpod)
        assertEquals(sh("env -u CONTAINER_HOST podman export commit-it-ref | tar tv --numeric-owner | " + TAR_LISTING
                + " | grep -vx '.* etc/mtab -> /proc/mounts'").out(), sh("tar tvf " + exported + " --numeric-owner | "
                + TAR_LISTING + " | grep -vx '.* etc/resolv.conf'").out());
        Files.delete(exported);

        assertEquals(0, reference("commit", "-q", "commit-it-ref", "localhost/jpod-commit-it:podman-ref").code());
        // podman's own client on both sides: libpod's commit, as podman commits
        Result committed = podman("commit", "-q", "commit-cmp", "jpod-commit-it:cmp");
        assertEquals(committed.toString(), 0, committed.code());
        IMAGES.add(committed.out().strip());
        Path dir = jpod.dir;
        Result saved = reference("save", "-o", dir.resolve("podman-ref.tar").toString(), "localhost/jpod-commit-it:podman-ref");
        assertEquals(saved.toString(), 0, saved.code());
        ok("save", "-o", dir.resolve("jpod-cmp.tar").toString(), "jpod-commit-it:cmp");
        assertEquals(topLayer(dir.resolve("podman-ref.tar")), topLayer(dir.resolve("jpod-cmp.tar")));

        JsonNode theirs = JSON.readTree(reference("image", "inspect", "localhost/jpod-commit-it:podman-ref").out()).get(0);
        JsonNode ours = JSON.readTree(ok("image", "inspect", "jpod-commit-it:cmp").out()).get(0);
        assertEquals(theirs.path("Config").path("Cmd"), ours.path("Config").path("Cmd"));
        assertEquals(theirs.path("Config").path("WorkingDir"), ours.path("Config").path("WorkingDir"));
        assertEquals(envKeys(theirs), envKeys(ours));
        assertEquals(theirs.path("RootFS").path("Layers").size(), ours.path("RootFS").path("Layers").size());
        Files.delete(dir.resolve("podman-ref.tar"));
        Files.delete(dir.resolve("jpod-cmp.tar"));
        ok("rm", "commit-cmp");
    }

    /** A tar tv listing as mode, owner and name (no sizes of directories, no times), sorted. */
    private static final String TAR_LISTING = "awk '{n=$6; for(i=7;i<=NF;i++) n=n\" \"$i; sub(/^\\.\\//, \"\", n);"
            + " sub(/\\/$/, \"\", n); if (n != \"\" && n != \".\") print $1, $2, n}' | sort";

    /** Polls until the container has done what the test waits for. */
    private static void await(java.util.concurrent.Callable<Boolean> condition) throws Exception {
        long end = System.currentTimeMillis() + 30_000;
        while (!condition.call()) {
            if (System.currentTimeMillis() > end) {
                throw new AssertionError("not within 30 s");
            }
            Thread.sleep(200);
        }
    }

    /** The image's environment names, but those that name the engine (podman's container=, its TERM). */
    private static List<String> envKeys(JsonNode image) {
        List<String> keys = new ArrayList<>();
        image.path("Config").path("Env").forEach(e -> keys.add(e.asText().split("=", 2)[0]));
        keys.removeAll(List.of("container", "TERM"));
        keys.sort(null);
        return keys;
    }

    /** The entries of an image archive's top layer (the committed one), but the engines' own mount points. */
    private static List<String> topLayer(Path archive) throws Exception {
        Result manifest = jpod.run(List.of("tar", "-xOf", archive.toString(), "manifest.json"), 30);
        JsonNode layers = JSON.readTree(manifest.out()).get(0).path("Layers");
        String top = layers.get(layers.size() - 1).asText();
        Result list = sh("tar -xOf '" + archive + "' '" + top + "' | tar t");
        assertEquals(list.toString(), 0, list.code());
        return list.out().lines().filter(n -> !MOUNT_POINTS.contains(n)).sorted().toList();
    }
}
