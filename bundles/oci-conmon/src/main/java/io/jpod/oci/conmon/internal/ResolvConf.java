package io.jpod.oci.conmon.internal;

import io.jpod.api.ContainerDns;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A container's /etc/resolv.conf from the host's, as podman 4.3 writes it (libpod's generateResolvConf over
 * containers/common's resolvconf.New): in a network namespace of its own without the host's loopback
 * nameservers (unreachable from there) and with podman's fallback servers when none are left; the container's
 * {@code --dns} servers replace the host's, its {@code --dns-search} domains ({@code .} for none) and
 * {@code --dns-option}s come first, and without servers of its own the host's domains and options follow them.
 */
final class ResolvConf {
    static final List<String> FALLBACK = List.of("8.8.8.8", "8.8.4.4");

    private final Path host;

    /** @param host the host's resolv.conf; a missing file is an empty one */
    ResolvConf(Path host) {
        this.host = host;
    }

    /** The file's content, or null for none ({@code --dns none}: the image's own is used). */
    String content(boolean hostNet, ContainerDns dns) throws IOException {
        if (dns.imageResolvConf()) {
            return null;
        }
        List<String> lines = host != null && Files.isRegularFile(host)
                ? Files.readAllLines(host, StandardCharsets.UTF_8) : List.of();
        if (dns.isEmpty()) {
            return filtered(lines, hostNet);
        }
        List<String> hostServers = new ArrayList<>();
        List<String> hostSearches = List.of();
        List<String> hostOptions = List.of();
        for (String line : lines) {
            List<String> words = Arrays.asList(line.trim().split("\\s+"));
            if (words.size() < 2 || words.get(0).startsWith("#") || words.get(0).startsWith(";")) {
                continue;
            }
            switch (words.get(0)) {
                case "nameserver" -> {
                    if (hostNet || !loopback(words.get(1))) {
                        hostServers.add(words.get(1));
                    }
                }
                // as podman, the last line of each kind counts
                case "search" -> hostSearches = words.subList(1, words.size());
                case "options" -> hostOptions = words.subList(1, words.size());
                default -> {
                }
            }
        }
        if (!hostNet && hostServers.isEmpty()) {
            hostServers.addAll(FALLBACK);
        }
        boolean keepHost = dns.servers().isEmpty();
        List<String> servers = keepHost ? hostServers : dns.servers();
        List<String> searches = new ArrayList<>(dns.searches().contains(".") ? List.of() : dns.searches());
        if (dns.searches().isEmpty() || (keepHost && !searches.isEmpty())) {
            searches.addAll(hostSearches);
        }
        List<String> options = new ArrayList<>(dns.options());
        if (options.isEmpty() || keepHost) {
            options.addAll(hostOptions);
        }
        StringBuilder sb = new StringBuilder();
        if (!searches.isEmpty()) {
            sb.append("search ").append(String.join(" ", searches)).append('\n');
        }
        servers.forEach(s -> sb.append("nameserver ").append(s).append('\n'));
        if (!options.isEmpty()) {
            sb.append("options ").append(String.join(" ", options)).append('\n');
        }
        return sb.toString();
    }

    /** The host's lines as they are, less the loopback nameservers in a namespace of its own. */
    private static String filtered(List<String> lines, boolean hostNet) {
        StringBuilder sb = new StringBuilder();
        boolean ns = false;
        for (String line : lines) {
            String t = line.trim();
            if (t.startsWith("nameserver")) {
                String addr = t.substring("nameserver".length()).trim();
                if (!hostNet && loopback(addr)) {
                    continue;
                }
                ns = true;
            }
            sb.append(line).append('\n');
        }
        if (!ns) {
            FALLBACK.forEach(s -> sb.append("nameserver ").append(s).append('\n'));
        }
        return sb.toString();
    }

    private static boolean loopback(String addr) {
        return addr.startsWith("127.") || addr.equals("::1");
    }
}
