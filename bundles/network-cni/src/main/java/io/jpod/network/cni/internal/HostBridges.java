package io.jpod.network.cni.internal;

import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host interfaces a network names, and which bridges are jpod's. The bridge plugin makes a network's
 * bridge at the first attachment and never removes it; when it makes one, jpod marks it with an interface
 * alias naming the network ({@code ip link set dev <bridge> alias "jpod network <id>"}). A network's removal
 * deletes its bridge only when it carries that mark: a bridge the host had (docker0, a bridge of the
 * operator's, one a hand-written conflist names) is never jpod's to delete.
 */
final class HostBridges {
    private static final Logger LOG = LoggerFactory.getLogger(HostBridges.class);
    /** Linux's IFNAMSIZ less its NUL; the characters the kernel and every tool take without quoting. */
    private static final Pattern IFNAME = Pattern.compile("[a-zA-Z0-9_.-]{1,15}");
    private static final Path SYS_CLASS_NET = Path.of("/sys/class/net");

    private HostBridges() {
    }

    static boolean validName(String name) {
        return name != null && IFNAME.matcher(name).matches() && !name.equals(".") && !name.equals("..");
    }

    /** {@code name} as given; INVALID_ARG saying what an interface name may be when it cannot be one. */
    static String requireValidName(String name, String what) {
        if (!validName(name)) {
            throw new JpodException(ErrorCode.INVALID_ARG, "invalid " + what + " \"" + name + "\": an interface name "
                    + "has 1 to 15 letters, digits, '_', '.' or '-' (and is not \".\" or \"..\")");
        }
        return name;
    }

    /** Whether the host has an interface of that name; false for a name that cannot be one. */
    static boolean exists(String name) {
        return validName(name) && Files.exists(SYS_CLASS_NET.resolve(name));
    }

    static String mark(String networkId) {
        return "jpod network " + networkId;
    }

    /** Marks {@code bridge} as made for the network: the bridge plugin has just made it. */
    static void markMade(String bridge, String networkId) {
        if (exists(bridge) && HostCommand.run("ip", "link", "set", "dev", bridge, "alias", mark(networkId)) != 0) {
            LOG.warn("cannot mark the bridge {} as jpod's: removing its network will leave it", bridge);
        }
    }

    /** Whether {@code bridge} carries the mark of the network jpod made it for. */
    static boolean madeFor(String bridge, String networkId) {
        if (!exists(bridge)) {
            return false;
        }
        try {
            return Files.readString(SYS_CLASS_NET.resolve(bridge).resolve("ifalias"), StandardCharsets.UTF_8).strip()
                    .equals(mark(networkId));
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Deletes the network's bridge when jpod made it for that network and nothing is enslaved to it any more;
     * any other bridge of that name stays as it is.
     */
    static void removeMadeFor(String bridge, String network, String networkId) {
        if (!exists(bridge)) {
            return;
        }
        if (!madeFor(bridge, networkId)) {
            LOG.info("network {} removed; its bridge {} stays: jpod did not make it for this network", network, bridge);
            return;
        }
        List<String> ports = ports(bridge);
        if (!ports.isEmpty()) {
            LOG.warn("network {} removed; its bridge {} stays: interfaces are still on it {}", network, bridge, ports);
            return;
        }
        if (HostCommand.run("ip", "link", "del", "dev", bridge) != 0) {
            LOG.warn("cannot delete the bridge {} of network {}", bridge, network);
        }
    }

    private static List<String> ports(String bridge) {
        Path brif = SYS_CLASS_NET.resolve(bridge).resolve("brif");
        if (!Files.isDirectory(brif)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(brif)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            return List.of("(unreadable: " + e.getMessage() + ")");
        }
    }
}
