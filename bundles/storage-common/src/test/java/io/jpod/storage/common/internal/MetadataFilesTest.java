package io.jpod.storage.common.internal;

import static org.junit.Assert.assertEquals;

import com.fasterxml.jackson.core.type.TypeReference;
import io.jpod.util.internal.FileTrees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

public class MetadataFilesTest {
    record Rec(String id, int refs, List<String> names) {
    }

    private static final TypeReference<List<Rec>> RECS = new TypeReference<>() { };
    private Path dir;
    private Path file;

    @Before
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("jpod-metadata-");
        file = dir.resolve("layers").resolve("layers.json");
    }

    @After
    public void tearDown() throws IOException {
        FileTrees.delete(dir);
    }

    @Test
    public void recordsReplacedSinceTheLastWriteAreWrittenAsTheyAreNow() throws IOException {
        MetadataFiles files = new MetadataFiles();
        Map<String, Rec> recs = new LinkedHashMap<>();
        recs.put("a", new Rec("a", 1, List.of("x")));
        recs.put("b", new Rec("b", 0, List.of()));
        files.write(file, recs.values());
        assertEquals(new ArrayList<>(recs.values()), files.read(file, RECS));

        recs.put("a", new Rec("a", 2, List.of("x", "y \"quoted\"")));
        recs.remove("b");
        recs.put("c", new Rec("c", 0, List.of("z")));
        files.write(file, recs.values());
        assertEquals(new ArrayList<>(recs.values()), new MetadataFiles().read(file, RECS));

        files.write(file, List.of());
        assertEquals(List.of(), new MetadataFiles().read(file, RECS));
    }

    @Test
    public void theFileIsTheOwnersOnlyAndItsDirectoryToo() throws IOException {
        new MetadataFiles().write(file, List.of(new Rec("a", 0, List.of())));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));
    }
}
