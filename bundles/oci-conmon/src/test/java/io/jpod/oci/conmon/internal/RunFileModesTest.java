package io.jpod.oci.conmon.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.jpod.api.Container;
import io.jpod.api.ContainerConfig;
import io.jpod.api.ExecConfig;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.Test;

/**
 * The OCI spec of a container and the process spec of an exec hold its environment (passwords too): root only may
 * read them, files 0600 in directories 0700. What the container's processes read through bind mounts (hosts,
 * hostname, resolv.conf) stays readable to any user inside.
 */
public class RunFileModesTest extends RealContainers {
    @Test
    public void theSpecsOfAContainerAndOfItsExecsAreRootsOnly() throws Exception {
        Container c = run(ContainerConfig.builder().command(List.of("sleep", "100")).env(List.of("DB_PASSWORD=s3cret")),
                rootfs());
        Path runDir = rt.runDir(c.id());
        assertTrue(Files.readString(runDir.resolve("config.json")).contains("DB_PASSWORD=s3cret"));
        assertMode("rw-------", runDir.resolve("config.json"));
        assertMode("rwx------", runDir);
        assertMode("rwx------", runDir.getParent());

        // a user other than root in the container still reads what is bind-mounted from the run dir
        String log = exec(c, "app", new ExecConfig(List.of("sh", "-c",
                "id -u; cat /etc/hosts /etc/hostname /etc/resolv.conf >/dev/null && echo readable"), null, false, false,
                "app", null, false));
        assertTrue(log, log.contains("1000") && log.contains("readable"));
        Path session = runDir.resolve("exec/app");
        assertTrue(Files.readString(session.resolve("process.json")).contains("DB_PASSWORD=s3cret"));
        assertMode("rw-------", session.resolve("process.json"));
        assertMode("rwx------", session);
        assertMode("rwx------", session.getParent());
        // what the container and its execs print may hold secrets as well
        assertMode("rw-------", session.resolve("exec.log"));
        assertMode("rw-------", rt.logPath(c.id()));
        assertMode("rwx------", rt.logPath(c.id()).getParent());
        assertEquals(137, rt.stopContainer(c, 0, false).exitCode());
    }

    private static void assertMode(String mode, Path p) throws Exception {
        assertEquals(p.toString(), mode,
                PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS)));
    }
}
