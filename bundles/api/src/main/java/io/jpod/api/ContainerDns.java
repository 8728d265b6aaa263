package io.jpod.api;

import io.jpod.api.net.AddressFormatException;
import io.jpod.api.net.Ipv4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What a container's /etc/resolv.conf says instead of the host's (podman's {@code --dns}, {@code --dns-search},
 * {@code --dns-option}; Docker's {@code HostConfig.Dns}, {@code DnsSearch}, {@code DnsOptions}).
 *
 * @param servers          nameservers (IPv4 or IPv6 addresses) in place of the host's; empty for the host's
 * @param searches         search domains in place of the host's; {@code ["."]} for none; empty for the host's
 * @param options          resolver options (e.g. {@code ndots:2}); empty for the host's
 * @param imageResolvConf  podman's {@code --dns none}: no resolv.conf is written, the image's own is used
 */
public record ContainerDns(List<String> servers, List<String> searches, List<String> options,
        boolean imageResolvConf) {
    /** The host's resolver settings, as containers have them when nothing is asked for (and stored before). */
    public static final ContainerDns NONE = new ContainerDns(List.of(), List.of(), List.of(), false);

    /** podman's domainRegexp (cmd/podman/parse/net.go): labels of letters, digits and inner hyphens. */
    private static final Pattern DOMAIN = Pattern.compile(
            "([a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(\\.([a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*\\.?");
    /** Text InetAddress reads as an IPv6 literal or refuses, never looking it up: a hex digit or ':' first, a ':'. */
    private static final Pattern IPV6 = Pattern.compile("(?=.*:)[0-9a-fA-F:][0-9a-fA-F:.]*");
    private static final Pattern LETTER = Pattern.compile("[a-zA-Z]");

    public ContainerDns {
        servers = servers == null ? List.of() : List.copyOf(servers);
        searches = searches == null ? List.of() : List.copyOf(searches);
        options = options == null ? List.of() : List.copyOf(options);
    }

    /** True when the host's settings are used unchanged. */
    public boolean isEmpty() {
        return servers.isEmpty() && searches.isEmpty() && options.isEmpty() && !imageResolvConf;
    }

    /** Why {@code s} cannot be a nameserver, in podman's words, or null when it can. */
    public static String serverProblem(String s) {
        if (s != null && IPV6.matcher(s).matches()) {
            try {
                // a literal only (see IPV6): no resolver is asked
                InetAddress.getByName(s);
                return null;
            } catch (UnknownHostException e) {
                return s + " is not an ip address";
            }
        }
        try {
            Ipv4Address.parse(s == null ? "" : s);
            return null;
        } catch (AddressFormatException e) {
            return s + " is not an ip address";
        }
    }

    /** Why {@code s} cannot be a search domain, in podman's words, or null when it can. */
    public static String searchProblem(String s) {
        // as podman: a letter somewhere, labels of letters, digits and inner hyphens, under 255 characters
        if (s == null || !LETTER.matcher(s).find() || !DOMAIN.matcher(s).matches() || s.length() >= 255) {
            return s + " is not a valid domain";
        }
        return null;
    }

    /** Why {@code s} cannot be one resolver option, or null when it can: one word, as resolv.conf(5) has them. */
    public static String optionProblem(String s) {
        if (s == null || s.isEmpty() || !s.chars().noneMatch(Character::isWhitespace)) {
            return "\"" + s + "\" is not a resolver option: give one word such as ndots:2 per option";
        }
        return null;
    }

    /**
     * What is wrong with the whole, naming each value with the field it came in ({@code serversField} and so
     * on), or null when nothing is.
     */
    public String problem(String serversField, String searchesField, String optionsField) {
        if (imageResolvConf && (!servers.isEmpty() || !searches.isEmpty() || !options.isEmpty())) {
            return serversField + ": none is not allowed to be specified with other DNS ip addresses, search "
                    + "domains or options";
        }
        for (String s : servers) {
            String p = serverProblem(s);
            if (p != null) {
                return serversField + ": " + p;
            }
        }
        if (searches.contains(".") && searches.size() > 1) {
            return searchesField + ": cannot pass additional search domains when also specifying '.'";
        }
        for (String s : searches) {
            String p = s.equals(".") ? null : searchProblem(s);
            if (p != null) {
                return searchesField + ": " + p;
            }
        }
        for (String s : options) {
            String p = optionProblem(s);
            if (p != null) {
                return optionsField + ": " + p;
            }
        }
        return null;
    }
}
