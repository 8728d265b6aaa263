package io.jpod.util.internal;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class AtomicFilesTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    public void writesANewFileAndItsDirectories() throws IOException {
        Path f = tmp.getRoot().toPath().resolve("a/b/state.json");
        AtomicFiles.write(f, "{}".getBytes(StandardCharsets.UTF_8));
        assertEquals("{}", Files.readString(f));
        assertEquals(List.of("state.json"), names(f.getParent()));
    }

    @Test
    public void replacesTheWholeFileAndLeavesNoTemporaryFile() throws IOException {
        Path f = tmp.getRoot().toPath().resolve("state");
        Files.writeString(f, "an old content that is longer than the new one");
        AtomicFiles.writeString(f, "new", null);
        assertEquals("new", Files.readString(f));
        AtomicFiles.write(f, new byte[0]);
        assertEquals(0, Files.size(f));
        assertEquals(List.of("state"), names(tmp.getRoot().toPath()));
    }

    @Test
    public void theModeIsExactFromTheStartAndReplacesTheOldMode() throws IOException {
        Path f = tmp.getRoot().toPath().resolve("secret.cfg");
        Files.writeString(f, "password = old");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
        AtomicFiles.writeString(f, "password = new", AtomicFiles.OWNER_ONLY);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
        assertEquals("password = new", Files.readString(f));
        // bits a umask of 022 or 077 would take are set all the same
        AtomicFiles.writeString(f, "x", PosixFilePermissions.fromString("rw-rw-r--"));
        assertEquals("rw-rw-r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
    }

    @Test
    public void aFailedRenameLeavesTheTargetAndNoTemporaryFile() throws IOException {
        Path dir = tmp.getRoot().toPath().resolve("target");
        Files.createDirectories(dir.resolve("inside"));
        assertThrows(IOException.class, () -> AtomicFiles.write(dir, new byte[] {1, 2, 3}));
        assertTrue(Files.isDirectory(dir.resolve("inside")));
        assertEquals(List.of("target"), names(tmp.getRoot().toPath()));
    }

    @Test
    public void aLongNameStillLeavesRoomForTheTemporaryName() throws IOException {
        Path f = tmp.getRoot().toPath().resolve("n".repeat(250));
        AtomicFiles.write(f, new byte[] {7});
        assertArrayEquals(new byte[] {7}, Files.readAllBytes(f));
        assertEquals(1, names(tmp.getRoot().toPath()).size());
    }

    @FunctionalInterface
    private interface Writer {
        void write(Path f, String content) throws IOException;
    }

    @Test
    public void concurrentWritersLeaveOneWholeContent() throws Exception {
        concurrentWriters((f, c) -> AtomicFiles.writeString(f, c, null));
    }

    @Test
    public void aVolatileReplacementIsAsAtomicAndKeepsTheMode() throws Exception {
        Path f = tmp.getRoot().toPath().resolve("run/mountpoints.json");
        AtomicFiles.writeVolatile(f, "[]".getBytes(StandardCharsets.UTF_8), AtomicFiles.OWNER_ONLY);
        assertEquals("[]", Files.readString(f));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
        AtomicFiles.writeVolatile(f, "[1]".getBytes(StandardCharsets.UTF_8), null);
        assertEquals("[1]", Files.readString(f));
        assertEquals(List.of("mountpoints.json"), names(f.getParent()));
        Path dir = tmp.getRoot().toPath().resolve("run/a-directory");
        Files.createDirectories(dir.resolve("inside"));
        assertThrows(IOException.class, () -> AtomicFiles.writeVolatile(dir, new byte[] {1}, null));
        assertTrue(Files.isDirectory(dir.resolve("inside")));
        assertEquals(List.of("a-directory", "mountpoints.json"), names(f.getParent()));
        Files.delete(f);
        concurrentWriters((t, c) -> AtomicFiles.writeVolatile(t, c.getBytes(StandardCharsets.UTF_8), null));
    }

    private void concurrentWriters(Writer writer) throws Exception {
        Path f = tmp.newFolder().toPath().resolve("shared");
        List<String> contents = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            contents.add(String.valueOf((char) ('a' + i)).repeat(100_000));
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (String c : contents) {
                done.add(pool.submit(() -> {
                    for (int k = 0; k < 10; k++) {
                        writer.write(f, c);
                        String seen = Files.readString(f);
                        assertTrue("a torn file", contents.contains(seen));
                    }
                    return null;
                }));
            }
            for (Future<?> d : done) {
                d.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertTrue(contents.contains(Files.readString(f)));
        assertEquals(List.of("shared"), names(f.getParent()));
    }

    @Test
    public void aNewFileIsWrittenInPlaceAndAnExistingOneIsNeverOverwritten() throws IOException {
        Path dir = tmp.getRoot().toPath();
        Path f = dir.resolve("link");
        AtomicFiles.writeNew(f, "ABC".getBytes(StandardCharsets.US_ASCII));
        assertEquals("ABC", Files.readString(f));
        assertThrows(java.nio.file.FileAlreadyExistsException.class,
                () -> AtomicFiles.writeNew(f, "other".getBytes(StandardCharsets.US_ASCII)));
        assertEquals("ABC", Files.readString(f));
        try (Stream<Path> all = Files.list(dir)) {
            assertEquals(List.of(f), all.toList());
        }
    }

    @Test
    public void syncOfADirectoryThatIsNoneIsHarmless() {
        AtomicFiles.syncDirectory(tmp.getRoot().toPath().resolve("missing"));
    }
}
