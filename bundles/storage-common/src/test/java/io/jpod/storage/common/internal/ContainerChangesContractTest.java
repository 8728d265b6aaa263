package io.jpod.storage.common.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import io.jpod.api.FileChange;
import io.jpod.linux.Linux;
import io.jpod.spi.storage.Storage;
import io.jpod.util.internal.FileTrees;
import io.jpod.util.internal.HelperProcess;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * What a driver reports of a container's changes and writes as its layer, with the changes made for real in
 * the container's mounted root filesystem (overlay: the kernel makes the whiteouts and opaque directories),
 * and the layer applied back on the image checked file by file.
 */
public abstract class ContainerChangesContractTest {
    protected static final String LONG = "l".repeat(150);
    protected Path tmp;
    protected Store store;

    protected abstract Store open(Path graphRoot, Path runRoot);

    /** What the driver reports for /tmp, removed with what it held and made again with one new file. */
    protected abstract List<String> remadeDirectory();

    /** The entries of the layer tar for that /tmp. */
    protected abstract List<String> remadeDirectoryEntries();

    @Before
    public void setUpStore() throws IOException {
        tmp = Files.createTempDirectory("jpod-changes-");
        store = open(tmp.resolve("graph"), tmp.resolve("run"));
    }

    @After
    public void tearDownStore() throws IOException {
        try {
            if (store != null) {
                for (Storage.ContainerLayer c : store.containers()) {
                    store.unmount(c.id(), true);
                }
                store.close();
            }
        } finally {
            List<Path> left = MountInfo.mountPoints().stream().filter(p -> p.startsWith(tmp)).toList();
            for (Path p : left) {
                HelperProcess.of("umount", "-l", p.toString()).mergeErrors().runChecked();
            }
            FileTrees.delete(tmp);
            assertEquals("mounts left behind", List.of(), left);
        }
    }

    private static byte[] image() {
        return Tars.tar().dir("bin").file("bin/sh", "shell", 0755, 0, 0).file("bin/ls", "ls", 0755, 0, 0).dir("etc")
                .file("etc/passwd", "root:x:0:0::/root:/bin/sh\n").file("etc/group", "root:x:0:\n").dir("tmp")
                .file("tmp/old", "old").dir("keep").file("keep/same", "same").bytes();
    }

