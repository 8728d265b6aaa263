package io.jpod.config;

import static org.junit.Assert.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** Which state backend an install gets when its configuration names none. */
public class StateBackendChoiceTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private String backend(Path staticDir, String extra) throws IOException {
        Path conf = tmp.getRoot().toPath().resolve("jpod.conf");
        Files.writeString(conf, "[engine]\nstatic_dir = \"" + staticDir + "\"\n" + extra);
        return ConfigLoader.of(List.of(conf)).load(null).config().engine().databaseBackend();
    }

    @Test
    public void aNewInstallGetsSqlite() throws IOException {
        assertEquals("sqlite", backend(tmp.newFolder("new").toPath(), ""));
        assertEquals("sqlite", backend(tmp.getRoot().toPath().resolve("not-made-yet"), ""));
    }

    @Test
    public void theMapdbStateOfAnEarlierReleaseIsKept() throws IOException {
        Path dir = tmp.newFolder("earlier").toPath();
        Files.writeString(dir.resolve("jpod.db"), "");
        assertEquals("mapdb", backend(dir, ""));
        // once migrated, the sqlite state is the one in use
        Files.writeString(dir.resolve("jpod.sqlite"), "");
        assertEquals("sqlite", backend(dir, ""));
    }

    @Test
    public void aBackendTheConfigurationNamesIsUsedWhateverIsThere() throws IOException {
        Path dir = tmp.newFolder("named").toPath();
        Files.writeString(dir.resolve("jpod.db"), "");
        assertEquals("sqlite", backend(dir, "database_backend = \"sqlite\"\n"));
        assertEquals("memory", backend(dir, "database_backend = \"memory\"\n"));
        Path fresh = tmp.newFolder("fresh").toPath();
        assertEquals("mapdb", backend(fresh, "database_backend = \"mapdb\"\n"));
    }
}
