package io.jpod.clients;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.jpod.clients.JpodService.Result;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * What jpod promises about confinement (docs/security.md), checked as a user would: a container's default
 * confinement is podman's (the same image, the same command, both engines' defaults), the API socket is 0660,
 * nothing of the service listens on TCP but the Web Console on loopback, and the state is root's only.
 */
public class ConfinementIT extends ClientTestSupport {
    private static final String PODMAN_IMAGE = "localhost/jpod-confinement-it:latest";

    /** What a process in the container can see of its confinement; one fact a line. */
    private static final String FACTS = String.join("; ",
            "grep -E '^(CapInh|CapPrm|CapEff|CapBnd|CapAmb|NoNewPrivs|Seccomp|Seccomp_filters):' /proc/self/status",
            "id",
            "for p in /proc/kcore /proc/keys /proc/timer_list /proc/sched_debug /proc/acpi /proc/scsi /sys/firmware"
                    + " /sys/fs/selinux /sys/dev/block; do if [ -d $p ]; then echo \"$p dir $(ls -A $p | wc -l)\";"
                    + " elif [ -e $p ]; then echo \"$p $(stat -c %F $p | tr ' ' _)\"; else echo \"$p absent\"; fi;"
                    + " done",
            "for m in /proc/sys /proc/sysrq-trigger /proc/irq /proc/bus /proc/fs /sys /sys/fs/cgroup; do"
                    + " echo \"$m $(awk -v m=$m '$2 == m {split($4, o, \",\"); print o[1]}' /proc/mounts | tail -1)\";"
                    + " done",
            "echo x > /proc/sysrq-trigger 2>/dev/null && echo sysrq-writable || echo sysrq-refused",
            "mknod /tmp/sda b 8 0 2>/dev/null && echo mknod-block-ok || echo mknod-block-refused",
            "cat /dev/mem > /dev/null 2>&1 && echo devmem-readable || echo devmem-refused",
            "ls /dev | sort | tr '\\n' ' '; echo",
            "ulimit -c; cat /proc/self/oom_score_adj",
            "ls -ln /run/.containerenv | awk '{print $1, $3, $4, $5}'; awk '$2 == \"/run/.containerenv\" {print $2}' /proc/mounts");

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
        reference("rmi", "-f", PODMAN_IMAGE);
    }

    private static List<String> podmanFacts() throws Exception {
        Result r = reference("run", "--rm", "--network", "none", "--ulimit", "nofile=1000:1000", "--ulimit",
                "nproc=1000:1000", PODMAN_IMAGE, "sh", "-c", FACTS);
        assertEquals("podman run: " + r, 0, r.code());
        return List.of(r.out().split("\n"));
    }

    @Test
    public void aContainersDefaultConfinementIsPodmans() throws Exception {
        List<String> ours = List.of(ok("run", "--rm", "--network", "none", "--ulimit", "nofile=1000:1000", "--ulimit", "nproc=1000:1000",
                "busybox", "sh", "-c", FACTS).out().split("\n"));
        List<String> podmans = podmanFacts();
        System.out.println("jpod's container:\n" + String.join("\n", ours));
        assertTrue("the facts were read: " + ours, ours.stream().anyMatch(l -> l.startsWith("CapBnd:")));
        assertEquals("jpod's container (left) against podman's (right), fact by fact", podmans, ours);
    }

    @Test
    public void aPrivilegedContainersContainerenvNamesItAsPodmansDoes() throws Exception {
        String script = "sed 's/=.*//' /run/.containerenv | tr '\\n' ' '";
        String ours = ok("run", "--rm", "--privileged", "--name", "conf-env", "--network", "none", "busybox", "sh", "-c",
                script + "; echo; grep -x 'name=\"conf-env\"' /run/.containerenv").out();
        Result theirs = reference("run", "--rm", "--privileged", "--network", "none", "--ulimit", "nofile=1000:1000",
                "--ulimit", "nproc=1000:1000", PODMAN_IMAGE, "sh", "-c", script);
        assertEquals("podman run: " + theirs, 0, theirs.code());
        assertEquals(theirs.out() + "\nname=\"conf-env\"", ours.replace(" \n", "\n"));
    }

    @Test
    public void theSocketIsForRootAndItsGroupOnly() throws Exception {
        PosixFileAttributes a = Files.readAttributes(jpod.socket, PosixFileAttributes.class);
        assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
                PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE), a.permissions());
        assertEquals("root", a.owner().getName());
    }

    @Test
    public void theServiceListensOnTcpOnlyForTheConsoleOnLoopback() throws Exception {
        Result ss = jpod.run(List.of("ss", "-Hltnp"), 10);
        List<String> mine = new ArrayList<>();
        for (String l : ss.out().split("\n")) {
            if (l.contains("pid=" + jpod.pid() + ",")) {
                mine.add(l.trim().split("\\s+")[3]);
            }
        }
        for (String local : mine) {
            assertTrue("the service listens on " + local + " (all: " + mine + ")",
                    local.startsWith("127.0.0.1:") || local.startsWith("[::ffff:127.0.0.1]:") || local.startsWith("[::1]:"));
        }
    }

    @Test
    public void theStateIsReadableByRootOnly() throws Exception {
        ok("run", "--name", "confined", "--network", "none", "-e", "SECRET=hunter2", "busybox", "true");
        ok("volume", "create", "confined-vol");
        List<String> open = new ArrayList<>();
        for (String part : List.of("engine", "run", "storage")) {
            Path root = jpod.dir.resolve(part);
            if (!Files.isDirectory(root)) {
                continue;
            }
            // Containers' root filesystems are not walked: their files are the image's, and other tests'
            // containers come and go while this walks.
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes a) {
                    String n = d.getFileName().toString();
                    return n.equals("merged") || n.equals("diff") || n.equals("rootfs") || n.equals("work")
                            ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path p, BasicFileAttributes a) throws IOException {
                    if (a.isRegularFile() && isStateFile(root, p)) {
                        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p);
                        if (perms.contains(PosixFilePermission.OTHERS_READ)
                                || perms.contains(PosixFilePermission.GROUP_READ)) {
                            open.add(jpod.dir.relativize(p) + " " + PosixFilePermissions.toString(perms));
                        }
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path p, IOException e) throws IOException {
                    if (e instanceof NoSuchFileException) {
                        return FileVisitResult.CONTINUE; // removed meanwhile
                    }
                    throw e;
                }
            });
        }
        ok("rm", "confined");
        ok("volume", "rm", "confined-vol");
        assertEquals("state files others or the group can read", List.of(), open);
    }

    /**
     * The engine's own records: the database and its locks, containers' specs and userdata, storage's
     * records. Not the container's root filesystem or layers (their modes are the image's), nor sockets.
     */
    private static boolean isStateFile(Path root, Path p) {
        if (!Files.isRegularFile(p)) {
            return false;
        }
        String rel = root.relativize(p).toString();
        if (rel.contains("/diff/") || rel.contains("/merged/") || rel.contains("/rootfs/") || rel.contains("/work/")
                || rel.contains("/overlay/") && !rel.endsWith(".json")) {
            return false;
        }
        String name = p.getFileName().toString();
        return name.endsWith(".json") || name.endsWith(".db") || name.endsWith(".lock") || name.contains("jpod.db")
                || name.equals("config.json") || name.equals("process.json") || name.endsWith(".log");
    }
}
