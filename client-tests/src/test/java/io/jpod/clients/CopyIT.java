package io.jpod.clients;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import io.jpod.clients.JpodService.Result;
import io.jpod.util.internal.FileTrees;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * Copying files in and out of containers with {@code docker cp}, {@code podman --remote cp} and {@code jpod cp}:
 * running and stopped containers, directories, links, owners and modes as {@code ls -ln} shows them, the links of
 * a hostile container and the entries of a hostile tar kept inside it, missing paths.
 */
public class CopyIT extends ClientTestSupport {
    private static final String DOCKER = "/usr/local/bin/docker";
    private Path host;
    private final List<String> containers = new ArrayList<>();

    @Before
    public void hostFiles() throws Exception {
        host = Files.createTempDirectory("jpod-copy-it");
        Path dir = Files.createDirectories(host.resolve("src/sub"));
        Files.writeString(host.resolve("src/a"), "alpha\n");
        Files.writeString(dir.resolve("b"), "beta\n");
        Files.createSymbolicLink(host.resolve("src/la"), Path.of("a"));
        sh("chown 1234:5678 " + host.resolve("src/a") + " && chmod 0640 " + host.resolve("src/a"));
    }

    @After
    public void cleanUp() throws Exception {
        for (String c : containers) {
            jpod.docker("rm", "-f", c);
        }
        FileTrees.delete(host);
    }

