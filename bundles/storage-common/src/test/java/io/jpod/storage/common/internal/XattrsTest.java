package io.jpod.storage.common.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.Test;

public class XattrsTest {

    @Test
    public void trustedAttributesAreSetAndRead() throws IOException {
        Path dir = Files.createTempDirectory("jpod-xattr-");
        try {
            assertNull(Xattrs.getTrusted(dir, "trusted.overlay.opaque"));
            Xattrs.setTrusted(dir, "trusted.overlay.opaque", "y");
            assertEquals("y", Xattrs.getTrusted(dir, "trusted.overlay.opaque"));
        } finally {
            Files.delete(dir);
        }
    }
}
