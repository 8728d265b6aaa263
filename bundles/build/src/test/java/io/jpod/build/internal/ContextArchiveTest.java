package io.jpod.build.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.jpod.api.JpodException;
import io.jpod.util.internal.FileTrees;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

public class ContextArchiveTest {
    private Path root;
    private Path outside;

    @Before
    public void setUp() throws IOException {
        root = Files.createTempDirectory("ctx-");
        outside = Files.createTempDirectory("outside-");
    }

    @After
    public void tearDown() throws IOException {
        FileTrees.delete(root);
        FileTrees.delete(outside);
    }

    private interface Entries {
        void write(TarArchiveOutputStream t) throws IOException;
    }

    private static byte[] tar(boolean gzip, Entries entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream t = new TarArchiveOutputStream(gzip ? new GzipCompressorOutputStream(bytes)
                : bytes)) {
            entries.write(t);
        }
        return bytes.toByteArray();
    }

    private static void file(TarArchiveOutputStream t, String name, String content, int mode) throws IOException {
        byte[] b = content.getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setSize(b.length);
        e.setMode(0100000 | mode);
        t.putArchiveEntry(e);
        t.write(b);
        t.closeArchiveEntry();
    }

    private static void link(TarArchiveOutputStream t, String name, String target, byte type) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name, type);
        e.setLinkName(target);
        t.putArchiveEntry(e);
        t.closeArchiveEntry();
    }

    @Test
    public void gzippedContextWithModesAndLinks() throws IOException {
        ContextArchive.extract(new ByteArrayInputStream(tar(true, t -> {
            file(t, "./Dockerfile", "FROM x\n", 0644);
            file(t, "bin/run.sh", "echo\n", 0755);
            link(t, "bin/again", "run.sh", TarConstants.LF_SYMLINK);
            link(t, "hard", "bin/run.sh", TarConstants.LF_LINK);
        })), root);
        assertEquals("FROM x\n", Files.readString(root.resolve("Dockerfile")));
        assertTrue(Files.isExecutable(root.resolve("bin/run.sh")));
        assertEquals("run.sh", Files.readSymbolicLink(root.resolve("bin/again")).toString());
        assertEquals("echo\n", Files.readString(root.resolve("hard")));
    }

    @Test
    public void namesThatLeaveAreRefused() throws IOException {
        byte[] dotdot = tar(false, t -> file(t, "a/../../evil", "x", 0644));
        JpodException e = assertThrows(JpodException.class,
                () -> ContextArchive.extract(new ByteArrayInputStream(dotdot), root));
        assertTrue(e.getMessage(), e.getMessage().contains("climbs out"));
        // a leading slash counts from the context, as tar itself reads it
        Path abs = outside.resolve("abs-evil");
        byte[] absolute = tar(false, t -> file(t, abs.toString(), "x", 0644));
        ContextArchive.extract(new ByteArrayInputStream(absolute), root);
        assertFalse(Files.exists(abs));
        assertTrue(Files.exists(root.resolve(abs.toString().substring(1))));
    }

    @Test
    public void aLinkOutIsNeverWrittenThrough() throws IOException {
        byte[] through = tar(false, t -> {
            link(t, "out", outside.toString(), TarConstants.LF_SYMLINK);
            file(t, "out/evil", "x", 0644);
        });
        assertThrows(JpodException.class, () -> ContextArchive.extract(new ByteArrayInputStream(through), root));
        assertFalse(Files.exists(outside.resolve("evil")));
        byte[] rel = tar(false, t -> {
            link(t, "up", "../" + outside.getFileName(), TarConstants.LF_SYMLINK);
            file(t, "up/evil", "x", 0644);
        });
        assertThrows(JpodException.class, () -> ContextArchive.extract(new ByteArrayInputStream(rel), root));
        assertFalse(Files.exists(outside.resolve("evil")));
        Files.writeString(outside.resolve("secret"), "s");
        byte[] hard = tar(false, t -> link(t, "h", "../" + outside.getFileName() + "/secret", TarConstants.LF_LINK));
        assertThrows(JpodException.class, () -> ContextArchive.extract(new ByteArrayInputStream(hard), root));
    }

    @Test
    public void ignoredFilesGoExceptionsStay() throws IOException {
        ContextArchive.extract(new ByteArrayInputStream(tar(false, t -> {
            file(t, "Dockerfile", "FROM x", 0644);
            file(t, "logs/a.log", "a", 0644);
            file(t, "logs/keep.log", "k", 0644);
            file(t, "src/main.c", "c", 0644);
            file(t, "src/main.o", "o", 0644);
        })), root);
        ContextArchive.applyIgnore(root, IgnorePatterns.parse("logs\n!logs/keep.log\n**/*.o"));
        assertFalse(Files.exists(root.resolve("logs/a.log")));
        assertTrue(Files.exists(root.resolve("logs/keep.log")));
        assertTrue(Files.exists(root.resolve("src/main.c")));
        assertFalse(Files.exists(root.resolve("src/main.o")));
    }

    @Test
    public void archivesAreToldFromADockerfileSentAlone() throws IOException {
        assertTrue(ContextArchive.looksLikeArchive(new java.io.BufferedInputStream(new ByteArrayInputStream(
                tar(false, t -> file(t, "Dockerfile", "FROM x", 0644))))));
        assertTrue(ContextArchive.looksLikeArchive(new java.io.BufferedInputStream(new ByteArrayInputStream(
                tar(true, t -> file(t, "Dockerfile", "FROM x", 0644))))));
        assertTrue(ContextArchive.looksLikeArchive(new java.io.BufferedInputStream(new ByteArrayInputStream(
                tar(false, t -> { })))));
        java.io.BufferedInputStream text = new java.io.BufferedInputStream(new ByteArrayInputStream(
                "FROM busybox\nRUN echo hi\n".repeat(40).getBytes(StandardCharsets.UTF_8)));
        assertFalse(ContextArchive.looksLikeArchive(text));
        assertEquals('F', text.read());
    }

    @Test
    public void garbageIsNoTar() {
        JpodException e = assertThrows(JpodException.class, () -> ContextArchive.extract(
                new ByteArrayInputStream("this is not a tar archive at all, just some text. ".repeat(20)
                        .getBytes(StandardCharsets.UTF_8)), root));
        assertTrue(e.getMessage(), e.getMessage().contains("not a readable tar"));
    }
}
