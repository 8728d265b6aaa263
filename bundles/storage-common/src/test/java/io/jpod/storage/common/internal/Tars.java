package io.jpod.storage.common.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

/** Builds layer tars in tests, well-formed or crafted. */
public final class Tars {
    public static final FileTime MTIME = FileTime.from(Instant.parse("2020-01-02T03:04:05Z"));

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes);

    private Tars() {
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    }

    public static Tars tar() {
        return new Tars();
    }

    private static TarArchiveEntry entry(String name, byte type) {
        // preserveAbsolutePath: crafted names are written as given
        TarArchiveEntry e = new TarArchiveEntry(name, type, true);
        e.setLastModifiedTime(MTIME);
        return e;
    }

    private Tars put(TarArchiveEntry e, byte[] data) {
        try {
            if (data != null) {
                e.setSize(data.length);
            }
            tar.putArchiveEntry(e);
            if (data != null) {
                tar.write(data);
            }
            tar.closeArchiveEntry();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return this;
    }

    public Tars dir(String name) {
        return dir(name, 0755, 0, 0);
    }

    public Tars dir(String name, int mode, int uid, int gid) {
        TarArchiveEntry e = entry(name.endsWith("/") ? name : name + "/", TarConstants.LF_DIR);
        e.setMode(040000 | mode);
        e.setUserId(uid);
        e.setGroupId(gid);
        return put(e, null);
    }

    public Tars file(String name, String content) {
        return file(name, content, 0644, 0, 0);
    }

    public Tars file(String name, String content, int mode, int uid, int gid) {
        TarArchiveEntry e = entry(name, TarConstants.LF_NORMAL);
        e.setMode(0100000 | mode);
        e.setUserId(uid);
        e.setGroupId(gid);
        return put(e, content.getBytes(StandardCharsets.UTF_8));
    }

    public Tars symlink(String name, String target) {
        TarArchiveEntry e = entry(name, TarConstants.LF_SYMLINK);
        e.setLinkName(target);
        e.setMode(0120777);
        return put(e, null);
    }

    public Tars hardlink(String name, String target) {
        TarArchiveEntry e = entry(name, TarConstants.LF_LINK);
        e.setLinkName(target);
        e.setMode(0100644);
        return put(e, null);
    }

    public Tars charDevice(String name, int major, int minor) {
        TarArchiveEntry e = entry(name, TarConstants.LF_CHR);
        e.setDevMajor(major);
        e.setDevMinor(minor);
        e.setMode(020666);
        return put(e, null);
    }

    /** An OCI whiteout for {@code path}: {@code dir/.wh.name}. */
    public Tars whiteout(String path) {
        int slash = path.lastIndexOf('/');
        return file(path.substring(0, slash + 1) + ".wh." + path.substring(slash + 1), "");
    }

    /** An OCI opaque-directory marker in {@code dir}. */
    public Tars opaque(String dir) {
        return file(dir + "/.wh..wh..opq", "");
    }

    public byte[] bytes() {
        try {
            tar.finish();
            tar.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    public byte[] gzip() {
        byte[] plain = bytes();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GzipCompressorOutputStream gz = new GzipCompressorOutputStream(out)) {
            gz.write(plain);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
