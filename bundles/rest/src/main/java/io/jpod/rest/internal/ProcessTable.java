package io.jpod.rest.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jpod.api.Container;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The processes of running containers, as {@code podman top} lists them by default (psgo's {@code user, pid,
 * ppid, pcpu, etime, tty, time, args}), read from the host's /proc: each container's init process and its
 * descendants, with the PIDs as seen inside the container's PID namespace.
 */
final class ProcessTable {
    static final List<String> DESCRIPTORS = List.of("user", "pid", "ppid", "pcpu", "etime", "tty", "time", "args");
    private static final Map<String, String> TITLES = Map.of("user", "USER", "pid", "PID", "ppid", "PPID", "pcpu",
            "%CPU", "etime", "ELAPSED", "tty", "TTY", "time", "TIME", "args", "COMMAND", "comm", "COMMAND");
    private static final long CLK_TCK = 100;

    private ProcessTable() {
    }

    record Proc(int pid, int ppid, long startTicks, long cpuTicks, String comm) {
    }

    static ObjectNode top(Shapes shapes, List<Container> ctrs, String psArgs) throws IOException {
        List<String> descs = descriptors(psArgs);
        ObjectNode o = shapes.object();
        ArrayNode titles = o.putArray("Titles");
        descs.forEach(d -> titles.add(TITLES.get(d)));
        ArrayNode rows = o.putArray("Processes");
        Map<Integer, Proc> all = read();
        Map<Integer, List<Integer>> children = new HashMap<>();
        all.values().forEach(p -> children.computeIfAbsent(p.ppid(), k -> new ArrayList<>()).add(p.pid()));
        double uptime = uptime();
        for (Container c : ctrs) {
            List<Integer> tree = new ArrayList<>();
            collect(c.state().pid(), children, all, tree);
            for (int pid : tree) {
                Proc p = all.get(pid);
                ArrayNode row = rows.addArray();
                for (String d : descs) {
                    row.add(column(d, p, tree, uptime));
                }
            }
        }
        return o;
    }

    /** podman's descriptors, comma or space separated; the default set when none are given. */
    static List<String> descriptors(String psArgs) {
        if (psArgs == null || psArgs.isBlank()) {
            return DESCRIPTORS;
        }
        List<String> out = new ArrayList<>();
        for (String d : psArgs.trim().split("[,\\s]+")) {
            if (!TITLES.containsKey(d)) {
                throw ApiException.badRequest("top descriptor " + d + " is not supported by jpod: use "
                        + String.join(", ", DESCRIPTORS) + " or comm");
            }
            out.add(d);
        }
        return out;
    }

    private static void collect(int pid, Map<Integer, List<Integer>> children, Map<Integer, Proc> all,
            List<Integer> out) {
        if (!all.containsKey(pid) || out.contains(pid)) {
            return;
        }
        out.add(pid);
        for (int child : children.getOrDefault(pid, List.of())) {
            collect(child, children, all, out);
        }
    }

    /** One column of {@code p}; its parent shows as 0 when outside the container, as inside its PID namespace. */
    private static String column(String d, Proc p, List<Integer> tree, double uptime) throws IOException {
        return switch (d) {
            case "user" -> user(p.pid());
            case "pid" -> Integer.toString(nsPid(p.pid()));
            case "ppid" -> Integer.toString(tree.contains(p.ppid()) ? nsPid(p.ppid()) : 0);
            case "pcpu" -> {
                double elapsed = uptime - p.startTicks() / (double) CLK_TCK;
                yield String.format(java.util.Locale.ROOT, "%.3f",
                        elapsed <= 0 ? 0 : 100.0 * p.cpuTicks() / CLK_TCK / elapsed);
            }
            case "etime" -> duration(Duration.ofMillis((long) ((uptime - p.startTicks() / (double) CLK_TCK) * 1000)));
            case "tty" -> "?";
            case "time" -> duration(Duration.ofMillis(p.cpuTicks() * 1000 / CLK_TCK));
            case "comm" -> p.comm();
            default -> args(p);
        };
    }

    /** Go's time.Duration text, as psgo prints it (e.g. {@code 1m2.5s}, {@code 0s}). */
    static String duration(Duration d) {
        long ms = Math.max(0, d.toMillis());
        if (ms == 0) {
            return "0s";
        }
        long h = ms / 3_600_000, m = ms / 60_000 % 60;
        double s = ms % 60_000 / 1000.0;
        String secs = new java.math.BigDecimal(Double.toString(s)).stripTrailingZeros().toPlainString() + "s";
        return (h > 0 ? h + "h" : "") + (h > 0 || m > 0 ? m + "m" : "") + secs;
    }

    private static String args(Proc p) {
        try {
            byte[] b = Files.readAllBytes(Path.of("/proc", Integer.toString(p.pid()), "cmdline"));
            String s = new String(b, StandardCharsets.UTF_8).replace('\0', ' ').trim();
            return s.isEmpty() ? "[" + p.comm() + "]" : s;
        } catch (IOException e) {
            return p.comm();
        }
    }

    private static Map<String, String> status(int pid) {
        Map<String, String> out = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Integer.toString(pid), "status"))) {
                int colon = line.indexOf(':');
                if (colon > 0) {
                    out.put(line.substring(0, colon), line.substring(colon + 1).trim());
                }
            }
        } catch (IOException e) {
            // gone meanwhile
        }
        return out;
    }

    private static int nsPid(int pid) {
        String ns = status(pid).get("NSpid");
        if (ns == null || ns.isEmpty()) {
            return pid;
        }
        String[] parts = ns.split("\\s+");
        return Integer.parseInt(parts[parts.length - 1]);
    }

    private static String user(int pid) {
        String uid = status(pid).getOrDefault("Uid", "0").split("\\s+")[0];
        return uid.equals("0") ? "root" : uid;
    }

    private static double uptime() throws IOException {
        return Double.parseDouble(Files.readString(Path.of("/proc/uptime")).trim().split("\\s+")[0]);
    }

    private static Map<Integer, Proc> read() throws IOException {
        Map<Integer, Proc> out = new HashMap<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(Path.of("/proc"), p -> p.getFileName().toString()
                .matches("\\d+"))) {
            for (Path dir : ds) {
                try {
                    String stat = Files.readString(dir.resolve("stat"));
                    int open = stat.indexOf('('), close = stat.lastIndexOf(')');
                    String[] f = stat.substring(close + 2).split(" ");
                    // fields after comm: state ppid ... utime(12) stime(13) ... starttime(20)
                    out.put(Integer.parseInt(dir.getFileName().toString()), new Proc(
                            Integer.parseInt(dir.getFileName().toString()), Integer.parseInt(f[1]),
                            Long.parseLong(f[19]), Long.parseLong(f[11]) + Long.parseLong(f[12]),
                            stat.substring(open + 1, close)));
                } catch (IOException | RuntimeException e) {
                    // a process that ended while read
                }
            }
        }
        return out;
    }
}
