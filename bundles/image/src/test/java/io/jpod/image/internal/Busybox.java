package io.jpod.image.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Tarballs for the tests: a busybox root filesystem made from Debian's busybox-static ({@code /bin/busybox},
 * {@code apt-get install busybox-static}), and small tars of named files.
 */
final class Busybox {
    static final String[] APPLETS = {"sh", "echo", "ls", "cat", "true", "false", "sleep", "env", "id"};
    private static byte[] rootfs;

    private Busybox() {
    }

    static Path binary() {
        for (String p : new String[] {"/bin/busybox", "/usr/bin/busybox"}) {
            Path b = Path.of(p);
            if (Files.isRegularFile(b)) {
                return b;
            }
        }
        throw new AssertionError("no /bin/busybox: install Debian's busybox-static (apt-get install -y busybox-static)");
    }

    /** bin/busybox with its applets as symlinks, etc/passwd and etc/group, tmp, root: an uncompressed tar. */
    static synchronized byte[] rootfs() {
        if (rootfs == null) {
            try {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
                    dir(tar, "bin/", 0755);
                    file(tar, "bin/busybox", Files.readAllBytes(binary()), 0755);
                    for (String a : APPLETS) {
                        TarArchiveEntry e = new TarArchiveEntry("bin/" + a, TarArchiveEntry.LF_SYMLINK);
                        e.setLinkName("busybox");
                        e.setModTime(0);
                        tar.putArchiveEntry(e);
                        tar.closeArchiveEntry();
                    }
                    dir(tar, "etc/", 0755);
                    file(tar, "etc/passwd", "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n"
                            .getBytes(StandardCharsets.UTF_8), 0644);
                    file(tar, "etc/group", "root:x:0:\nnogroup:x:65534:\n".getBytes(StandardCharsets.UTF_8), 0644);
                    dir(tar, "tmp/", 01777);
                    dir(tar, "root/", 0700);
                }
                rootfs = bytes.toByteArray();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return rootfs.clone();
    }

    /** An uncompressed tar of the given files (mode 0644). */
    static byte[] tar(Map<String, String> files) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
                for (Map.Entry<String, String> f : files.entrySet()) {
                    file(tar, f.getKey(), f.getValue().getBytes(StandardCharsets.UTF_8), 0644);
                }
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A tar of entries given as bytes, for archives. */
    static byte[] archive(Map<String, byte[]> entries) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
                tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
                for (Map.Entry<String, byte[]> f : entries.entrySet()) {
                    file(tar, f.getKey(), f.getValue(), 0644);
                }
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The regular files of a tar, by name. */
    static Map<String, byte[]> entries(byte[] tar) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        try (org.apache.commons.compress.archivers.tar.TarArchiveInputStream in =
                new org.apache.commons.compress.archivers.tar.TarArchiveInputStream(
                        new java.io.ByteArrayInputStream(tar))) {
            TarArchiveEntry e;
            while ((e = in.getNextEntry()) != null) {
                if (e.isFile()) {
                    out.put(e.getName(), in.readAllBytes());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    static byte[] gzip(byte[] data) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
                gz.write(data);
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void dir(TarArchiveOutputStream tar, String name, int mode) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setMode(040000 | mode);
        e.setModTime(0);
        tar.putArchiveEntry(e);
        tar.closeArchiveEntry();
    }

    private static void file(TarArchiveOutputStream tar, String name, byte[] data, int mode) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setMode(0100000 | mode);
        e.setSize(data.length);
        e.setModTime(0);
        tar.putArchiveEntry(e);
        tar.write(data);
        tar.closeArchiveEntry();
    }
}
