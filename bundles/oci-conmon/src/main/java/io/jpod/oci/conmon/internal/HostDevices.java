package io.jpod.oci.conmon.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jpod.api.ContainerSecurity;
import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Host device nodes in a container ({@code --device}, and every one of the host's for a privileged container):
 * the runtime spec's {@code linux.devices} entries, which the runtime makes with mknod, and the device cgroup
 * rules that let the container use them.
 */
final class HostDevices {
    private static final int S_IFMT = 0170000, S_IFCHR = 0020000, S_IFBLK = 0060000;
    /** What podman leaves out of a privileged container's /dev: the runtime makes these itself. */
    private static final Set<String> SKIPPED_DIRS = Set.of("pts", "shm", "fd", "mqueue", ".lxc", ".lxd-mounts",
            ".udev");

    /**
     * One device node.
     *
     * @param type  {@code c} or {@code b}
     * @param major the major number
     * @param minor the minor number
     * @param mode  the permission bits
     * @param uid   the owner
     * @param gid   the group
     */
    record Node(String type, long major, long minor, int mode, int uid, int gid) {
    }

    private HostDevices() {
    }

    /** The device node at {@code path}, or empty when it is none (missing, a directory, a regular file). */
    static java.util.Optional<Node> stat(Path path) {
        try {
            Map<String, Object> a = Files.readAttributes(path, "unix:mode,rdev,uid,gid");
            int mode = (Integer) a.get("mode");
            long rdev = (Long) a.get("rdev");
            String type = (mode & S_IFMT) == S_IFCHR ? "c" : (mode & S_IFMT) == S_IFBLK ? "b" : null;
            if (type == null) {
                return java.util.Optional.empty();
            }
            // glibc's gnu_dev_major and gnu_dev_minor
            long major = ((rdev >>> 8) & 0xfff) | ((rdev >>> 32) & 0xfffff000L);
            long minor = (rdev & 0xff) | ((rdev >>> 12) & 0xffffff00L);
            return java.util.Optional.of(new Node(type, major, minor, mode & 07777, (Integer) a.get("uid"),
                    (Integer) a.get("gid")));
        } catch (IOException | UnsupportedOperationException e) {
            return java.util.Optional.empty();
        }
    }

    /** Adds the container's devices: each {@code --device} (a directory gives the nodes in it), or all for privileged. */
    static void add(ArrayNode devices, ArrayNode rules, ContainerSecurity sec) {
        if (sec.privileged()) {
            ObjectNode all = rules.addObject();
            all.put("allow", true);
            all.put("access", "rwm");
            for (Path p : hostNodes(Path.of("/dev"))) {
                stat(p).ifPresent(n -> node(devices, p.toString(), n));
            }
        }
        for (ContainerSecurity.Device d : sec.devices()) {
            Path host = Path.of(d.pathOnHost());
            String target = d.pathInContainer() == null || d.pathInContainer().isEmpty() ? d.pathOnHost()
                    : d.pathInContainer();
            String access = d.permissions() == null || d.permissions().isEmpty() ? "rwm" : d.permissions();
            List<Path> nodes = Files.isDirectory(host) ? hostNodes(host) : List.of(host);
            for (Path p : nodes) {
                Node n = stat(p).orElseThrow(() -> new JpodException(ErrorCode.INVALID_ARG, "error gathering device "
                        + "information while adding custom device \"" + d.pathOnHost() + "\": " + p
                        + " is not a device node"));
                String in = p.equals(host) ? target : target + "/" + host.relativize(p);
                if (!has(devices, in)) {
                    node(devices, in, n);
                }
                ObjectNode rule = rules.addObject();
                rule.put("allow", true);
                rule.put("type", n.type());
                rule.put("major", n.major());
                rule.put("minor", n.minor());
                rule.put("access", access);
            }
        }
    }

    private static boolean has(ArrayNode devices, String path) {
        for (com.fasterxml.jackson.databind.JsonNode d : devices) {
            if (d.path("path").asText().equals(path)) {
                return true;
            }
        }
        return false;
    }

    private static void node(ArrayNode devices, String path, Node n) {
        ObjectNode d = devices.addObject();
        d.put("path", path);
        d.put("type", n.type());
        d.put("major", n.major());
        d.put("minor", n.minor());
        d.put("fileMode", n.mode());
        d.put("uid", Integer.toUnsignedLong(n.uid()));
        d.put("gid", Integer.toUnsignedLong(n.gid()));
    }

    /** The device nodes under {@code dir}, not following links, without the directories podman skips. */
    private static List<Path> hostNodes(Path dir) {
        List<Path> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.sorted().toList()) {
                if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    if (!SKIPPED_DIRS.contains(p.getFileName().toString())) {
                        out.addAll(hostNodes(p));
                    }
                } else if (!Files.isSymbolicLink(p) && !p.getFileName().toString().equals("console")
                        && stat(p).isPresent()) {
                    out.add(p);
                }
            }
        } catch (IOException e) {
            throw new JpodException(ErrorCode.INTERNAL, "cannot list the host's devices in " + dir + ": "
                    + e.getMessage(), e);
        }
        return out;
    }
}
