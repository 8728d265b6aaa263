package io.jpod.build.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import io.jpod.util.internal.FileTrees;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

public class ImageListingsTest {
    private static final String ID = "a".repeat(64);
    private Path dir;

    @Before
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("listings-");
    }

    @After
    public void tearDown() throws IOException {
        FileTrees.delete(dir);
    }

    private static ImageFiles.Listing base() {
        return new ImageFiles.Listing(Map.of(
                "/etc", new ImageFiles.Entry(true, 0755, 0, 0),
                "/etc/passwd", new ImageFiles.Entry(false, 0644, 0, 0),
                "/opt", new ImageFiles.Entry(true, 0755, 0, 0),
                "/opt/old", new ImageFiles.Entry(false, 0644, 0, 0),
                "/var", new ImageFiles.Entry(true, 0755, 0, 0),
                "/var/cache", new ImageFiles.Entry(true, 0755, 0, 0),
                "/var/cache/x", new ImageFiles.Entry(false, 0644, 0, 0)), "root:x:0:0::/:/bin/sh\n", "root:x:0:\n");
    }

    private static byte[] layer(String... entries) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            for (String name : entries) {
                boolean dir = name.endsWith("/");
                TarArchiveEntry e = new TarArchiveEntry(name, dir ? TarArchiveEntry.LF_DIR : TarArchiveEntry.LF_NORMAL);
                byte[] data = name.equals("etc/passwd") ? "app:x:1000:1000::/:/bin/sh\n".getBytes(StandardCharsets.UTF_8)
                        : new byte[0];
                e.setSize(dir ? 0 : data.length);
                e.setMode((dir ? 040000 : 0100000) | 0700);
                e.setIds(1000, 1000);
                tar.putArchiveEntry(e);
                tar.write(data);
                tar.closeArchiveEntry();
            }
        }
        return out.toByteArray();
    }

    @Test
    public void aLayerAddsReplacesAndWhitesOutAsTheStoreAppliesIt() throws IOException {
        ImageFiles.Listing l = ImageListings.apply(base(), new ByteArrayInputStream(layer(
                "opt/app/", "opt/app/run", "opt/.wh.old", "var/cache/", "var/cache/.wh..wh..opq", "etc/passwd")));
        assertTrue(l.isDir("/opt/app"));
        assertEquals(new ImageFiles.Entry(false, 0700, 1000, 1000), l.get("/opt/app/run"));
        assertNull("a whiteout removes the parent's file", l.get("/opt/old"));
        assertTrue(l.isDir("/var/cache"));
        assertNull("an opaque directory hides the parent's contents", l.get("/var/cache/x"));
        assertEquals("app:x:1000:1000::/:/bin/sh\n", l.passwd());
        assertEquals("root:x:0:\n", l.group());
        assertNull("the parent is not changed", base().get("/opt/app"));
    }

    @Test
    public void aFileOverADirectoryReplacesWhatWasInIt() throws IOException {
        ImageFiles.Listing l = ImageListings.apply(base(), new ByteArrayInputStream(layer("var")));
        assertFalse(l.isDir("/var"));
        assertNull(l.get("/var/cache/x"));
    }

    @Test
    public void aListingIsKeptForRootOnlyAndReadBackAsItWas() throws IOException {
        ImageListings kept = new ImageListings(dir.resolve("files"));
        assertNull(kept.get(ID));
        kept.put(ID, base());
        ImageFiles.Listing back = kept.get(ID);
        assertEquals(base().entries(), back.entries());
        assertEquals(base().passwd(), back.passwd());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(
                dir.resolve("files").resolve(ID + ".json"))));
        assertNull("a name that is not an image ID is never a path", kept.get("../../etc"));
        assertEquals(1, kept.prune());
        assertNull(kept.get(ID));
    }

    @Test
    public void anUnreadableListingIsAMissNotAnError() throws IOException {
        Files.createDirectories(dir.resolve("files"));
        Files.writeString(dir.resolve("files").resolve(ID + ".json"), "{not json");
        assertNull(new ImageListings(dir.resolve("files")).get(ID));
    }
}
