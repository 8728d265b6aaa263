package io.jpod.build.internal;

import static org.junit.Assert.assertEquals;

import io.jpod.util.internal.FileTrees;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

public class LayerWriterTest {
    private Path src;

    @Before
    public void setUp() throws IOException {
        src = Files.createTempDirectory("layer-src-");
        Files.createDirectories(src.resolve("dir/sub"));
        Files.writeString(src.resolve("dir/a.txt"), "a");
        Files.writeString(src.resolve("dir/sub/run.sh"), "#!/bin/sh");
        Files.setPosixFilePermissions(src.resolve("dir/sub/run.sh"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.createSymbolicLink(src.resolve("dir/link"), Path.of("a.txt"));
    }

    @After
    public void tearDown() throws IOException {
        FileTrees.delete(src);
    }

    private record Written(List<String> entries) {
    }

    private Written write(ImageFiles.Listing parent, LayerWriter.Owner owner) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (LayerWriter w = new LayerWriter(bytes, parent)) {
            w.copy(src.resolve("dir"), "/opt/app", owner, true);
        }
        List<String> out = new ArrayList<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            TarArchiveEntry e;
            while ((e = in.getNextEntry()) != null) {
                out.add(e.getName() + " " + e.getLongUserId() + ":" + e.getLongGroupId() + " "
                        + Integer.toOctalString(e.getMode() & 07777) + (e.isSymbolicLink() ? " -> " + e.getLinkName()
                        : ""));
            }
        }
        return new Written(out);
    }

    @Test
    public void aDirectorysContentsWithOwnerModeAndTheParentsAttributes() throws IOException {
        ImageFiles.Listing parent = new ImageFiles.Listing(Map.of("/opt", new ImageFiles.Entry(true, 0750, 5, 6)),
                "", "");
        Written w = write(parent, new LayerWriter.Owner(1000, 1001, null));
        assertEquals(List.of("opt/ 5:6 750", "opt/app/ 1000:1001 755", "opt/app/a.txt 1000:1001 644",
                "opt/app/link 1000:1001 777 -> a.txt", "opt/app/sub/ 1000:1001 755",
                "opt/app/sub/run.sh 1000:1001 755"), w.entries());
        Written chmod = write(parent, new LayerWriter.Owner(0, 0, 0640));
        assertEquals("opt/app/a.txt 0:0 640", chmod.entries().get(2));
        assertEquals("opt/app/sub/run.sh 0:0 640", chmod.entries().get(5));
    }
}
