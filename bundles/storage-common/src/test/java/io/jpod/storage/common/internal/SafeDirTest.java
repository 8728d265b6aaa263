package io.jpod.storage.common.internal;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.jpod.util.internal.FileTrees;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * A tree a container keeps changing while it is read: names swapped for links or for other files between the
 * lookup and the use lead nowhere outside it, and a file's size as looked up is what the tar holds.
 */
public class SafeDirTest {
    private Path tmp;
    private Path tree;
    private Path secret;

    @Before
    public void setUp() throws IOException {
        tmp = Files.createTempDirectory("jpod-safedir-");
        tree = Files.createDirectory(tmp.resolve("tree"));
        secret = Files.writeString(tmp.resolve("secret"), "SECRET of the host");
    }

    @After
    public void tearDown() throws IOException {
        FileTrees.delete(tmp);
    }

    private static Map<String, byte[]> entries(byte[] tar) throws IOException {
        Map<String, byte[]> out = new LinkedHashMap<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar))) {
            TarArchiveEntry e;
            while ((e = in.getNextEntry()) != null) {
                out.put(e.getName(), in.readAllBytes());
            }
        }
        return out;
    }

    @Test
    public void aFileSwappedForALinkAfterItsLookupIsLeftOut() throws IOException {
        Files.writeString(tree.resolve("f"), "mine");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LayerTarWriter tar = new LayerTarWriter(out);
        try (SafeDir d = SafeDir.open(tree)) {
            FileStat st = d.stat("f");
            Files.delete(tree.resolve("f"));
            Files.createSymbolicLink(tree.resolve("f"), secret);
            assertFalse(tar.add("f", d, "f", st));
        }
        tar.finish();
        assertEquals(Map.of(), entries(out.toByteArray()));
        assertFalse(out.toString(StandardCharsets.ISO_8859_1).contains("SECRET"));
    }

    @Test
    public void aDirectorySwappedForALinkIsNotEntered() throws IOException {
        Files.createDirectory(tree.resolve("sub"));
        try (SafeDir d = SafeDir.open(tree)) {
            FileStat st = d.stat("sub");
            Files.delete(tree.resolve("sub"));
            Files.createSymbolicLink(tree.resolve("sub"), tmp);
            assertThrows(FileSystemException.class, () -> d.dir("sub", st));
            assertNull(d.enter("sub", st));
        }
    }

    @Test
    public void whatThePathShowsIsBelievedOnlyForTheSameFile() throws IOException {
        Files.writeString(tree.resolve("x"), "first");
        try (SafeDir d = SafeDir.open(tree)) {
            // the directory moved away and another put where it was: the path now names another file
            Files.move(tree, tmp.resolve("moved"));
            Files.createDirectory(tree);
            Files.writeString(tree.resolve("x"), "second, elsewhere");
            FileSystemException e = assertThrows(FileSystemException.class, () -> d.stat("x"));
            assertTrue(e.getMessage(), e.getMessage().contains("changed while it was read"));
            assertNull(d.find("x"));
        }
    }

    @Test
    public void aFileHoldsTheSizeItWasLookedUpWith() throws IOException {
        Files.writeString(tree.resolve("grows"), "abcd");
        Files.writeString(tree.resolve("shrinks"), "abcd");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LayerTarWriter tar = new LayerTarWriter(out);
        try (SafeDir d = SafeDir.open(tree)) {
            FileStat g = d.stat("grows");
            FileStat s = d.stat("shrinks");
            Files.writeString(tree.resolve("grows"), "abcdefgh");
            Files.writeString(tree.resolve("shrinks"), "ab");
            assertTrue(tar.add("grows", d, "grows", g));
            assertTrue(tar.add("shrinks", d, "shrinks", s));
        }
        tar.whiteout("", "gone");
        tar.opaque("dir");
        tar.finish();
        Map<String, byte[]> e = entries(out.toByteArray());
        assertArrayEquals("abcd".getBytes(StandardCharsets.UTF_8), e.get("grows"));
        assertArrayEquals(new byte[] {'a', 'b', 0, 0}, e.get("shrinks"));
        assertTrue(e.containsKey(".wh.gone"));
        assertTrue(e.containsKey("dir/.wh..wh..opq"));
    }

    @Test
    public void namesThatAreNoNamesAreRefused() throws IOException {
        try (SafeDir d = SafeDir.open(tree)) {
            for (String bad : new String[] {"..", ".", "a/b", ""}) {
                assertThrows(bad, IllegalArgumentException.class, () -> d.stat(bad));
            }
        }
    }
}
