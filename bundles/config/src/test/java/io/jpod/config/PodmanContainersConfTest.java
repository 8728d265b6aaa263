package io.jpod.config;

import io.jpod.api.config.JpodConfig;
import org.junit.Assume;
import org.junit.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.Assert.assertEquals;

/** Podman's own containers.conf, as a distribution installs it, is read without error. */
public class PodmanContainersConfTest {

    private static final Path INSTALLED = Path.of("/usr/share/containers/containers.conf");

    @Test
    public void theInstalledContainersConfParses() {
        Assume.assumeTrue(INSTALLED + " is not installed (apt-get install golang-github-containers-common)",
                Files.isReadable(INSTALLED));
        LoadedConfig l = ConfigLoader.of(List.of(INSTALLED)).load(null);
        assertEquals(List.of(INSTALLED), l.filesRead());
        JpodConfig c = l.config();
        // jpod's own defaults stand where podman's file sets nothing jpod reads differently
        assertEquals(ConfigLoader.defaults().engine().databaseBackend(), c.engine().databaseBackend());
        assertEquals("/var/lib/jpod/engine", c.engine().staticDir());
        assertEquals(ConfigLoader.defaults().engine().runtimes(), c.engine().runtimes());
    }

    @Test
    public void thePodmanStyleFixtureParsesWithPodmansTablesIgnored() throws Exception {
        Path full = Path.of(getClass().getResource("/containers-full.conf").toURI());
        JpodConfig c = ConfigLoader.of(List.of(full)).load(null).config();
        assertEquals(4096, c.engine().numLocks());
    }
}
