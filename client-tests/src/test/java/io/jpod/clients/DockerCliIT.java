package io.jpod.clients;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import io.jpod.clients.JpodService.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.Test;

/** The docker CLI, exactly as shipped, against jpod's socket. */
public class DockerCliIT extends ClientTestSupport {
    @Test
    public void versionAndInfo() throws Exception {
        Result v = ok("version", "--format", "{{.Server.APIVersion}} {{.Server.Os}}");
        assertEquals("1.44 linux", v.out());
        Result i = ok("info", "--format", "{{.OSType}} {{.Driver}}");
        assertEquals("linux overlay", i.out());
    }

    @Test
    public void runRemovesTheContainerAndPrintsItsOutput() throws Exception {
        String before = ok("ps", "-aq").out();
        Result r = ok("run", "--rm", "--network", "none", "busybox", "echo", "hi");
        assertEquals("hi", r.out());
        assertEquals(before, ok("ps", "-aq").out());
    }

    @Test
    public void runReturnsTheExitCodeAndSeparatesStderr() throws Exception {
        Result r = jpod.docker("run", "--rm", "--network", "none", "busybox", "sh", "-c", "echo out; echo err >&2; exit 3");
        assertEquals(3, r.code());
        assertEquals("out", r.out());
        assertEquals("err", r.err());
    }

    @Test
    public void runWithStdinPiped() throws Exception {
        Result r = jpod.run(List.of("docker", "run", "--rm", "-i", "--network", "none", "busybox", "tr", "a-z", "A-Z"),
                "hello stdin\n", 60);
        assertEquals(r.toString(), 0, r.code());
        assertEquals("HELLO STDIN", r.out());
    }

    @Test
    public void detachedLifecycle() throws Exception {
        String id = ok("run", "-d", "--name", "cli-detached", "--network", "none", "busybox", "sh", "-c",
                "echo started; trap 'echo bye; exit 0' TERM; while true; do sleep 0.1; done").out();
        assertEquals(64, id.length());
        assertTrue(ok("ps", "--format", "{{.Names}} {{.State}}").out().contains("cli-detached running"));
        waitUntil(() -> ok("logs", id).out().contains("started"));
        assertEquals("hi from exec", ok("exec", "cli-detached", "echo", "hi from exec").out());
        assertEquals(5, jpod.docker("exec", "cli-detached", "sh", "-c", "exit 5").code());
        ok("stop", "cli-detached");
        assertEquals("0", ok("wait", "cli-detached").out());
        assertEquals("exited 0", ok("inspect", "-f", "{{.State.Status}} {{.State.ExitCode}}", id).out());
        assertEquals("started\nbye", ok("logs", id).out());
        ok("rm", id);
        assertNotEquals(0, jpod.docker("inspect", id).code());
    }

    @Test
    public void logsFollowEndsWhenTheContainerExits() throws Exception {
        String id = ok("run", "-d", "--network", "none", "busybox", "sh", "-c",
                "for i in 1 2 3; do echo line $i; sleep 0.3; done").out();
        Result r = ok("logs", "-f", id);
        assertEquals("line 1\nline 2\nline 3", r.out());
        ok("rm", "-f", id);
    }

    @Test
    public void killAndForceRemove() throws Exception {
        String id = ok("run", "-d", "--network", "none", "busybox", "sleep", "300").out();
        ok("kill", id);
        assertEquals("137", ok("wait", id).out());
        String id2 = ok("run", "-d", "--network", "none", "busybox", "sleep", "300").out();
        Result refused = jpod.docker("rm", id2);
        assertNotEquals(0, refused.code());
        assertTrue(refused.err(), refused.err().contains("Stop the container before attempting removal or force remove"));
        ok("rm", "-f", id, id2);
        assertEquals("", ok("ps", "-aq", "--filter", "id=" + id2).out());
    }

    @Test
    public void imagesTagSaveLoadRemove() throws Exception {
        assertTrue(ok("images", "--format", "{{.Repository}}:{{.Tag}}").out().contains("localhost/busybox:latest"));
        ok("tag", "busybox", "jpod-cli-test:v1");
        Path tar = jpod.dir.resolve("saved.tar");
        ok("save", "-o", tar.toString(), "jpod-cli-test:v1");
        assertTrue(Files.size(tar) > 1_000_000);
        ok("rmi", "jpod-cli-test:v1");
        assertNotEquals(0, jpod.docker("image", "inspect", "jpod-cli-test:v1").code());
        Result loaded = ok("load", "-i", tar.toString());
        assertTrue(loaded.out(), loaded.out().contains("jpod-cli-test:v1"));
        ok("rmi", "jpod-cli-test:v1");
    }

