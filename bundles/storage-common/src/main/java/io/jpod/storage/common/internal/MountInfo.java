package io.jpod.storage.common.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The mount points of this process's mount namespace, from /proc/self/mountinfo. */
public final class MountInfo {
    private static final Path MOUNTINFO = Path.of("/proc/self/mountinfo");

    private MountInfo() {
    }

    public static List<Path> mountPoints() {
        List<Path> out = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(MOUNTINFO)) {
                String[] f = line.split(" ");
                if (f.length > 4) {
                    out.add(Path.of(unescape(f[4])));
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + MOUNTINFO + ": " + e.getMessage(), e);
        }
        return out;
    }

    public static boolean isMountPoint(Path p) {
        Path abs = p.toAbsolutePath().normalize();
        return mountPoints().contains(abs);
    }

    /** mountinfo escapes space, tab, newline and backslash as octal {@code \ooo}. */
    static String unescape(String s) {
        if (s.indexOf('\\') < 0) {
            return s;
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 3 < s.length()) {
                try {
                    b.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                    i += 3;
                    continue;
                } catch (NumberFormatException e) {
                    // not an escape
                }
            }
            b.append(c);
        }
        return b.toString();
    }
}
