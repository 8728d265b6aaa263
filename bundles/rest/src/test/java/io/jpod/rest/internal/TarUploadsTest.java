package io.jpod.rest.internal;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.Test;

/** An upload must begin as a tar archive does: a real one made by tar(1) passes whole, other bytes are a 400. */
public class TarUploadsTest {
    private static byte[] read(byte[] body) throws Exception {
        return TarUploads.requireTar(new ByteArrayInputStream(body), "the image to import").readAllBytes();
    }

    @Test
    public void aTarFromTarPassesUnchangedAndOtherBytesAreRefused() throws Exception {
        Path dir = Files.createTempDirectory("jpod-tar-upload-");
        try {
            Files.writeString(dir.resolve("f"), "hello");
            Path tar = dir.resolve("a.tar");
            for (List<String> cmd : List.of(List.of("tar", "-cf", tar.toString(), "-C", dir.toString(), "f"),
                    List.of("gzip", "-k", tar.toString()))) {
                assertEquals(cmd.toString(), 0, new ProcessBuilder(cmd).inheritIO().start().waitFor());
            }
            for (Path p : List.of(tar, dir.resolve("a.tar.gz"))) {
                byte[] bytes = Files.readAllBytes(p);
                assertArrayEquals(p.toString(), bytes, read(bytes));
            }
        } finally {
            for (String f : List.of("f", "a.tar", "a.tar.gz")) {
                Files.deleteIfExists(dir.resolve(f));
            }
            Files.delete(dir);
        }
        assertArrayEquals(new byte[0], read(new byte[0]));
        assertArrayEquals(new byte[1024], read(new byte[1024]));
        byte[] garbage = new byte[600_000];
        new Random(1).nextBytes(garbage);
        for (byte[] bad : List.of(garbage, "garbage".getBytes(), "{\"a\": 1}".getBytes())) {
            ApiException e = assertThrows(ApiException.class, () -> read(bad));
            assertEquals(400, e.status);
            assertTrue(e.getMessage(), e.getMessage().startsWith("the image to import is not a tar archive"));
        }
    }
}
