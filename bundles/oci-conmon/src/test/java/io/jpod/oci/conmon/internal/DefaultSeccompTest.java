package io.jpod.oci.conmon.internal;

import static org.junit.Assert.assertEquals;

import io.jpod.api.Container;
import io.jpod.api.ContainerConfig;
import io.jpod.api.config.ContainersConfig;
import java.util.List;
import org.junit.Test;

/**
 * With {@code seccomp_profile} naming a file that is not there (containers-common not installed), or one that is
 * not a profile, a container still runs under a seccomp filter: jpod's built-in default profile.
 */
public class DefaultSeccompTest extends RealContainers {
    @Override
    ContainersConfig containers(ContainersConfig d) {
        return new ContainersConfig(d.defaultCapabilities(), d.defaultSysctls(), d.defaultUlimits(), d.env(),
                d.logDriver(), d.logSizeMax(), d.pidsLimit(), d.shmSize(), profile()
                        .toString(), d.tz(), d.umask(), d.init(), d.annotations());
    }

    private static java.nio.file.Path profile() {
        return base.resolve("seccomp.json");
    }

    @Test
    public void aMissingProfileMeansTheBuiltInDefaultNotNoFilter() throws Exception {
        Container c = run(ContainerConfig.builder().command(List.of("cat", "/proc/self/status")), rootfs());
        assertEquals("2", statusField(output(c), "Seccomp"));
    }

    @Test
    public void aProfileThatIsNotJsonMeansTheBuiltInDefaultToo() throws Exception {
        java.nio.file.Files.writeString(profile(), "{ not json");
        try {
            Container c = run(ContainerConfig.builder().command(List.of("cat", "/proc/self/status")), rootfs());
            assertEquals("2", statusField(output(c), "Seccomp"));
        } finally {
            java.nio.file.Files.delete(profile());
        }
    }
}
