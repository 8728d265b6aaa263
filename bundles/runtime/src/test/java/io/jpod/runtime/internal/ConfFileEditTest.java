package io.jpod.runtime.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import io.jpod.config.ConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** Setting database_backend in a jpod.conf as a migration does: the config reader reads the new name, the rest stays. */
public class ConfFileEditTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private static String backend(Path conf) {
        return ConfigLoader.of(List.of(conf)).load(null).config().engine().databaseBackend();
    }

    @Test
    public void replacesTheKeyOfTheEngineTableOnly() throws Exception {
        Path conf = tmp.getRoot().toPath().resolve("jpod.conf");
        String text = """
                # the admin's comment
                [engine]
                # database_backend = "memory"
                database_backend = "mapdb"   # was chosen in 2026
                num_locks = 64

                [engine.runtimes]
                runc = ["/usr/bin/runc"]
                """;
        Files.writeString(conf, text);
        Files.setPosixFilePermissions(conf, PosixFilePermissions.fromString("rw-r-----"));
        ConfFileEdit edit = ConfFileEdit.set(conf, "engine", "database_backend", "sqlite");
        assertEquals("sqlite", backend(conf));
        assertEquals(text.replace("database_backend = \"mapdb\"   # was chosen in 2026", "database_backend = \"sqlite\""),
                Files.readString(conf));
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(conf)));
        assertEquals(64, ConfigLoader.of(List.of(conf)).load(null).config().engine().numLocks());
        edit.undo();
        assertEquals(text, Files.readString(conf));
    }

    @Test
    public void addsTheKeyUnderTheHeaderOrTheTableAtTheEnd() throws Exception {
        Path withTable = tmp.getRoot().toPath().resolve("a.conf");
        Files.writeString(withTable, "[network]\nnetwork_config_dir = \"/n\"\n[engine]\n#database_backend = \"mapdb\"\n");
        ConfFileEdit.set(withTable, "engine", "database_backend", "sqlite");
        assertEquals("sqlite", backend(withTable));
        assertTrue(Files.readString(withTable).contains("[engine]\ndatabase_backend = \"sqlite\"\n#database_backend"));

        Path without = tmp.getRoot().toPath().resolve("b.conf");
        Files.writeString(without, "[network]\nnetwork_config_dir = \"/n\"\n");
        ConfFileEdit.set(without, "engine", "database_backend", "sqlite");
        assertEquals("sqlite", backend(without));

        Path dotted = tmp.getRoot().toPath().resolve("c.conf");
        Files.writeString(dotted, "engine.database_backend = \"mapdb\"\n[network]\nnetwork_config_dir = \"/n\"\n");
        ConfFileEdit.set(dotted, "engine", "database_backend", "sqlite");
        assertEquals("sqlite", backend(dotted));
        assertEquals("engine.database_backend = \"sqlite\"\n[network]\nnetwork_config_dir = \"/n\"\n",
                Files.readString(dotted));
    }

    @Test
    public void missingFileIsMadeAndUndoRemovesIt() throws Exception {
        Path conf = tmp.getRoot().toPath().resolve("etc").resolve("jpod.conf");
        ConfFileEdit edit = ConfFileEdit.set(conf, "engine", "database_backend", "sqlite");
        assertEquals("sqlite", backend(conf));
        edit.undo();
        assertFalse(Files.exists(conf));
    }

    @Test
    public void aLinkedFileIsEditedWhereItLives() throws Exception {
        Path real = tmp.getRoot().toPath().resolve("real.conf");
        Files.writeString(real, "[engine]\ndatabase_backend = \"mapdb\"\n");
        Path link = Files.createSymbolicLink(tmp.getRoot().toPath().resolve("jpod.conf"), real);
        ConfFileEdit.set(link, "engine", "database_backend", "sqlite");
        assertTrue(Files.isSymbolicLink(link));
        assertEquals("sqlite", backend(real));
    }
}
