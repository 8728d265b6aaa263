package io.jpod.runtime.internal;

import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;
import io.jpod.api.Network;
import io.jpod.api.net.AddressFormatException;
import io.jpod.api.net.Ipv4Address;
import io.jpod.api.net.Ipv4Subnet;
import io.jpod.api.PerNetworkOptions;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Checks of static addresses and MAC addresses before they are stored, with podman's wording where it
 * has one: an address must lie in one of its network's subnets (and be one host-local hands out), a MAC
 * address must be a unicast Ethernet address. Whether another container holds an address shows when
 * the container starts, as with podman and Docker.
 */
final class StaticAddresses {
    private static final Pattern MAC_COLON = Pattern.compile("\\p{XDigit}{2}([:-])\\p{XDigit}{2}(\\1\\p{XDigit}{2}){4}");
    private static final Pattern MAC_DOT = Pattern.compile("\\p{XDigit}{4}\\.\\p{XDigit}{4}\\.\\p{XDigit}{4}");

    private StaticAddresses() {
    }

    /**
     * The options as stored: checked, MAC addresses in lower-case colon form, empty entries left out.
     *
     * @param networkMode the container's network mode
     * @param networks    the networks it joins, the default one resolved
     * @param options     per network name, what the user asked
     * @param lookup      a network by name (NO_SUCH_NETWORK when missing)
     */
    static Map<String, PerNetworkOptions> check(String networkMode, List<String> networks,
            Map<String, PerNetworkOptions> options, Function<String, Network> lookup) {
        Map<String, PerNetworkOptions> out = new LinkedHashMap<>();
        for (Map.Entry<String, PerNetworkOptions> e : options.entrySet()) {
            PerNetworkOptions o = e.getValue();
            if (o == null || o.isEmpty()) {
                continue;
            }
            if (networkMode != null && !networkMode.isEmpty() && !networkMode.equals("bridge")) {
                throw new JpodException(ErrorCode.INVALID_ARG, "cannot set static IP or MAC address if not creating"
                        + " a network namespace (network mode " + networkMode + ")");
            }
            String net = e.getKey();
            if (!networks.contains(net)) {
                throw new JpodException(ErrorCode.INVALID_ARG, "static IP or MAC address given for network " + net
                        + ", which the container does not join (it joins " + String.join(", ", networks) + ")");
            }
            out.put(net, checkOne(lookup.apply(net), o));
        }
        return out;
    }

    /** One network's options checked against that network; MAC address in canonical form. */
    static PerNetworkOptions checkOne(Network n, PerNetworkOptions o) {
        List<String> ips = new ArrayList<>();
        for (String raw : o.staticIps()) {
            String ip = raw == null ? "" : raw.strip();
            Ipv4Address addr = parseIp(ip);
            Network.Subnet in = null;
            Ipv4Subnet subnet = null;
            for (Network.Subnet s : n.subnets()) {
                Ipv4Subnet sn = ipv4Subnet(s.subnet());
                if (addr != null && sn != null && sn.contains(addr)) {
                    in = s;
                    subnet = sn;
                }
            }
            if (in == null) {
                throw new JpodException(ErrorCode.INVALID_ARG, "requested static ip " + ip + " not in any subnet on "
                        + "network " + n.name());
            }
            if (addr.equals(subnet.network()) || addr.equals(subnet.broadcast())) {
                throw new JpodException(ErrorCode.INVALID_ARG, "requested static ip " + ip + " is the "
                        + (addr.equals(subnet.network()) ? "network" : "broadcast") + " address of subnet "
                        + in.subnet() + " on network " + n.name() + ": give a host address");
            }
            if (in.gateway() != null && !in.gateway().isEmpty() && addr.equals(parseIp(in.gateway()))) {
                throw new JpodException(ErrorCode.INVALID_ARG, "requested static ip " + ip + " is the gateway of "
                        + "network " + n.name());
            }
            if (in.ipRange() != null && !in.ipRange().isEmpty() && !ipv4Subnet(in.ipRange()).contains(addr)) {
                throw new JpodException(ErrorCode.INVALID_ARG, "requested static ip " + ip + " is outside the ip "
                        + "range " + in.ipRange() + " of network " + n.name() + ", which its IPAM hands out from");
            }
            ips.add(addr.toString());
        }
        if (ips.size() > 1) {
            throw new JpodException(ErrorCode.INVALID_ARG, "network " + n.name() + " takes one static IPv4 address, got "
                    + String.join(", ", ips));
        }
        return new PerNetworkOptions(ips, o.staticMac() == null ? null : mac(o.staticMac()), aliases(n, o.aliases()));
    }

