package io.jpod.build.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;

import io.jpod.util.internal.FileTrees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

public class SourceDigestTest {
    private Path src;

    @Before
    public void setUp() throws IOException {
        src = Files.createTempDirectory("digest-src-");
        Files.createDirectories(src.resolve("dir/sub"));
        Files.writeString(src.resolve("dir/a.txt"), "a");
        Files.writeString(src.resolve("dir/sub/run.sh"), "#!/bin/sh");
        Files.createSymbolicLink(src.resolve("dir/link"), Path.of("a.txt"));
    }

    @After
    public void tearDown() throws IOException {
        FileTrees.delete(src);
    }

    private String sum() throws IOException {
        return SourceDigest.of(List.of(src.resolve("dir")));
    }

    @Test
    public void theSameFilesGiveTheSameSumWhateverTheirTimes() throws IOException {
        String before = sum();
        Files.setLastModifiedTime(src.resolve("dir/a.txt"), FileTime.fromMillis(0));
        assertEquals(before, sum());
    }

    @Test
    public void contentsModesLinksAndNamesChangeTheSum() throws IOException {
        String before = sum();
        Files.writeString(src.resolve("dir/a.txt"), "b");
        String content = sum();
        assertNotEquals(before, content);
        Files.setPosixFilePermissions(src.resolve("dir/sub/run.sh"), PosixFilePermissions.fromString("rwxr-xr-x"));
        String mode = sum();
        assertNotEquals(content, mode);
        Files.delete(src.resolve("dir/link"));
        Files.createSymbolicLink(src.resolve("dir/link"), Path.of("sub"));
        String link = sum();
        assertNotEquals(mode, link);
        Files.move(src.resolve("dir/sub/run.sh"), src.resolve("dir/sub/start.sh"));
        assertNotEquals(link, sum());
    }

    @Test
    public void aFileMovedFromOneSourceToTheNextChangesTheSum() throws IOException {
        Files.createDirectories(src.resolve("other"));
        String before = SourceDigest.of(List.of(src.resolve("dir"), src.resolve("other")));
        Files.move(src.resolve("dir/a.txt"), src.resolve("other/a.txt"));
        assertNotEquals(before, SourceDigest.of(List.of(src.resolve("dir"), src.resolve("other"))));
    }
}
