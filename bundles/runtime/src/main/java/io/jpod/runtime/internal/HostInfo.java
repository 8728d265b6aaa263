package io.jpod.runtime.internal;

import io.jpod.api.Container;
import io.jpod.api.ContainerStatus;
import io.jpod.api.DBConfig;
import io.jpod.api.Info;
import io.jpod.api.config.JpodConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads what {@code jpod info} shows from /proc and the engine's parts. */
final class HostInfo {
    static final String VERSION = "0.1.0";
    static final String API_VERSION = "4.9.3";

    private HostInfo() {
    }

    static Info collect(JpodConfig cfg, DBConfig db, Map<String, String> names, Parts parts) {
        Map<String, Long> mem = meminfo();
        Info.Host host = new Info.Host(hostname(), read("/proc/sys/kernel/osrelease"), "linux", arch(),
                Runtime.getRuntime().availableProcessors(), mem.getOrDefault("MemTotal", 0L),
                mem.getOrDefault("MemAvailable", mem.getOrDefault("MemFree", 0L)), cgroupVersion(),
                cfg.engine().cgroupManager(), parts.defaultRuntime(), names.get("events"), names.get("locks"),
                names.get("network"), uptime());
        List<Container> all = parts.state().allContainers();
        Map<String, Integer> counts = new LinkedHashMap<>();
        counts.put("number", all.size());
        counts.put("running", (int) all.stream().filter(c -> c.state().status() == ContainerStatus.RUNNING).count());
        counts.put("paused", (int) all.stream().filter(c -> c.state().status() == ContainerStatus.PAUSED).count());
        counts.put("stopped", all.size() - counts.get("running") - counts.get("paused"));
        int images = parts.storage() == null ? 0 : parts.storage().images().size();
        Info.Store store = new Info.Store(db.graphRoot(), db.runRoot(), db.graphDriver(), db.volumePath(), counts,
                images);
        Info.EngineInfo eng = new Info.EngineInfo(VERSION, API_VERSION, names.get("state"), db.staticDir(),
                db.tmpDir(), parts.state().namespace(), names);
        return new Info(host, store, eng);
    }

    static String cgroupVersion() {
        return Files.exists(Path.of("/sys/fs/cgroup/cgroup.controllers")) ? "v2" : "v1";
    }

    private static String arch() {
        String a = System.getProperty("os.arch");
        return switch (a) {
            case "x86_64", "amd64" -> "amd64";
            case "aarch64" -> "arm64";
            default -> a;
        };
    }

    private static String hostname() {
        String h = read("/proc/sys/kernel/hostname");
        if (!h.isEmpty()) {
            return h;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }

    private static long uptime() {
        String s = read("/proc/uptime");
        try {
            return (long) Double.parseDouble(s.split("\\s+")[0]);
        } catch (RuntimeException e) {
            return 0;
        }
    }

    private static Map<String, Long> meminfo() {
        Map<String, Long> m = new LinkedHashMap<>();
        for (String line : read("/proc/meminfo").split("\n")) {
            String[] f = line.split("[:\\s]+");
            if (f.length >= 2) {
                try {
                    m.put(f[0], Long.parseLong(f[1]) * 1024);
                } catch (NumberFormatException ignored) {
                    // a line without a number
                }
            }
        }
        return m;
    }

    private static String read(String file) {
        try {
            return Files.readString(Path.of(file)).trim();
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }
}