    private static final java.util.regex.Pattern ALIAS = java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,252}");

    /** Aliases as hostnames: they become names in the peers' /etc/hosts, where a space or a newline would be more. */
    static List<String> aliases(Network n, List<String> given) {
        List<String> out = new ArrayList<>();
        for (String a : given) {
            String s = a == null ? "" : a.strip();
            if (!ALIAS.matcher(s).matches()) {
                throw new JpodException(ErrorCode.INVALID_ARG, "network alias \"" + s + "\" on network " + n.name()
                        + " is not a valid name: use letters, digits, '_', '.' and '-', starting with a letter or digit");
            }
            if (!out.contains(s)) {
                out.add(s);
            }
        }
        return out;
    }

    /**
     * A MAC address in lower-case colon form; Go's net.ParseMAC spellings of a 6-byte address
     * ({@code 02:42:..}, {@code 02-42-..}, {@code 0242.ac11.0002}) are taken.
     */
    static String mac(String raw) {
        String s = raw.strip();
        String hex;
        if (MAC_COLON.matcher(s).matches()) {
            hex = s.replace(":", "").replace("-", "");
        } else if (MAC_DOT.matcher(s).matches()) {
            hex = s.replace(".", "");
        } else {
            throw new JpodException(ErrorCode.INVALID_ARG, "address " + raw + ": invalid MAC address");
        }
        byte[] b = HexFormat.of().parseHex(hex.toLowerCase(Locale.ROOT));
        String canonical = HexFormat.ofDelimiter(":").formatHex(b);
        if ((b[0] & 1) != 0) {
            throw new JpodException(ErrorCode.INVALID_ARG, "MAC address " + canonical + " is a multicast address:"
                    + " give a unicast one (an even first byte, e.g. 02:...)");
        }
        if (hex.chars().allMatch(c -> c == '0')) {
            throw new JpodException(ErrorCode.INVALID_ARG, "MAC address " + canonical + " cannot be used: give a "
                    + "unicast address (e.g. 02:...)");
        }
        return canonical;
    }

    /**
     * An IPv4 address under {@link Ipv4Address}'s rule (no leading zeros, as Go's net.ParseIP); null for a
     * well-formed IPv6 address (no IPv4 subnet holds it).
     *
     * @throws JpodException INVALID_ARG, as podman says it: {@code "x" is not an ip address}
     */
    static Ipv4Address parseIp(String ip) {
        try {
            return Ipv4Address.parse(ip);
        } catch (AddressFormatException notV4) {
            if (ip.contains(":") && ip.matches("[0-9a-fA-F:][0-9a-fA-F:.]*")) {
                try {
                    // a literal with ':' is parsed, never looked up
                    java.net.InetAddress.getByName(ip);
                    return null;
                } catch (java.net.UnknownHostException e) {
                    throw notAnIp(ip);
                }
            }
            throw notAnIp(ip);
        }
    }

    private static JpodException notAnIp(String ip) {
        return new JpodException(ErrorCode.INVALID_ARG, "\"" + ip + "\" is not an ip address");
    }

    /** A network's IPv4 subnet, or null for an IPv6 one. */
    private static Ipv4Subnet ipv4Subnet(String cidr) {
        return cidr.contains(":") ? null : Ipv4Subnet.parse(cidr);
    }
}