    private String container(String name, boolean start, String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of(start ? "run" : "create"));
        if (start) {
            args.add("-d");
        }
        args.addAll(List.of("--name", name, "--network", "none"));
        args.addAll(List.of(extra));
        args.addAll(List.of("busybox", "sleep", "600"));
        Result r = docker(args.toArray(String[]::new));
        assertEquals("docker " + args + ": " + r, 0, r.code());
        containers.add(name);
        return r.out();
    }

    private static Result docker(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(DOCKER));
        cmd.addAll(List.of(args));
        return jpod.run(cmd, 60);
    }

    private static Result dockerOk(String... args) throws Exception {
        Result r = docker(args);
        assertEquals("docker " + String.join(" ", args) + ": " + r, 0, r.code());
        return r;
    }

    private static Result sh(String script) throws Exception {
        Result r = jpod.run(List.of("sh", "-c", script), 60);
        assertEquals(script + ": " + r, 0, r.code());
        return r;
    }

    /** {@code ls -ln} of a path in a running container, as "mode uid gid" (and the link's target). */
    private static String lsIn(String ctr, String path) throws Exception {
        String l = dockerOk("exec", ctr, "ls", "-lnd", path).out();
        String[] f = l.trim().split("\\s+");
        String s = f[0] + " " + f[2] + " " + f[3];
        return l.contains(" -> ") ? s + " -> " + l.substring(l.indexOf(" -> ") + 4) : s;
    }

    @Test
    public void dockerCopiesADirectoryInAndOutOfARunningContainer() throws Exception {
        container("cp-run", true);
        dockerOk("cp", host.resolve("src").toString(), "cp-run:/tmp/");
        // docker's server keeps the archive's owners, modes and links
        assertEquals("-rw-r----- 1234 5678", lsIn("cp-run", "/tmp/src/a"));
        assertEquals("lrwxrwxrwx 0 0 -> a", lsIn("cp-run", "/tmp/src/la"));
        assertEquals("beta", dockerOk("exec", "cp-run", "cat", "/tmp/src/sub/b").out());
        // paused for the copy, running again after it
        assertEquals("running", dockerOk("inspect", "--format", "{{.State.Status}}", "cp-run").out());
        // a file to a name that is not there takes that name
        dockerOk("cp", host.resolve("src/a").toString(), "cp-run:/tmp/renamed");
        assertEquals("alpha", dockerOk("exec", "cp-run", "cat", "/tmp/renamed").out());

        dockerOk("exec", "cp-run", "sh", "-c", "mkdir -p /made/deep && echo made > /made/deep/f && chown 7:8 "
                + "/made/deep/f && chmod 0604 /made/deep/f && ln -s deep/f /made/lf");
        Path out = Files.createDirectories(host.resolve("out"));
        dockerOk("cp", "cp-run:/made", out.toString());
        assertEquals("made\n", Files.readString(out.resolve("made/deep/f")));
        assertEquals(Path.of("deep/f"), Files.readSymbolicLink(out.resolve("made/lf")));
        assertEquals("604", sh("stat -c %a " + out.resolve("made/deep/f")).out());
        // the contents only, with dir/.
        dockerOk("cp", "cp-run:/made/.", out.resolve("contents").toString());
        assertTrue(Files.isRegularFile(out.resolve("contents/deep/f")));
        // a tar on stdout: the entries under the directory's base name
        String listing = sh(DOCKER + " cp cp-run:/made - | tar tf -").out();
        assertEquals(List.of("made/", "made/deep/", "made/deep/f", "made/lf"), List.of(listing.split("\n")));
    }

    @Test
    public void dockerCopiesInAndOutOfAContainerThatNeverRan() throws Exception {
        container("cp-created", false);
        dockerOk("cp", host.resolve("src/a").toString(), "cp-created:/etc/copied");
        Path back = host.resolve("back");
        dockerOk("cp", "cp-created:/etc/copied", back.toString());
        assertEquals("alpha\n", Files.readString(back));
        dockerOk("start", "cp-created");
        assertEquals("alpha", dockerOk("exec", "cp-created", "cat", "/etc/copied").out());
        assertEquals("-rw-r----- 1234 5678", lsIn("cp-created", "/etc/copied"));
        dockerOk("stop", "-t", "0", "cp-created");
        long mountsBefore = serviceMounts();
        // and a stopped one
        dockerOk("cp", host.resolve("src/sub").toString(), "cp-created:/");
        dockerOk("cp", "cp-created:/sub/b", host.resolve("b-from-stopped").toString());
        assertEquals("beta\n", Files.readString(host.resolve("b-from-stopped")));
        // the root filesystem mounted for the copies is unmounted after them (docker cp may be gone before: it has
        // the whole tar once the service closed the archive, and the service unmounts after that)
        await("the copies' mount of cp-created's root is gone", () -> serviceMounts() == mountsBefore);
        dockerOk("start", "cp-created");
        assertEquals("beta", dockerOk("exec", "cp-created", "cat", "/sub/b").out());
    }

    @Test
    public void dockerCpArchiveOwnsByTheContainersUser() throws Exception {
        container("cp-user", false, "--user", "4321:8765");
        dockerOk("cp", "-a", host.resolve("src/a").toString(), "cp-user:/tmp/");
        dockerOk("cp", host.resolve("src/la").toString(), "cp-user:/tmp/");
        String listing = sh(DOCKER + " cp cp-user:/tmp - | tar tvf -").out();
        assertTrue(listing, listing.lines().anyMatch(l -> l.contains("4321/8765") && l.endsWith("tmp/a")));
        // without -a the archive's owners stay
        assertTrue(listing, listing.lines().anyMatch(l -> l.contains("0/0") && l.contains("tmp/la -> a")));
    }

    @Test
    public void podmanRemoteCopiesAsPodmanDoes() throws Exception {
        container("cp-podman", true);
        podmanOk("cp", host.resolve("src").toString(), "cp-podman:/tmp/pdir");
        // podman's default (--archive): the container's user, root here
        assertEquals("-rw-r----- 0 0", lsIn("cp-podman", "/tmp/pdir/a"));
        assertEquals("lrwxrwxrwx 0 0 -> a", lsIn("cp-podman", "/tmp/pdir/la"));
        podmanOk("cp", "--archive=false", host.resolve("src/a").toString(), "cp-podman:/tmp/kept");
        assertEquals("-rw-r----- 1234 5678", lsIn("cp-podman", "/tmp/kept"));
        Path out = host.resolve("pout");
        podmanOk("cp", "cp-podman:/tmp/pdir", out.toString());
        assertEquals("beta\n", Files.readString(out.resolve("sub/b")));
        Result missing = podman("cp", "cp-podman:/nope", host.toString());
        assertEquals(missing.toString(), 125, missing.code());
        assertEquals("Error: \"/nope\" could not be found on container cp-podman: no such file or directory",
                missing.err());
        Result notDir = podman("cp", host.resolve("src").toString(), "cp-podman:/etc/passwd");
        assertEquals(notDir.toString(), 125, notDir.code());
        assertTrue(notDir.err(), notDir.err().contains("destination must be a directory when copying a directory"));
    }

    @Test
    public void jpodCopiesWithPodmansSyntax() throws Exception {
        container("cp-jpod", true);
        jpodOk("cp", host.resolve("src").toString(), "cp-jpod:/tmp/jdir");
        assertEquals("-rw-r----- 0 0", lsIn("cp-jpod", "/tmp/jdir/a"));
        assertEquals("lrwxrwxrwx 0 0 -> a", lsIn("cp-jpod", "/tmp/jdir/la"));
        jpodOk("cp", "--archive=false", host.resolve("src/a").toString(), "cp-jpod:/tmp/kept");
        assertEquals("-rw-r----- 1234 5678", lsIn("cp-jpod", "/tmp/kept"));
        Path out = host.resolve("jout");
        jpodOk("cp", "cp-jpod:/tmp/jdir", out.toString());
        assertEquals("alpha\n", Files.readString(out.resolve("a")));
        assertEquals(Path.of("a"), Files.readSymbolicLink(out.resolve("la")));
        // a tar on stdin into a directory, and out on stdout
        sh("tar cf " + host.resolve("in.tar") + " -C " + host.resolve("src") + " sub");
        Result in = jpod.run(List.of("sh", "-c", jpod.home.resolve("bin/jpod") + " --url unix://" + jpod.socket
                + " cp - cp-jpod:/tmp < " + host.resolve("in.tar")), 60);
        assertEquals(in.toString(), 0, in.code());
        assertEquals("beta", dockerOk("exec", "cp-jpod", "cat", "/tmp/sub/b").out());
        Result listing = jpod.run(List.of("sh", "-c", jpod.home.resolve("bin/jpod") + " --url unix://" + jpod.socket
                + " cp cp-jpod:/tmp/sub - | tar tf -"), 60);
        assertEquals("sub/\nsub/b", listing.out());
        Result missing = jpod.jpod("cp", "cp-jpod:/nope", host.toString());
        assertEquals(missing.toString(), 125, missing.code());
        assertEquals("Error: \"/nope\" could not be found on container cp-jpod: no such file or directory",
                missing.err());
        Result noCtr = jpod.jpod("cp", "cp-nosuch:/x", host.toString());
        assertEquals(noCtr.toString(), 125, noCtr.code());
        assertEquals("Error: container \"cp-nosuch\" does not exist", noCtr.err());
    }

    @Test
    public void aContainersLinksLeadInsideIt() throws Exception {
        container("cp-links", true);
        // a container that points links at the host's / and climbs with ..
        dockerOk("exec", "cp-links", "sh", "-c", "ln -s / /escape && mkdir /d && ln -s ../../../../../etc /d/up "
                + "&& ln -s /etc/passwd /abs && echo container-secret > /etc/secret");
        String unique = "jpod-cp-" + host.getFileName();
        Files.writeString(host.resolve(unique), "dropped\n");
        dockerOk("cp", host.resolve(unique).toString(), "cp-links:/escape/tmp/");
        assertEquals("dropped", dockerOk("exec", "cp-links", "cat", "/tmp/" + unique).out());
        assertFalse(Files.exists(Path.of("/tmp", unique)));
        dockerOk("cp", host.resolve(unique).toString(), "cp-links:/d/up/");
        assertEquals("dropped", dockerOk("exec", "cp-links", "cat", "/etc/" + unique).out());
        assertFalse(Files.exists(Path.of("/etc", unique)));
        // reading through them gives the container's files, never the host's
        dockerOk("cp", "cp-links:/d/up/secret", host.resolve("secret").toString());
        assertEquals("container-secret\n", Files.readString(host.resolve("secret")));
        dockerOk("cp", "cp-links:/escape/etc/passwd", host.resolve("passwd").toString());
        assertEquals(dockerOk("exec", "cp-links", "cat", "/etc/passwd").out() + "\n",
                Files.readString(host.resolve("passwd")));
        // a link named without a trailing slash is copied as the link
        dockerOk("cp", "cp-links:/abs", host.resolve("abs").toString());
        assertEquals(Path.of("/etc/passwd"), Files.readSymbolicLink(host.resolve("abs")));
        // the stat docker's CLI reads: the link's target as the container resolves it
        Result head = jpod.run(List.of("curl", "-sS", "-I", "--unix-socket", jpod.socket.toString(),
                "http://d/v1.41/containers/cp-links/archive?path=/d/up"), 30);
        String stat = head.out().lines().filter(l -> l.startsWith("X-Docker-Container-Path-Stat:")).findFirst()
                .orElseThrow(() -> new AssertionError(head.toString())).substring(30).trim();
        String json = new String(Base64.getDecoder().decode(stat), StandardCharsets.UTF_8);
        assertTrue(json, json.contains("\"name\":\"up\"") && json.contains("\"linkTarget\":\"/etc\"")
                && json.contains("\"mode\":" + ((1L << 27) | 0777)));
    }

    @Test
    public void aHostileTarIsRefusedAndChangesNothingOutside() throws Exception {
        container("cp-tar", true);
        String unique = "jpod-cp-tar-" + host.getFileName();
        // ../ in a name, a link then a file through it, a relative link that climbs out
        tar("climb.tar", "t.addfile(entry('../../../tmp/" + unique + "'), io.BytesIO(b'x'))");
        tar("through.tar", "s = entry('evil'); s.type = tarfile.SYMTYPE; s.size = 0; s.linkname = '/tmp'; t.addfile(s); "
                + "t.addfile(entry('evil/" + unique + "'), io.BytesIO(b'x'))");
        tar("rellink.tar", "s = entry('rel'); s.type = tarfile.SYMTYPE; s.size = 0; s.linkname = '../../../../tmp'; t.addfile(s)");
        for (String t : List.of("climb.tar", "through.tar", "rellink.tar")) {
            Result r = put("cp-tar", "/tmp", host.resolve(t));
            assertTrue(t + ": " + r, r.out().endsWith("400"));
            assertTrue(t + ": " + r, r.out().contains("refused"));
        }
        assertFalse(Files.exists(Path.of("/tmp", unique)));
        assertNotEquals(0, docker("exec", "cp-tar", "ls", "/tmp/" + unique).code());
        // a plain tar, gzip-compressed, goes in with its owners
        tar("ok.tar", "e = entry('fine'); e.uid = 321; e.gid = 654; e.mode = 0o600; t.addfile(e, io.BytesIO(b'x'))");
        sh("gzip -k " + host.resolve("ok.tar"));
        Result ok = put("cp-tar", "/tmp", host.resolve("ok.tar.gz"));
        assertTrue(ok.toString(), ok.out().endsWith("200"));
        assertEquals("-rw------- 321 654", lsIn("cp-tar", "/tmp/fine"));
        // into a file, or a directory that is not there
        assertTrue(put("cp-tar", "/etc/passwd", host.resolve("ok.tar")).out().endsWith("400"));
        assertTrue(put("cp-tar", "/nowhere", host.resolve("ok.tar")).out().endsWith("404"));
    }

    @Test
    public void missingPathsAndContainersAreTold() throws Exception {
        container("cp-missing", true);
        Result r = docker("cp", "cp-missing:/nope", host.toString());
        assertEquals(r.toString(), 1, r.code());
        assertTrue(r.err(), r.err().contains("Could not find the file /nope in container cp-missing"));
        Result into = docker("cp", host.resolve("src/a").toString(), "cp-missing:/nodir/x");
        assertEquals(into.toString(), 1, into.code());
        assertTrue(into.err(), into.err().contains("Could not find the file /nodir in container cp-missing"));
        Result head = jpod.run(List.of("curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", "-I", "--unix-socket",
                jpod.socket.toString(), "http://d/v1.41/containers/cp-nosuch/archive?path=/"), 30);
        assertEquals("404", head.out());
    }

    @Test
    public void volumesAreReachedThroughTheirMounts() throws Exception {
        Path bound = Files.createDirectories(host.resolve("bound"));
        container("cp-vol", true, "-v", "cp-vol-data:/data", "-v", bound + ":/ro:ro");
        try {
            // a read-only bind is refused, as docker refuses it
            Result ro = docker("cp", host.resolve("src/a").toString(), "cp-vol:/ro/x");
            assertEquals(ro.toString(), 1, ro.code());
            assertTrue(ro.err(), ro.err().contains("is marked read-only"));
            assertFalse(Files.exists(bound.resolve("x")));
            Files.writeString(bound.resolve("readable"), "bound\n");
            // podman's server takes a relative path from the working directory (/ here)
            podmanOk("cp", "cp-vol:ro/readable", host.resolve("readable").toString());
            assertEquals("bound\n", Files.readString(host.resolve("readable")));
            dockerOk("cp", host.resolve("src/a").toString(), "cp-vol:/data/in-volume");
            assertEquals("alpha", dockerOk("exec", "cp-vol", "cat", "/data/in-volume").out());
            String mp = dockerOk("volume", "inspect", "--format", "{{.Mountpoint}}", "cp-vol-data").out();
            assertEquals("alpha\n", Files.readString(Path.of(mp, "in-volume")));
            dockerOk("exec", "cp-vol", "sh", "-c", "echo from-volume > /data/back");
            dockerOk("cp", "cp-vol:/data/back", host.resolve("back").toString());
            assertEquals("from-volume\n", Files.readString(host.resolve("back")));
        } finally {
            docker("rm", "-f", "cp-vol");
            containers.remove("cp-vol");
            docker("volume", "rm", "cp-vol-data");
        }
    }

    private static long serviceMounts() throws Exception {
        return Files.readAllLines(Path.of("/proc/mounts")).stream().filter(l -> l.contains(jpod.dir.toString())).count();
    }

    private void tar(String name, String body) throws Exception {
        String py = "import tarfile, io\n"
                + "def entry(n):\n    e = tarfile.TarInfo(n); e.size = 0 if n.endswith('/') else 1; return e\n"
                + "t = tarfile.open('" + host.resolve(name) + "', 'w')\n" + body.replace("; ", "\n") + "\nt.close()\n";
        Result r = jpod.run(List.of("python3", "-c", py), 30);
        assertEquals(r.toString(), 0, r.code());
    }

    /** A PUT of an archive: the answer's body and its status at the end. */
    private static Result put(String ctr, String path, Path tar) throws Exception {
        return jpod.run(List.of("curl", "-sS", "-w", "%{http_code}", "--unix-socket", jpod.socket.toString(), "-X",
                "PUT", "-H", "Content-Type: application/x-tar", "--data-binary", "@" + tar,
                "http://d/v1.41/containers/" + ctr + "/archive?path=" + path), 30);
    }
}
