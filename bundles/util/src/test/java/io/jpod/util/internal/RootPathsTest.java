package io.jpod.util.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.jpod.util.internal.RootPaths.Escape;
import io.jpod.util.internal.RootPaths.OutsideRootException;
import java.io.IOException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.Files;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.List;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class RootPathsTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private Path root;
    private Path outside;

    @Before
    public void tree() throws IOException {
        root = tmp.newFolder("root").toPath();
        outside = tmp.newFolder("outside").toPath();
        Files.writeString(outside.resolve("secret"), "host");
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/passwd"), "root:x:0:0::/root:/bin/sh\n");
    }

    @Test
    public void aRelativeLinkIsExpandedFromItsOwnDirectory() throws IOException {
        Files.createDirectories(root.resolve("a/b"));
        Files.createSymbolicLink(root.resolve("a/b/up"), Path.of("../../etc"));
        Path p = RootPaths.resolve(root, "a/b/up/passwd", Escape.REFUSE, RootPaths.MAX_LINKS);
        assertEquals(root.resolve("etc/passwd"), p);
        assertTrue(Files.isRegularFile(p));
    }

    @Test
    public void dotDotCountsFromWhereTheLinkLeadsNotFromTheLink() throws IOException {
        Files.createDirectories(root.resolve("x/y"));
        Files.createDirectories(root.resolve("z/etc"));
        Files.writeString(root.resolve("z/etc/passwd"), "other");
        Files.createSymbolicLink(root.resolve("l"), Path.of("x/y"));
        // l/.. is x (where the link leads), not the root; x/../z would be the lexical answer
        Files.createDirectories(root.resolve("x/z/etc"));
        Files.writeString(root.resolve("x/z/etc/passwd"), "kernel's");
        assertEquals(root.resolve("x/z/etc/passwd"),
                RootPaths.resolve(root, "l/../z/etc/passwd", Escape.CLAMP, RootPaths.MAX_LINKS));
    }

    @Test
    public void anAbsoluteTargetIsRefusedOrTakenFromTheRoot() throws IOException {
        Files.createSymbolicLink(root.resolve("abs"), outside.resolve("secret"));
        Files.createSymbolicLink(root.resolve("etc/pw"), Path.of("/etc/passwd"));
        assertThrows(OutsideRootException.class,
                () -> RootPaths.resolve(root, "abs", Escape.REFUSE, RootPaths.MAX_LINKS));
        // clamped, the host's directory is looked up below the root, where it is missing
        assertNull(RootPaths.resolve(root, "abs", Escape.CLAMP, RootPaths.MAX_LINKS));
        assertEquals(root.resolve("etc/passwd"), RootPaths.resolve(root, "etc/pw", Escape.CLAMP, RootPaths.MAX_LINKS));
        assertThrows(OutsideRootException.class,
                () -> RootPaths.resolve(root, "etc/pw", Escape.REFUSE, RootPaths.MAX_LINKS));
    }

    @Test
    public void dotDotAboveTheRootIsRefusedOrStopsThere() throws IOException {
        Files.createSymbolicLink(root.resolve("etc/esc"), Path.of("../../outside/secret"));
        assertThrows(OutsideRootException.class,
                () -> RootPaths.resolve(root, "../outside/secret", Escape.REFUSE, RootPaths.MAX_LINKS));
        assertThrows(OutsideRootException.class,
                () -> RootPaths.resolve(root, "etc/esc", Escape.REFUSE, RootPaths.MAX_LINKS));
        assertThrows(OutsideRootException.class,
                () -> RootPaths.resolve(root, "/etc/passwd", Escape.REFUSE, RootPaths.MAX_LINKS));
        assertEquals(root.resolve("etc/passwd"),
                RootPaths.resolve(root, "/../../../etc/passwd", Escape.CLAMP, RootPaths.MAX_LINKS));
        assertNull(RootPaths.resolve(root, "etc/esc", Escape.CLAMP, RootPaths.MAX_LINKS));
    }

    @Test
    public void aLoopAndTooManyLinksFail() throws IOException {
        Files.createSymbolicLink(root.resolve("loop"), Path.of("loop"));
        Files.createSymbolicLink(root.resolve("ping"), Path.of("pong"));
        Files.createSymbolicLink(root.resolve("pong"), Path.of("ping"));
        assertThrows(FileSystemLoopException.class,
                () -> RootPaths.resolve(root, "loop", Escape.CLAMP, RootPaths.MAX_LINKS));
        assertThrows(FileSystemLoopException.class,
                () -> RootPaths.resolve(root, "ping/x", Escape.REFUSE, RootPaths.MAX_LINKS));
        // a chain of 3 links: within a limit of 3, beyond one of 2
        Files.createSymbolicLink(root.resolve("c1"), Path.of("c2"));
        Files.createSymbolicLink(root.resolve("c2"), Path.of("c3"));
        Files.createSymbolicLink(root.resolve("c3"), Path.of("etc/passwd"));
        assertEquals(root.resolve("etc/passwd"), RootPaths.resolve(root, "c1", Escape.REFUSE, 3));
        assertThrows(FileSystemLoopException.class, () -> RootPaths.resolve(root, "c1", Escape.REFUSE, 2));
    }

    @Test
    public void aMissingComponentOrAFileOnTheWayGivesNull() throws IOException {
        assertNull(RootPaths.resolve(root, "etc/shadow", Escape.REFUSE, RootPaths.MAX_LINKS));
        assertNull(RootPaths.resolve(root, "etc/passwd/x", Escape.REFUSE, RootPaths.MAX_LINKS));
        Files.createSymbolicLink(root.resolve("dangling"), Path.of("nowhere/file"));
        assertNull(RootPaths.resolve(root, "dangling", Escape.CLAMP, RootPaths.MAX_LINKS));
    }

    @Test
    public void resolveDirMakesMissingDirectoriesInsideTheRoot() throws IOException {
        Files.createSymbolicLink(root.resolve("var"), Path.of("/srv/data"));
        Path d = RootPaths.resolveDir(root, List.of("var", "lib"), Escape.CLAMP, RootPaths.MAX_LINKS,
                Files::createDirectory);
        assertEquals(root.resolve("srv/data/lib"), d);
        assertTrue(Files.isDirectory(d));
        assertThrows(NotDirectoryException.class, () -> RootPaths.resolveDir(root, List.of("etc", "passwd", "x"),
                Escape.CLAMP, RootPaths.MAX_LINKS, Files::createDirectory));
        assertNull(RootPaths.resolveDir(root, List.of("etc", "passwd"), Escape.CLAMP, RootPaths.MAX_LINKS, null));
        assertNull(RootPaths.resolveDir(root, List.of("opt"), Escape.CLAMP, RootPaths.MAX_LINKS, null));
        assertTrue(Files.notExists(root.resolve("opt")));
    }
}