    /** A container of the image, changed as a user's commands would change it. */
    private String changedContainer() throws IOException {
        Storage.Layer base = store.createLayer(null, new ByteArrayInputStream(image()));
        Storage.Image img = store.createImage(null, List.of("localhost/base:latest"), base.id(), Map.of());
        store.createContainer("c1", img.id());
        Path root = store.mount("c1");
        Files.writeString(root.resolve("etc/passwd"), "root:x:0:0::/root:/bin/sh\nu:x:1:1::/:/bin/sh\n");
        Files.writeString(root.resolve("etc/new"), "new");
        Files.delete(root.resolve("bin/ls"));
        Files.delete(root.resolve("tmp/old"));
        Files.delete(root.resolve("tmp"));
        Files.createDirectory(root.resolve("tmp"));
        Files.setPosixFilePermissions(root.resolve("tmp"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(root.resolve("tmp/newin"), "in");
        Files.writeString(root.resolve("newfile"), "hi\n");
        Files.createDirectories(root.resolve("newdir"));
        Files.writeString(root.resolve("newdir/f"), "f");
        // what a hostile container leaves: links out of its root, odd names, a FIFO nobody writes to
        Files.createSymbolicLink(root.resolve("escape"), Path.of("/etc"));
        Files.createSymbolicLink(root.resolve("shadow"), Path.of("/etc/shadow"));
        Files.writeString(root.resolve("we\nird"), "odd");
        Files.writeString(root.resolve("newdir/" + LONG), "long");
        Linux.mkfifo(root.resolve("fifo"), 0644);
        Files.createLink(root.resolve("newdir/hard"), root.resolve("newdir/f"));
        // a file whose name a layer would read as the deletion of /etc/group
        Files.writeString(root.resolve("etc/.wh.group"), "not a whiteout");
        store.unmount("c1", false);
        return "c1";
    }

    @Test
    public void changesAreListedAsDockerDiffListsThem() throws IOException {
        String c = changedContainer();
        List<String> got = new ArrayList<>();
        for (FileChange f : store.changes(c)) {
            got.add(f.letter() + " " + f.path());
        }
        List<String> want = new ArrayList<>(List.of("C /bin", "D /bin/ls", "C /etc", "A /etc/.wh.group", "A /etc/new",
                "C /etc/passwd",
                "A /escape", "A /fifo", "A /newdir", "A /newdir/f", "A /newdir/hard", "A /newdir/" + LONG,
                "A /newfile", "A /shadow"));
        want.addAll(remadeDirectory());
        want.add("A /we\nird");
        assertEquals(want.stream().sorted().toList(), got.stream().sorted().toList());
        assertTrue("the paths of a directory come after it: " + got, got.indexOf("A /newdir/f") > got.indexOf("A /newdir"));
    }

    @Test
    public void theLayerTarHoldsTheChangesAndTheirWhiteouts() throws IOException {
        String c = changedContainer();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        store.writeLayer(c, out);
        Map<String, TarArchiveEntry> entries = new LinkedHashMap<>();
        Map<String, String> contents = new LinkedHashMap<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(out.toByteArray()))) {
            TarArchiveEntry e;
            while ((e = in.getNextEntry()) != null) {
                entries.put(e.getName(), e);
                if (e.isFile()) {
                    contents.put(e.getName(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
                }
            }
        }
        for (String n : List.of("bin/", "bin/.wh.ls", "etc/", "etc/new", "etc/passwd", "newfile", "newdir/",
                "newdir/f", "newdir/hard", "newdir/" + LONG, "escape", "shadow", "fifo", "we\nird")) {
            assertTrue(n + " in " + entries.keySet(), entries.containsKey(n));
        }
        for (String n : remadeDirectoryEntries()) {
            assertTrue(n + " in " + entries.keySet(), entries.containsKey(n));
        }
        assertFalse("not in the layer: " + entries.keySet(), entries.containsKey("bin/sh"));
        assertFalse(entries.containsKey("keep/same"));
        assertFalse("not a whiteout of the image's file", entries.containsKey("etc/.wh.group"));
        assertTrue("links are not followed: " + entries.keySet(),
                entries.keySet().stream().noneMatch(n -> n.startsWith("escape/")));
        assertEquals("/etc", entries.get("escape").getLinkName());
        assertTrue(entries.get("escape").isSymbolicLink());
        assertTrue(entries.get("fifo").isFIFO());
        assertEquals("root:x:0:0::/root:/bin/sh\nu:x:1:1::/:/bin/sh\n", contents.get("etc/passwd"));
        assertEquals("long", contents.get("newdir/" + LONG));
        assertTrue(entries.get("newdir/hard").isLink() || entries.get("newdir/f").isLink());

        // the layer stored on the image gives the container's files back, the deleted ones deleted
        Storage.Image base = store.image("localhost/base:latest");
        Storage.Layer top = store.createLayer(base.topLayer(), new ByteArrayInputStream(out.toByteArray()));
        Storage.Image committed = store.createImage(null, List.of("localhost/committed:latest"), top.id(), Map.of());
        store.createContainer("c2", committed.id());
        Path root = store.mount("c2");
        try {
            assertFalse(Files.exists(root.resolve("bin/ls"), LinkOption.NOFOLLOW_LINKS));
            assertEquals("shell", Files.readString(root.resolve("bin/sh")));
            assertFalse(Files.exists(root.resolve("tmp/old"), LinkOption.NOFOLLOW_LINKS));
            assertEquals("in", Files.readString(root.resolve("tmp/newin")));
            assertEquals("u:x:1:1::/:/bin/sh", Files.readAllLines(root.resolve("etc/passwd")).get(1));
            assertEquals("same", Files.readString(root.resolve("keep/same")));
            assertEquals("the container's .wh. file deleted nothing", "root:x:0:\n",
                    Files.readString(root.resolve("etc/group")));
            assertEquals("/etc", Files.readSymbolicLink(root.resolve("escape")).toString());
            assertEquals("odd", Files.readString(root.resolve("we\nird")));
            // committed again unchanged, the container has no changes of its own
            assertEquals(List.of(), store.changes("c2"));
        } finally {
            store.unmount("c2", false);
        }
    }

    @Test
    public void exportHoldsTheWholeRootFilesystem() throws IOException {
        String c = changedContainer();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        store.exportRootfs(c, out);
        List<String> names = new ArrayList<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(out.toByteArray()))) {
            TarArchiveEntry e;
            while ((e = in.getNextEntry()) != null) {
                names.add(e.getName());
            }
        }
        for (String n : List.of("bin/", "bin/sh", "etc/passwd", "etc/group", "keep/same", "tmp/newin", "newfile",
                "escape")) {
            assertTrue(n + " in " + names, names.contains(n));
        }
        assertFalse(names.contains("bin/ls"));
        assertFalse(names.contains("tmp/old"));
        assertTrue("an export holds any file: " + names, names.contains("etc/.wh.group"));
        assertEquals("no whiteouts: " + names, List.of("etc/.wh.group"), names.stream().filter(n -> n.contains(".wh."))
                .toList());
        assertFalse("unmounted again", store.mounted(c));
    }
}
