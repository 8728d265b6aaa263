package io.jpod.runtime.internal;

import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;
import io.jpod.util.internal.RootPaths;
import io.jpod.util.internal.RootPaths.Escape;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * The owner files copied into a container get with docker's {@code copyUIDGID} (podman's default): the container's
 * user and its primary group, numeric {@code uid[:gid]} as given, names looked up in the container's /etc/passwd and
 * /etc/group (read inside its root, as regular files of bounded size only); root for a container with no user.
 */
final class CopyOwner {
    private static final int MAX_FILE = 1 << 20;

    private CopyOwner() {
    }

    static ArchiveExtractor.Owner of(Path rootfs, String spec) throws IOException {
        String user = spec == null || spec.isBlank() ? "0" : spec.trim();
        String group = null;
        int colon = user.indexOf(':');
        if (colon >= 0) {
            group = user.substring(colon + 1);
            user = user.substring(0, colon);
        }
        Long uid = number(user);
        String[] pw = find(rootfs, "/etc/passwd", user, uid == null ? 0 : 2);
        if (uid == null) {
            if (pw == null) {
                throw new JpodException(ErrorCode.INVALID_ARG, "unable to find user " + user
                        + ": no matching entries in passwd file");
            }
            uid = number(pw[2]);
        }
        Long gid;
        if (group != null && !group.isEmpty()) {
            gid = number(group);
            if (gid == null) {
                String[] ge = find(rootfs, "/etc/group", group, 0);
                if (ge == null) {
                    throw new JpodException(ErrorCode.INVALID_ARG, "unable to find group " + group
                            + ": no matching entries in group file");
                }
                gid = number(ge[2]);
            }
        } else {
            gid = pw != null && pw.length >= 4 ? number(pw[3]) : Long.valueOf(0);
        }
        if (uid == null || gid == null) {
            throw new JpodException(ErrorCode.INVALID_ARG, "the container's user " + spec
                    + " has no numeric user and group ID in its passwd and group files");
        }
        return new ArchiveExtractor.Owner(uid, gid);
    }

    private static Long number(String s) {
        if (s == null || s.isEmpty() || s.length() > 10 || !s.chars().allMatch(Character::isDigit)) {
            return null;
        }
        long v = Long.parseLong(s);
        return v > 0xfffffffeL ? null : v;
    }

    /** The entry of a colon-separated file whose field {@code field} is {@code key}; null for none. */
    private static String[] find(Path rootfs, String file, String key, int field) throws IOException {
        Path p = RootPaths.resolve(rootfs, file, Escape.CLAMP, RootPaths.MAX_LINKS);
        BasicFileAttributes a = p == null ? null : Files.readAttributes(p, BasicFileAttributes.class,
                LinkOption.NOFOLLOW_LINKS);
        if (a == null || !a.isRegularFile()) {
            return null;
        }
        byte[] data;
        try (InputStream in = Files.newInputStream(p, LinkOption.NOFOLLOW_LINKS)) {
            data = in.readNBytes(MAX_FILE);
        }
        for (String line : new String(data, StandardCharsets.UTF_8).split("\n")) {
            String[] e = line.split(":", -1);
            if (!line.startsWith("#") && e.length >= 3 && e[field].equals(key)) {
                return e;
            }
        }
        return null;
    }
}
