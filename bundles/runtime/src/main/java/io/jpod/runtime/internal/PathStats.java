package io.jpod.runtime.internal;

import io.jpod.api.ContainerFiles.PathStat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;

/** The stat of a resolved container path, as docker's {@code StatPath}: the path itself, a link not followed. */
final class PathStats {
    private PathStats() {
    }

    static PathStat stat(CopyPaths p) throws IOException {
        Map<String, Object> a = attributes(p.host());
        int mode = (Integer) a.get("mode");
        boolean isLink = (mode & PathStat.S_IFMT) == PathStat.S_IFLNK;
        String link = isLink ? p.linkTarget() : "";
        String path = isLink ? link : p.location().containerPath(p.host());
        boolean dir = isLink ? p.followedDirectory()
                : (mode & PathStat.S_IFMT) == PathStat.S_IFDIR;
        if (p.contents()) {
            path = path.equals("/") ? "/." : path + "/.";
        } else if (p.slash() && !path.equals("/")) {
            path = path + "/";
        }
        return new PathStat(p.name(), (Long) a.get("size"), mode,
                ((java.nio.file.attribute.FileTime) a.get("lastModifiedTime")).toInstant(), link, path, dir);
    }

    /** lstat's fields of a host path: mode, uid, gid, size, times, ino, dev, rdev, nlink. */
    static Map<String, Object> attributes(Path p) throws IOException {
        return Files.readAttributes(p, "unix:mode,uid,gid,size,lastModifiedTime,ino,dev,rdev,nlink",
                LinkOption.NOFOLLOW_LINKS);
    }
}
