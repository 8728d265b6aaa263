package io.jpod.runtime.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reading the small files of a cgroup: a number, a "max", a flat keyed file. A file the kernel does not offer
 * (a controller not mounted, an older kernel) reads as absent, not as an error.
 */
final class CgroupFiles {
    private CgroupFiles() {
    }

    /** The file's text, trimmed, or null when there is no such file. */
    static String text(Path dir, String name) throws IOException {
        if (dir == null) {
            return null;
        }
        try {
            return Files.readString(dir.resolve(name)).trim();
        } catch (NoSuchFileException missing) {
            return null;
        }
    }

    static List<String> lines(Path dir, String name) throws IOException {
        String t = text(dir, name);
        return t == null || t.isEmpty() ? List.of() : List.of(t.split("\n"));
    }

    /** A number; {@code max} (v2's no limit) as {@link Long#MAX_VALUE}; 0 when absent. */
    static long number(Path dir, String name) throws IOException {
        String t = text(dir, name);
        if (t == null || t.isEmpty()) {
            return 0;
        }
        if (t.equals("max")) {
            return Long.MAX_VALUE;
        }
        return parse(t);
    }

    /** Unsigned 64-bit values beyond Long's range (v1's "no limit") clamp to {@link Long#MAX_VALUE}. */
    static long parse(String t) {
        try {
            return Long.parseLong(t);
        } catch (NumberFormatException e) {
            if (t.matches("\\d+")) {
                return Long.MAX_VALUE;
            }
            throw e;
        }
    }

    /** A flat keyed file ({@code memory.stat}, {@code cpu.stat}): key and value per line. */
    static Map<String, Long> keyed(Path dir, String name) throws IOException {
        Map<String, Long> out = new LinkedHashMap<>();
        for (String line : lines(dir, name)) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 2 && f[1].matches("\\d+")) {
                out.put(f[0], parse(f[1]));
            }
        }
        return out;
    }
}
