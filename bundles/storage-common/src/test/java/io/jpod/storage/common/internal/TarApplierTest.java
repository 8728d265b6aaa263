package io.jpod.storage.common.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;
import io.jpod.util.internal.FileTrees;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * Crafted layer tars that try to write outside the layer: after each, the host side (a directory beside
 * the layer standing for the rest of the file system) must be exactly as before.
 */
public class TarApplierTest {
    private Path tmp;
    private Path layer;
    private Path outside;
    private Map<String, String> before;

    @Before
    public void setUp() throws IOException {
        tmp = Files.createTempDirectory("jpod-tar-");
        layer = Files.createDirectory(tmp.resolve("layer"));
        outside = Files.createDirectory(tmp.resolve("outside"));
        Files.writeString(outside.resolve("secret"), "host file");
        Files.createDirectory(outside.resolve("etc"));
        before = snapshot();
    }

    @After
    public void tearDown() throws IOException {
        FileTrees.delete(tmp);
    }

    /** Every path under tmp outside the layer, with its type, size, link count and content digest. */
    private Map<String, String> snapshot() throws IOException {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(tmp)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                if (p.startsWith(layer)) {
                    continue;
                }
                String v = Files.isSymbolicLink(p) ? "link" : Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) ? "dir"
                        : "file:" + Files.getAttribute(p, "unix:nlink") + ":" + Files.readString(p);
                m.put(tmp.relativize(p).toString(), v);
            }
        }
        return m;
    }

    private void assertHostUntouched() throws IOException {
        assertEquals(before, snapshot());
    }

    private TarApplier.Result apply(byte[] tar, TarApplier.Whiteouts mode) throws IOException {
        return TarApplier.apply(new ByteArrayInputStream(tar), layer, mode);
    }

    private void assertRefused(byte[] tar, String entry) throws IOException {
        for (TarApplier.Whiteouts mode : TarApplier.Whiteouts.values()) {
            try {
                apply(tar, mode);
                fail("accepted a tar with " + entry);
            } catch (JpodException e) {
                assertEquals(ErrorCode.INVALID_ARG, e.code());
                assertTrue(e.getMessage(), e.getMessage().contains(entry));
            }
            assertHostUntouched();
        }
    }

    @Test
    public void dotDotEntriesAreRefused() throws IOException {
        assertRefused(Tars.tar().file("../outside/pwned", "x").bytes(), "../outside/pwned");
        assertRefused(Tars.tar().file("a/../../outside/pwned", "x").bytes(), "a/../../outside/pwned");
        assertRefused(Tars.tar().dir("../outside/etc").bytes(), "../outside/etc");
        assertRefused(Tars.tar().symlink("../outside/l", "/").bytes(), "../outside/l");
    }

    @Test
    public void absolutePathsLandInsideTheLayer() throws IOException {
        String abs = outside.resolve("pwned").toString();
        apply(Tars.tar().file(abs, "x").file("/etc/passwd", "root:x:0:0").bytes(), TarApplier.Whiteouts.DELETE);
        assertHostUntouched();
        assertEquals("x", Files.readString(layer.resolve(abs.substring(1))));
        assertEquals("root:x:0:0", Files.readString(layer.resolve("etc/passwd")));
    }

    @Test
    public void writingThroughAnAbsoluteSymlinkStaysInside() throws IOException {
        apply(Tars.tar().symlink("evil", outside.toString()).file("evil/pwned", "x").file("evil/secret", "y")
                .bytes(), TarApplier.Whiteouts.OVERLAY);
        assertHostUntouched();
        assertEquals("x", Files.readString(layer.resolve(outside.toString().substring(1)).resolve("pwned")));
        assertTrue(Files.isSymbolicLink(layer.resolve("evil")));
    }

    @Test
    public void writingThroughARelativeSymlinkIsClampedAtTheRoot() throws IOException {
        apply(Tars.tar().dir("a").symlink("a/up", "../../../../../../outside").file("a/up/pwned", "x").bytes(),
                TarApplier.Whiteouts.DELETE);
        assertHostUntouched();
        assertEquals("x", Files.readString(layer.resolve("outside/pwned")));
    }

    @Test
    public void symlinkLoopsAreRefused() throws IOException {
        assertRefused(Tars.tar().symlink("a", "b").symlink("b", "a").file("a/x", "x").bytes(), "a/x");
    }

    @Test
    public void hardlinksOutsideAreRefused() throws IOException {
        assertRefused(Tars.tar().hardlink("h", "../outside/secret").bytes(), "h");
        assertRefused(Tars.tar().hardlink("h", outside.resolve("secret").toString()).bytes(), "h");
        assertRefused(Tars.tar().symlink("s", outside.toString()).hardlink("h", "s/secret").bytes(), "h");
        assertRefused(Tars.tar().symlink("s", "../outside").hardlink("h", "s/secret").bytes(), "h");
    }

    @Test
    public void hardlinksInsideWork() throws IOException {
        apply(Tars.tar().file("a", "data").hardlink("b", "a").bytes(), TarApplier.Whiteouts.DELETE);
        assertEquals(2, Files.getAttribute(layer.resolve("b"), "unix:nlink"));
        assertEquals(Files.getAttribute(layer.resolve("a"), "unix:ino"), Files.getAttribute(layer.resolve("b"),
                "unix:ino"));
    }

    @Test
    public void aDirectoryReplacedByASymlinkIsNotWrittenThrough() throws IOException {
        apply(Tars.tar().dir("d").file("d/f", "inside").symlink("d", outside.toString()).file("d/pwned", "x")
                .file("d/secret", "overwritten?").bytes(), TarApplier.Whiteouts.OVERLAY);
        assertHostUntouched();
        assertTrue(Files.isSymbolicLink(layer.resolve("d")));
        assertEquals("x", Files.readString(layer.resolve(outside.toString().substring(1)).resolve("pwned")));
    }

    @Test
    public void aFileOverASymlinkReplacesTheLink() throws IOException {
        apply(Tars.tar().symlink("x", outside.resolve("secret").toString()).file("x", "new").bytes(),
                TarApplier.Whiteouts.DELETE);
        assertHostUntouched();
        assertFalse(Files.isSymbolicLink(layer.resolve("x")));
        assertEquals("new", Files.readString(layer.resolve("x")));
    }

    @Test
    public void whiteoutsThroughSymlinksStayInside() throws IOException {
        apply(Tars.tar().symlink("s", outside.toString()).whiteout("s/secret").opaque("s").bytes(),
                TarApplier.Whiteouts.DELETE);
        assertHostUntouched();
        assertRefused(Tars.tar().file("../outside/.wh.secret", "").bytes(), "../outside/.wh.secret");
        assertRefused(Tars.tar().file("a/.wh...", "").bytes(), "a/.wh...");
    }

    @Test
    public void deviceNodesAreSkipped() throws IOException {
        apply(Tars.tar().charDevice("null", 1, 3).charDevice("wh", 0, 0).bytes(), TarApplier.Whiteouts.DELETE);
        assertFalse(Files.exists(layer.resolve("null"), LinkOption.NOFOLLOW_LINKS));
        assertFalse(Files.exists(layer.resolve("wh"), LinkOption.NOFOLLOW_LINKS));
        apply(Tars.tar().charDevice("null", 1, 3).charDevice("wh", 0, 0).bytes(), TarApplier.Whiteouts.OVERLAY);
        assertFalse(Files.exists(layer.resolve("null"), LinkOption.NOFOLLOW_LINKS));
        assertEquals(0L, Files.getAttribute(layer.resolve("wh"), "unix:rdev", LinkOption.NOFOLLOW_LINKS));
        assertTrue(Files.readAttributes(layer.resolve("wh"), java.nio.file.attribute.BasicFileAttributes.class,
                LinkOption.NOFOLLOW_LINKS).isOther());
    }

    @Test
    public void attributesArePreserved() throws IOException {
        apply(Tars.tar().dir("d", 0750, 12, 34).file("d/f", "x", 04755, 56, 78).symlink("d/l", "f").bytes(),
                TarApplier.Whiteouts.DELETE);
        Path d = layer.resolve("d");
        Path f = d.resolve("f");
        assertEquals(0750, (int) Files.getAttribute(d, "unix:mode") & 07777);
        assertEquals(12, Files.getAttribute(d, "unix:uid"));
        assertEquals(34, Files.getAttribute(d, "unix:gid"));
        assertEquals(04755, (int) Files.getAttribute(f, "unix:mode") & 07777);
        assertEquals(56, Files.getAttribute(f, "unix:uid"));
        assertEquals(78, Files.getAttribute(f, "unix:gid"));
        assertEquals(Tars.MTIME, Files.getLastModifiedTime(f));
        assertEquals(Tars.MTIME, Files.getLastModifiedTime(d));
        assertEquals(Path.of("f"), Files.readSymbolicLink(d.resolve("l")));
    }

    @Test
    public void diffIdIsTheDigestOfTheUncompressedTar() throws Exception {
        Tars t = Tars.tar().dir("etc").file("etc/hostname", "jpod\n");
        byte[] plain = t.bytes();
        String want = "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(plain));
        TarApplier.Result r = apply(plain, TarApplier.Whiteouts.DELETE);
        assertEquals(want, r.diffId());
        assertEquals(plain.length, r.size());
        FileTrees.delete(layer);
        Files.createDirectory(layer);
        byte[] gz = Tars.tar().dir("etc").file("etc/hostname", "jpod\n").gzip();
        assertEquals(want, apply(gz, TarApplier.Whiteouts.DELETE).diffId());
        assertEquals("jpod\n", Files.readString(layer.resolve("etc/hostname"), StandardCharsets.UTF_8));
    }

    @Test
    public void bzip2AndFifosWork() throws IOException {
        byte[] plain = Tars.tar().file("a", "x").bytes();
        java.io.ByteArrayOutputStream bz = new java.io.ByteArrayOutputStream();
        try (var out = new org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream(bz)) {
            out.write(plain);
        }
        TarApplier.Result r = apply(bz.toByteArray(), TarApplier.Whiteouts.DELETE);
        assertEquals(plain.length, r.size());
        assertEquals("x", Files.readString(layer.resolve("a")));

        var e = new org.apache.commons.compress.archivers.tar.TarArchiveEntry("fifo",
                org.apache.commons.compress.archivers.tar.TarConstants.LF_FIFO);
        e.setMode(010640);
        e.setUserId(7);
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        try (var t = new org.apache.commons.compress.archivers.tar.TarArchiveOutputStream(b)) {
            t.putArchiveEntry(e);
            t.closeArchiveEntry();
        }
        apply(b.toByteArray(), TarApplier.Whiteouts.OVERLAY);
        Path fifo = layer.resolve("fifo");
        assertTrue(Files.readAttributes(fifo, java.nio.file.attribute.BasicFileAttributes.class,
                LinkOption.NOFOLLOW_LINKS).isOther());
        assertEquals(7, Files.getAttribute(fifo, "unix:uid", LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    public void vfsWhiteoutsSpareWhatTheLayerItselfWrote() throws IOException {
        Files.createDirectories(layer.resolve("o/sub"));
        Files.writeString(layer.resolve("o/old"), "lower");
        Files.writeString(layer.resolve("o/sub/old"), "lower");
        Files.writeString(layer.resolve("gone"), "lower");
        apply(Tars.tar().file("o/sub/new", "upper").opaque("o").whiteout("gone").file("o/after", "upper").bytes(),
                TarApplier.Whiteouts.DELETE);
        try (Stream<Path> s = Files.walk(layer)) {
            assertEquals(List.of("", "o", "o/after", "o/sub", "o/sub/new"), s.map(p -> layer.relativize(p)
                    .toString()).sorted().toList());
        }
    }

    @Test
    public void overlayOpaqueDirectoriesGetTheXattr() throws IOException {
        apply(Tars.tar().dir("o").opaque("o").file("o/new", "x").bytes(), TarApplier.Whiteouts.OVERLAY);
        assertEquals("y", Xattrs.getTrusted(layer.resolve("o"), "trusted.overlay.opaque"));
        assertFalse(Files.exists(layer.resolve("o/.wh..wh..opq")));
    }

    @Test
    public void compressedFormatsWithoutSupportAreNamed() throws IOException {
        byte[] zstd = {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd, 0, 0, 0, 0};
        try {
            apply(zstd, TarApplier.Whiteouts.DELETE);
            fail();
        } catch (JpodException e) {
            assertEquals(ErrorCode.INVALID_ARG, e.code());
            assertTrue(e.getMessage().contains("zstd"));
        }
    }
}
