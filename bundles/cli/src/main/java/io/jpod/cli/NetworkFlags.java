package io.jpod.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jpod.api.net.AddressFormatException;
import io.jpod.api.net.Ipv4Address;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The network flags of create and run as podman 4.3 reads them (cmd/podman/common/netflags.go,
 * specgen.ParseNetworkFlag): {@code --network} (a mode, or networks as {@code a,b} or repeated, each
 * with {@code :ip=..,mac=..}), {@code --ip} and {@code --mac-address} for the one network, into the
 * SpecGenerator's {@code netns} and {@code Networks}.
 */
final class NetworkFlags {
    private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:][0-9a-fA-F:.]*");
    private static final Pattern MAC = Pattern.compile("\\p{XDigit}{2}([:-])\\p{XDigit}{2}(\\1\\p{XDigit}{2}){4}"
            + "|\\p{XDigit}{4}\\.\\p{XDigit}{4}\\.\\p{XDigit}{4}");
    private static final List<String> MODES = List.of("bridge", "none", "host", "default", "private", "slirp4netns",
            "pasta", "container", "ns", "pod");

    private NetworkFlags() {
    }

    /** One network's options, as libpod's PerNetworkOptions. */
    private record Opts(List<String> ips, String mac) {
    }

    /**
     * Puts {@code netns} and {@code Networks} into the spec.
     *
     * @throws IllegalArgumentException with podman's message for a bad combination or value
     */
    static void apply(ObjectNode spec, List<String> network, String ip, String mac) {
        String mode = null;
        String nsPath = null;
        Map<String, Opts> nets = new LinkedHashMap<>();
        for (int i = 0; i < network.size(); i++) {
            String n = network.get(i);
            String head = n.split(":", 2)[0];
            if (i == 0) {
                switch (head) {
                    case "none", "host" -> {
                        mode = head;
                        continue;
                    }
                    case "bridge" -> {
                        // podman names the default network "default" here; the service resolves it
                        mode = "bridge";
                        nets.put("default", n.contains(":") ? options(n.substring(n.indexOf(':') + 1), head)
                                : new Opts(new ArrayList<>(), null));
                        continue;
                    }
                    case "default", "private" -> {
                        mode = "bridge";
                        continue;
                    }
                    case "ns" -> {
                        mode = "path";
                        nsPath = n.substring(3);
                        continue;
                    }
                    default -> {
                        mode = "bridge";
                    }
                }
            } else if (MODES.contains(head)) {
                throw new IllegalArgumentException("can only set extra network names, selected mode " + head
                        + " conflicts with bridge: invalid argument");
            } else if (!"bridge".equals(mode)) {
                throw new IllegalArgumentException("cannot set multiple networks without bridge network mode, selected "
                        + "mode " + mode + ": invalid argument");
            }
            int colon = n.indexOf(':');
            if (colon < 0) {
                // podman takes a comma separated list for backwards compatibility
                for (String name : n.split(",")) {
                    nets.put(checkedName(name), new Opts(new ArrayList<>(), null));
                }
            } else {
                nets.put(checkedName(n.substring(0, colon)), options(n.substring(colon + 1), n.substring(0, colon)));
            }
        }
        if (ip != null || mac != null) {
            if (nets.isEmpty()) {
                nets.put("default", new Opts(new ArrayList<>(), null));
            }
            String flag = ip != null ? "--ip" : "--mac-address";
            if (ip != null) {
                requireIp(ip, "\"" + ip + "\" is not an ip address");
            }
            if (mac != null) {
                checkMac(mac);
            }
            if (mode != null && !mode.equals("bridge")) {
                throw new IllegalArgumentException(flag + " can only be set when the network mode is bridge: invalid "
                        + "argument");
            }
            if (nets.size() != 1) {
                throw new IllegalArgumentException(flag + " can only be set for a single network: invalid argument");
            }
            Opts o = nets.values().iterator().next();
            if (ip != null) {
                o.ips().add(ip);
            }
            String key = nets.keySet().iterator().next();
            nets.put(key, new Opts(o.ips(), mac != null ? mac : o.mac()));
            if (mode == null) {
                mode = "bridge";
            }
        }
        if (mode == null) {
            return;
        }
        ObjectNode ns = spec.putObject("netns").put("nsmode", mode);
        if (nsPath != null) {
            ns.put("value", nsPath);
        }
        if (!nets.isEmpty()) {
            ObjectNode out = spec.putObject("Networks");
            nets.forEach((name, o) -> {
                ObjectNode x = out.putObject(name);
                if (!o.ips().isEmpty()) {
                    o.ips().forEach(x.putArray("static_ips")::add);
                }
                if (o.mac() != null) {
                    x.put("static_mac", o.mac());
                }
            });
        }
    }

    private static String checkedName(String name) {
        if (name.isEmpty()) {
            throw new IllegalArgumentException("network name cannot be empty: invalid argument");
        }
        return name;
    }

    /** {@code ip=..,mac=..} after a network's name (podman's parseBridgeNetworkOptions). */
    private static Opts options(String opts, String network) {
        List<String> ips = new ArrayList<>();
        String mac = null;
        for (String opt : opts.isEmpty() ? new String[0] : opts.split(",")) {
            String[] kv = opt.split("=", 2);
            String v = kv.length > 1 ? kv[1] : "";
            switch (kv[0]) {
                case "ip", "ip6" -> {
                    requireIp(v, "invalid option for network " + network + ": invalid ip address \"" + v + "\"");
                    ips.add(v);
                }
                case "mac" -> {
                    checkMac(v);
                    mac = v;
                }
                default -> throw new IllegalArgumentException("invalid option for network " + network + ": unknown "
                        + "bridge network option: " + kv[0]);
            }
        }
        return new Opts(ips, mac);
    }

    /**
     * Checks an address as podman's client does: IPv4 by {@link Ipv4Address}'s rule, IPv6 by its characters
     * only (the service judges it).
     *
     * @param refusal podman's message for text that is no address; a leading zero gets its reason added
     * @throws IllegalArgumentException with {@code refusal} when {@code s} is none
     */
    static void requireIp(String s, String refusal) {
        if (s.contains(":")) {
            if (!IPV6.matcher(s).matches()) {
                throw new IllegalArgumentException(refusal);
            }
            return;
        }
        try {
            Ipv4Address.parse(s);
        } catch (AddressFormatException e) {
            throw new IllegalArgumentException(refusal + (e.leadingZero() ? ": " + e.reason() : ""), e);
        }
    }

    private static void checkMac(String mac) {
        if (!MAC.matcher(mac).matches()) {
            throw new IllegalArgumentException("address " + mac + ": invalid MAC address");
        }
    }
}
