package io.jpod.oci.conmon.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import io.jpod.api.Container;
import io.jpod.api.ContainerConfig;
import io.jpod.api.ErrorCode;
import io.jpod.api.ExecConfig;
import io.jpod.api.JpodException;
import io.jpod.linux.Linux;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.Test;

/**
 * A container's /etc/passwd and /etc/group are read from the host side (to run or exec as a named user): they
 * are looked up inside the container's root as the container sees them, never through a link out of it, and only
 * as regular files of a bounded size, so neither an image nor a running container can point them at the host's
 * files or at an endless device.
 */
public class ContainerPasswdTest extends RealContainers {
    private static final ContainerConfig.Builder ID = ContainerConfig.builder().command(List.of("sh", "-c",
            "echo ids=$(id -u):$(id -g)"));

    @Test
    public void anEtcLinkedOutOfTheRootIsLookedUpInsideIt() throws Exception {
        // a directory beside the root, the host's as far as the container is concerned
        Path host = Files.createDirectories(base.resolve("hostetc"));
        Files.writeString(host.resolve("passwd"), "hostonly:x:4242:4242::/:/bin/sh\n");
        Files.writeString(host.resolve("group"), "hostonly:x:4242:\n");
        for (String link : List.of("../hostetc", host.toString())) {
            Path root = rootfs();
            ConmonRuntime.deleteTree(root.resolve("etc"));
            Files.createSymbolicLink(root.resolve("etc"), Path.of(link));
            expectNoUser(ID.user("hostonly"), root, "hostonly");
        }
        // inside the root, the same links lead to the root's own files, as the container sees them
        Path root = rootfs();
        Files.move(root.resolve("etc"), root.resolve("hostetc"));
        Files.writeString(root.resolve("hostetc/passwd"), "inside:x:1234:1234::/:/bin/sh\n");
        Files.createSymbolicLink(root.resolve("etc"), Path.of("../../../../hostetc"));
        String log = output(run(ID.user("inside"), root));
        assertTrue(log, log.contains("ids=1234:1234"));
    }

    @Test
    public void aPasswdLinkedToAnotherFileIsThatFileOfTheRoot() throws Exception {
        Path root = rootfs();
        Files.writeString(root.resolve("etc/shadow"), "shadowed:x:777:777::/:/bin/sh\n");
        Files.delete(root.resolve("etc/passwd"));
        Files.createSymbolicLink(root.resolve("etc/passwd"), Path.of("../../../../etc/shadow"));
        String log = output(run(ID.user("shadowed"), root));
        assertTrue(log, log.contains("ids=777:777"));
    }

    @Test
    public void aPasswdThatIsADeviceOrTooLargeIsAClearError() throws Exception {
        Path root = rootfs();
        Files.createDirectories(root.resolve("dev"));
        Linux.mknod(root.resolve("dev/zero"), Linux.S_IFCHR | 0666, Linux.makedev(1, 5));
        Files.delete(root.resolve("etc/passwd"));
        Files.createSymbolicLink(root.resolve("etc/passwd"), Path.of("/dev/zero"));
        expectRefused(ID.user("app"), root, "/etc/passwd of the container is not a regular file");

        root = rootfs();
        try (RandomAccessFile f = new RandomAccessFile(root.resolve("etc/passwd").toFile(), "rw")) {
            f.setLength(2 << 20);
        }
        expectRefused(ID.user("app"), root, "/etc/passwd of the container is larger than 1 MiB");
    }

    @Test
    public void execAsANamedUserAfterTheContainerSwappedItsPasswd() throws Exception {
        Path root = rootfs();
        Container c = run(ContainerConfig.builder().command(List.of("sleep", "100")), root);
        assertTrue(exec(c, "before", new ExecConfig(List.of("id"), null, false, false, "app", null, false))
                .contains("uid=1000"));
        // what the container itself could do: its group file a link to a device it made, its passwd a link out
        Linux.mknod(root.resolve("etc/zero"), Linux.S_IFCHR | 0666, Linux.makedev(1, 5));
        Files.delete(root.resolve("etc/group"));
        Files.createSymbolicLink(root.resolve("etc/group"), Path.of("zero"));
        try {
            rt.execContainer(c, "dev", new ExecConfig(List.of("id"), null, false, false, "app", null, false));
            fail("exec'd with /etc/group a device");
        } catch (JpodException e) {
            assertEquals(e.getMessage(), ErrorCode.INVALID_ARG, e.code());
            assertTrue(e.getMessage(), e.getMessage().contains("/etc/group of the container is not a regular file"));
        }
        Files.delete(root.resolve("etc/group"));
        Files.writeString(root.resolve("etc/group"), "app:x:1000:\n");
        Files.delete(root.resolve("etc/passwd"));
        Files.createSymbolicLink(root.resolve("etc/passwd"), Path.of("../../../../../../../../etc/passwd"));
        // inside the root that link is itself: never the host's /etc/passwd, with its root entry
        try {
            rt.execContainer(c, "out", new ExecConfig(List.of("id"), null, false, false, "root", null, false));
            fail("exec'd as a user of the host's /etc/passwd");
        } catch (JpodException e) {
            assertEquals(e.getMessage(), ErrorCode.INVALID_ARG, e.code());
            assertTrue(e.getMessage(), e.getMessage().contains("/etc/passwd of the container has too many levels"));
        }
        assertEquals(137, rt.stopContainer(c, 0, false).exitCode());
    }

    private void expectNoUser(ContainerConfig.Builder b, Path root, String user) {
        expectRefused(b, root, "unable to find user " + user);
    }

    private void expectRefused(ContainerConfig.Builder b, Path root, String message) {
        try {
            Container c = create(container(b, root));
            fail("created " + c.id() + ", expected: " + message);
        } catch (JpodException e) {
            assertEquals(e.getMessage(), ErrorCode.INVALID_ARG, e.code());
            assertTrue(e.getMessage(), e.getMessage().contains(message));
        }
    }
}
