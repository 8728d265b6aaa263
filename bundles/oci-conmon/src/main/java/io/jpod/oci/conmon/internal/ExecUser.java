package io.jpod.oci.conmon.internal;

import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The user a container's process runs as, resolved as libpod does ({@code lookup.GetUserGroupInfo}):
 * numeric {@code uid[:gid]} as given, names from the root filesystem's /etc/passwd and /etc/group.
 *
 * @param uid            the user ID
 * @param gid            the primary group ID
 * @param additionalGids the groups /etc/group lists the user in (only for a user given without a group)
 * @param home           the home directory from /etc/passwd, or "/" when the user has no entry
 */
record ExecUser(int uid, int gid, List<Integer> additionalGids, String home) {
    /** The most of /etc/passwd or /etc/group read: far more than any real one holds. */
    static final int MAX_FILE = 1 << 20;

    static ExecUser resolve(Path rootfs, String spec) {
        String user = spec == null || spec.isBlank() ? "0" : spec.trim();
        String group = null;
        int colon = user.indexOf(':');
        if (colon >= 0) {
            group = user.substring(colon + 1);
            user = user.substring(0, colon);
        }
        if (user.isEmpty()) {
            user = "0";
        }
        List<String[]> passwd = read(rootfs, "/etc/passwd");
        String[] pw = null;
        Integer uid = number(user);
        for (String[] e : passwd) {
            if (e.length >= 3 && (uid == null ? e[0].equals(user) : e[2].equals(Integer.toString(uid)))) {
                pw = e;
                break;
            }
        }
        if (uid == null) {
            if (pw == null) {
                throw new JpodException(ErrorCode.INVALID_ARG, "unable to find user " + user
                        + ": no matching entries in passwd file");
            }
            uid = parse(pw[2], "uid of " + user);
        }
        int gid;
        List<Integer> extra = new ArrayList<>();
        List<String[]> groups = read(rootfs, "/etc/group");
        final String grp = group;
        if (grp != null && !grp.isEmpty()) {
            Integer g = number(grp);
            if (g == null) {
                String[] ge = groups.stream().filter(e -> e.length >= 3 && e[0].equals(grp)).findFirst()
                        .orElseThrow(() -> new JpodException(ErrorCode.INVALID_ARG, "unable to find group " + grp
                                + ": no matching entries in group file"));
                g = parse(ge[2], "gid of " + grp);
            }
            gid = g;
        } else {
            gid = pw != null && pw.length >= 4 ? parse(pw[3], "gid of " + user) : 0;
            String name = pw != null ? pw[0] : null;
            if (name != null) {
                for (String[] e : groups) {
                    if (e.length >= 4 && List.of(e[3].split(",")).contains(name)) {
                        int g = parse(e[2], "gid of group " + e[0]);
                        if (g != gid && !extra.contains(g)) {
                            extra.add(g);
                        }
                    }
                }
            }
        }
        String home = pw != null && pw.length >= 6 && !pw[5].isEmpty() ? pw[5] : "/";
        return new ExecUser(uid, gid, List.copyOf(extra), home);
    }

    /** A group given by number, or by name from the root filesystem's /etc/group ({@code --group-add}). */
    static int groupId(Path rootfs, String group) {
        Integer g = number(group);
        if (g != null) {
            return g;
        }
        String[] ge = read(rootfs, "/etc/group").stream().filter(e -> e.length >= 3 && e[0].equals(group))
                .findFirst().orElseThrow(() -> new JpodException(ErrorCode.INVALID_ARG, "unable to find group "
                        + group + ": no matching entries in group file"));
        return parse(ge[2], "gid of " + group);
    }

    private static Integer number(String s) {
        if (!s.chars().allMatch(Character::isDigit) || s.isEmpty()) {
            return null;
        }
        return parse(s, s);
    }

    private static int parse(String s, String what) {
        try {
            long v = Long.parseLong(s.trim());
            if (v < 0 || v > 0xFFFFFFFEL) {
                throw new NumberFormatException();
            }
            return (int) v;
        } catch (NumberFormatException e) {
            throw new JpodException(ErrorCode.INVALID_ARG, "invalid " + what + ": \"" + s + "\"");
        }
    }

    /**
     * The colon-separated entries of a file in the root filesystem, looked up inside it ({@link RootfsFiles}):
     * the container may have made it a link anywhere or a device, so it is read only as a regular file of at most
     * {@link #MAX_FILE} bytes.
     */
    private static List<String[]> read(Path rootfs, String file) {
        List<String[]> out = new ArrayList<>();
        if (rootfs == null) {
            return out;
        }
        byte[] data;
        try {
            data = RootfsFiles.read(rootfs, file, MAX_FILE);
        } catch (IOException e) {
            throw new JpodException(ErrorCode.INTERNAL, "reading " + file + " of " + rootfs + ": " + e.getMessage(), e);
        }
        if (data == null) {
            return out;
        }
        for (String line : new String(data, StandardCharsets.UTF_8).split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                out.add(line.split(":", -1));
            }
        }
        return out;
    }
}
