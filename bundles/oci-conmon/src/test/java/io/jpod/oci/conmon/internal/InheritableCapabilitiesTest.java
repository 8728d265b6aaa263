package io.jpod.oci.conmon.internal;

import static org.junit.Assert.assertEquals;

import io.jpod.api.Container;
import io.jpod.api.ContainerConfig;
import io.jpod.api.ExecConfig;
import java.nio.file.Path;
import java.util.List;
import org.junit.Test;

/**
 * No process of a container gets inheritable capabilities, not even an exec with {@code --privileged}: a program
 * with file capabilities would otherwise gain them across execve (the pattern of CVE-2022-27649).
 */
public class InheritableCapabilitiesTest extends RealContainers {
    private static final String NONE = "0000000000000000";

    @Test
    public void aContainersProcessHasNoInheritableCapabilities() throws Exception {
        Container c = run(ContainerConfig.builder().command(List.of("cat", "/proc/self/status")), rootfs());
        assertEquals(NONE, statusField(output(c), "CapInh"));
    }

    @Test
    public void noExecHasInheritableCapabilitiesPrivilegedOrNot() throws Exception {
        Path root = rootfs();
        Container c = run(ContainerConfig.builder().command(List.of("sleep", "100")), root);
        List<String> status = List.of("cat", "/proc/self/status");
        String priv = exec(c, "priv", new ExecConfig(status, null, false, false, null, null, true));
        String privUser = exec(c, "privapp", new ExecConfig(status, null, false, false, "app", null, true));
        String plain = exec(c, "plain", new ExecConfig(status, null, false, false, null, null, false));
        assertEquals(priv, NONE, statusField(priv, "CapInh"));
        assertEquals(privUser, NONE, statusField(privUser, "CapInh"));
        assertEquals(plain, NONE, statusField(plain, "CapInh"));
        // --privileged still gives root every capability
        int last = Integer.parseInt(java.nio.file.Files.readString(Path.of("/proc/sys/kernel/cap_last_cap")).trim());
        assertEquals(String.format("%016x", (1L << (last + 1)) - 1), statusField(priv, "CapEff"));
        assertEquals(137, rt.stopContainer(c, 0, false).exitCode());
    }
}
