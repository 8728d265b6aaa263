package io.jpod.runtime.internal;

import io.jpod.api.ContainerStats.NetworkIo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A network namespace's interface counters, from {@code /proc/<pid>/net/dev} of a process inside it (the
 * file shows the namespace of the process it belongs to). Loopback is left out, as docker leaves it out.
 */
final class NetDevStats {
    private NetDevStats() {
    }

    /** The counters of {@code pid}'s namespace; empty when the process is gone. */
    static Map<String, NetworkIo> of(int pid) throws IOException {
        try {
            return parse(Files.readAllLines(Path.of("/proc", Integer.toString(pid), "net", "dev")));
        } catch (NoSuchFileException gone) {
            return Map.of();
        }
    }

    /**
     * Two header lines, then {@code name: rx_bytes rx_packets rx_errs rx_drop fifo frame compressed multicast
     * tx_bytes tx_packets tx_errs tx_drop ...}.
     */
    static Map<String, NetworkIo> parse(List<String> lines) {
        Map<String, NetworkIo> out = new LinkedHashMap<>();
        for (String line : lines) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = line.substring(0, colon).trim();
            String[] f = line.substring(colon + 1).trim().split("\\s+");
            if (name.equals("lo") || f.length < 12 || !f[0].matches("\\d+")) {
                continue;
            }
            out.put(name, new NetworkIo(n(f[0]), n(f[1]), n(f[2]), n(f[3]), n(f[8]), n(f[9]), n(f[10]), n(f[11])));
        }
        return out;
    }

    private static long n(String s) {
        return CgroupFiles.parse(s);
    }
}
