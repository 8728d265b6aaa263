package io.jpod.storage.common.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;

/** What lstat(2) says of a file, as the layer readers compare and the tar writer records it. */
public record FileStat(int mode, int uid, int gid, long size, long rdev, FileTime mtime, long dev, long ino,
        int nlink, Object fileKey) {
    public static final int S_IFMT = 0170000;
    public static final int S_IFDIR = 0040000;
    public static final int S_IFREG = 0100000;
    public static final int S_IFLNK = 0120000;
    public static final int S_IFCHR = 0020000;
    public static final int S_IFBLK = 0060000;
    public static final int S_IFIFO = 0010000;

    /** lstat of {@code p}: a symbolic link is described, never followed. */
    public static FileStat lstat(Path p) throws IOException {
        Map<String, Object> a = Files.readAttributes(p,
                "unix:mode,uid,gid,size,rdev,lastModifiedTime,dev,ino,nlink,fileKey", LinkOption.NOFOLLOW_LINKS);
        return new FileStat((Integer) a.get("mode"), (Integer) a.get("uid"), (Integer) a.get("gid"),
                (Long) a.get("size"), (Long) a.get("rdev"), (FileTime) a.get("lastModifiedTime"), (Long) a.get("dev"),
                (Long) a.get("ino"), (Integer) a.get("nlink"), a.get("fileKey"));
    }

    public int type() {
        return mode & S_IFMT;
    }

    public boolean isDir() {
        return type() == S_IFDIR;
    }

    public boolean isRegular() {
        return type() == S_IFREG;
    }

    public boolean isSymlink() {
        return type() == S_IFLNK;
    }

    /** overlayfs's whiteout: a character device 0/0. */
    public boolean isWhiteout() {
        return type() == S_IFCHR && rdev == 0;
    }

    /** The permission bits with setuid, setgid and sticky. */
    public int permissions() {
        return mode & 07777;
    }

    /** The device's major number (glibc's encoding of dev_t). */
    public int devMajor() {
        return (int) (((rdev >>> 8) & 0xfff) | ((rdev >>> 32) & ~0xfffL));
    }

    public int devMinor() {
        return (int) ((rdev & 0xff) | ((rdev >>> 12) & ~0xffL));
    }
}
