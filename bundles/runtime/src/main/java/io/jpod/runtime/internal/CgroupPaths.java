package io.jpod.runtime.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a process's cgroup is on disk, from its {@code /proc/<pid>/cgroup} and the host's mount table: per v1
 * controller a directory, or the one directory of the v2 (unified) hierarchy when no v1 memory controller
 * holds it. Paths are read as the service sees them (outside any cgroup namespace).
 *
 * @param v1      per v1 controller ({@code memory}, {@code cpuacct}, {@code cpu}, {@code blkio}, {@code pids})
 *                its directory; empty on a v2 host
 * @param unified the process's v2 directory when the host is v2 only, else null
 */
record CgroupPaths(Map<String, Path> v1, Path unified) {

    boolean isV2() {
        return v1.isEmpty() && unified != null;
    }

    /** The cgroup of process {@code pid}, read from the host's /proc; null when the process is gone. */
    static CgroupPaths of(int pid) throws IOException {
        List<String> cgroups;
        try {
            cgroups = Files.readAllLines(Path.of("/proc", Integer.toString(pid), "cgroup"));
        } catch (NoSuchFileException gone) {
            return null;
        }
        return parse(cgroups, Files.readAllLines(Path.of("/proc/self/mountinfo")));
    }

    /** From the lines of a {@code /proc/<pid>/cgroup} and of a {@code mountinfo}. */
    static CgroupPaths parse(List<String> cgroupLines, List<String> mountinfo) {
        Map<String, Mount> v1Mounts = new HashMap<>();
        Mount v2Mount = null;
        for (String line : mountinfo) {
            String[] f = line.split(" ");
            int dash = List.of(f).indexOf("-");
            if (dash < 5 || f.length < dash + 2) {
                continue;
            }
            String type = f[dash + 1];
            Mount m = new Mount(unescape(f[3]), Path.of(unescape(f[4])));
            if (type.equals("cgroup2")) {
                v2Mount = v2Mount == null ? m : v2Mount;
            } else if (type.equals("cgroup") && f.length > dash + 3) {
                for (String opt : f[dash + 3].split(",")) {
                    v1Mounts.putIfAbsent(opt, m);
                }
            }
        }
        Map<String, Path> v1 = new HashMap<>();
        Path unified = null;
        for (String line : cgroupLines) {
            String[] f = line.split(":", 3);
            if (f.length != 3) {
                continue;
            }
            if (f[0].equals("0") && f[1].isEmpty()) {
                if (v2Mount != null) {
                    unified = v2Mount.dir(f[2]);
                }
                continue;
            }
            for (String controller : f[1].split(",")) {
                Mount m = v1Mounts.get(controller);
                if (m != null && !controller.startsWith("name=")) {
                    v1.put(controller, m.dir(f[2]));
                }
            }
        }
        // a hybrid host keeps the controllers on v1; its unified tree holds none of them
        if (v1.containsKey("memory")) {
            return new CgroupPaths(Map.copyOf(v1), null);
        }
        return new CgroupPaths(Map.of(), unified);
    }

    private record Mount(String root, Path point) {
        /** The directory of cgroup {@code path}, which lies under the mount's root. */
        Path dir(String path) {
            String rel = path;
            if (!root.equals("/") && (path.equals(root) || path.startsWith(root + "/"))) {
                rel = path.substring(root.length());
            }
            rel = rel.replaceFirst("^/+", "");
            Path dir = rel.isEmpty() ? point : point.resolve(rel).normalize();
            // a path naming ".." must not leave the hierarchy
            return dir.startsWith(point) ? dir : point;
        }
    }

    /** mountinfo escapes space, tab, newline and backslash as octal. */
    private static String unescape(String s) {
        if (s.indexOf('\\') < 0) {
            return s;
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 3 < s.length() && s.substring(i + 1, i + 4).matches("[0-7]{3}")) {
                b.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