    @Test
    public void importARootFilesystemWithAChangeAndRunIt() throws Exception {
        String tar = jpod.home.resolve("etc/busybox.tar").toString();
        Result imported = ok("import", "--change", "CMD [\"echo\", \"imported\"]", tar, "jpod-imported:v1");
        assertTrue(imported.out(), imported.out().startsWith("sha256:"));
        assertEquals("imported", ok("run", "--rm", "--network", "none", "jpod-imported:v1").out());
        Result fromStdin = jpod.run(List.of("sh", "-c", "docker import - jpod-imported:v2 < " + tar), 60);
        assertEquals(fromStdin.toString(), 0, fromStdin.code());
        assertEquals("v2", ok("run", "--rm", "--network", "none", "jpod-imported:v2", "sh", "-c", "echo v2").out());
        Result url = jpod.docker("import", "http://127.0.0.1:9/rootfs.tar", "jpod-imported:v3");
        assertNotEquals(0, url.code());
        assertTrue(url.err(), url.err().contains("is not supported: download it"));
        ok("rmi", "jpod-imported:v1", "jpod-imported:v2");
    }

    @Test
    public void namedVolumesPersistAndAnonymousOnesGoWithTheirContainer() throws Exception {
        Result w = jpod.docker("run", "--rm", "--network", "none", "-v", "jpod-cli-vol:/data", "busybox", "sh", "-c",
                "echo kept > /data/f");
        assertEquals(w.toString(), 0, w.code());
        assertTrue(ok("volume", "ls", "--format", "{{.Name}}").out().contains("jpod-cli-vol"));
        Result r = jpod.docker("run", "--rm", "--network", "none", "-v", "jpod-cli-vol:/data:ro", "busybox", "sh", "-c",
                "grep -q kept /data/f && ! touch /data/g");
        assertEquals("the data is there, read-only: " + r, 0, r.code());
        Result inUse = jpod.docker("volume", "rm", "jpod-cli-vol");
        assertEquals(0, inUse.code());
        String before = ok("volume", "ls", "-q").out();
        String id = ok("run", "-d", "--network", "none", "-v", "/scratch", "busybox", "touch", "/scratch/x").out();
        ok("wait", id);
        assertTrue(ok("volume", "ls", "-q").out().length() > before.length());
        ok("rm", id);
        assertEquals(before, ok("volume", "ls", "-q").out());
    }

    @Test
    public void eventsSince() throws Exception {
        String id = ok("run", "-d", "--name", "cli-events", "--network", "none", "busybox", "true").out();
        ok("wait", id);
        Result ev = ok("events", "--since", "5m", "--until", "0s", "--filter", "container=cli-events",
                "--format", "{{.Action}}");
        assertTrue(ev.out(), ev.out().lines().toList().containsAll(List.of("create", "start", "die")));
        // without since or until only what happens from now on, as docker's and podman's (not the history)
        Result now = jpod.curl("GET", "/v4.3.1/libpod/events?stream=false&filters=%7B%22container%22%3A%5B%22cli-events%22%5D%7D");
        assertEquals(now.toString(), "", now.out());
        ok("rm", id);
    }

    @Test
    public void badInputGetsClearErrors() throws Exception {
        Result noImage = jpod.docker("run", "--rm", "--network", "none", "jpod-no-such-image", "true");
        assertEquals(noImage.toString(), 125, noImage.code());
        assertTrue(noImage.err(), noImage.err().contains("jpod-no-such-image"));
        Result noCtr = jpod.docker("stop", "jpod-no-such-container");
        assertNotEquals(0, noCtr.code());
        assertTrue(noCtr.err(), noCtr.err().contains("no such container"));
        Result badBind = jpod.docker("run", "--rm", "-v", "/jpod/does/not/exist:/x", "--network", "none", "busybox", "true");
        assertEquals(125, badBind.code());
        assertTrue(badBind.err(), badBind.err().contains("/jpod/does/not/exist does not exist"));
    }

    interface Check {
        boolean ok() throws Exception;
    }

    static void waitUntil(Check c) throws Exception {
        long end = System.currentTimeMillis() + 10_000;
        while (!c.ok()) {
            if (System.currentTimeMillis() > end) {
                throw new AssertionError("condition not met within 10 s");
            }
            Thread.sleep(100);
        }
    }
}
