package io.jpod.util.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class FileTreesTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private static boolean root() {
        return "root".equals(System.getProperty("user.name"));
    }

    @Test
    public void deletesAWholeTree() throws IOException {
        Path t = tmp.getRoot().toPath().resolve("tree");
        Files.createDirectories(t.resolve("a/b/c"));
        Files.writeString(t.resolve("a/b/c/f"), "x");
        Files.writeString(t.resolve("a/g"), "y");
        Files.createDirectories(t.resolve("empty"));
        Files.setPosixFilePermissions(t.resolve("a/g"), PosixFilePermissions.fromString("---------"));
        FileTrees.delete(t);
        assertFalse(Files.exists(t, LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    public void aMissingTreeIsNothingToDo() throws IOException {
        FileTrees.delete(tmp.getRoot().toPath().resolve("none"));
    }

    @Test
    public void aSingleFileIsDeleted() throws IOException {
        Path f = tmp.newFile("f").toPath();
        FileTrees.delete(f);
        assertFalse(Files.exists(f));
    }

    @Test
    public void linksAreDeletedNeverFollowed() throws IOException {
        Path outside = tmp.newFolder("outside").toPath();
        Files.writeString(outside.resolve("keep"), "precious");
        Path t = tmp.getRoot().toPath().resolve("tree");
        Files.createDirectories(t.resolve("d"));
        Files.createSymbolicLink(t.resolve("d/to-dir"), outside);
        Files.createSymbolicLink(t.resolve("to-file"), outside.resolve("keep"));
        Files.createSymbolicLink(t.resolve("dangling"), outside.resolve("nothing"));
        FileTrees.delete(t);
        assertFalse(Files.exists(t, LinkOption.NOFOLLOW_LINKS));
        assertEquals("precious", Files.readString(outside.resolve("keep")));
    }

    @Test
    public void aRootThatIsALinkLosesOnlyTheLink() throws IOException {
        Path outside = tmp.newFolder("outside").toPath();
        Files.writeString(outside.resolve("keep"), "precious");
        Path link = tmp.getRoot().toPath().resolve("link");
        Files.createSymbolicLink(link, outside);
        FileTrees.delete(link);
        assertFalse(Files.exists(link, LinkOption.NOFOLLOW_LINKS));
        assertEquals("precious", Files.readString(outside.resolve("keep")));
    }

    @Test
    public void whatCannotBeDeletedIsNamedAndTheRestIsGone() throws IOException {
        assumeTrue("as root, permissions do not stop a deletion", !root());
        Path t = tmp.getRoot().toPath().resolve("tree");
        Files.createDirectories(t.resolve("locked"));
        Files.writeString(t.resolve("locked/stuck"), "x");
        Files.createDirectories(t.resolve("free"));
        Files.writeString(t.resolve("free/gone"), "y");
        Files.setPosixFilePermissions(t.resolve("locked"), PosixFilePermissions.fromString("r-x------"));
        try {
            FileTrees.NotDeletedException e = assertThrows(FileTrees.NotDeletedException.class,
                    () -> FileTrees.delete(t));
            assertEquals(java.util.List.of(t.resolve("locked/stuck")), e.paths());
            assertTrue(e.getMessage(), e.getMessage().startsWith("cannot delete 1 entry of " + t + ": "
                    + t.resolve("locked/stuck") + " ("));
            assertFalse(Files.exists(t.resolve("free")));
        } finally {
            Files.setPosixFilePermissions(t.resolve("locked"), PosixFilePermissions.fromString("rwx------"));
        }
    }

    @Test
    public void aMountInsideTheTreeIsNotEntered() throws IOException {
        assumeTrue("mounting needs root", root());
        Path t = tmp.getRoot().toPath().resolve("tree");
        Path mnt = t.resolve("sub/mnt");
        Files.createDirectories(mnt);
        Files.writeString(t.resolve("sub/other"), "z");
        HelperProcess.Result m = HelperProcess.of("mount", "-t", "tmpfs", "tmpfs", mnt.toString())
                .timeout(Duration.ofSeconds(20)).run();
        assumeTrue("cannot mount a tmpfs here: " + m.err(), m.ok());
        try {
            Files.writeString(mnt.resolve("volume-data"), "precious");
            FileTrees.NotDeletedException e = assertThrows(FileTrees.NotDeletedException.class,
                    () -> FileTrees.delete(t));
            assertEquals(java.util.List.of(mnt), e.paths());
            assertTrue(e.getMessage(), e.getMessage().contains("a mount point: unmount it first"));
            assertEquals("precious", Files.readString(mnt.resolve("volume-data")));
            assertFalse(Files.exists(t.resolve("sub/other")));
        } finally {
            HelperProcess.of("umount", mnt.toString()).timeout(Duration.ofSeconds(20)).runChecked();
        }
        FileTrees.delete(t);
        assertFalse(Files.exists(t));
    }
}
