package io.jpod.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jpod.api.ContainerDns;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * podman's DNS flags, which create, run and pod create share (cmd/podman/common/netflags.go): checked with
 * podman's messages and put into the spec as libpod's {@code dns_server}, {@code dns_search},
 * {@code dns_option}; {@code --dns none} is the container's {@code use_image_resolve_conf}.
 */
final class DnsFlags {
    @Option(names = "--dns", split = ",", description = "Set custom DNS servers (none: the image's resolv.conf)")
    List<String> servers = new ArrayList<>();
    @Option(names = "--dns-search", split = ",", description = "Set custom DNS search domains (.: none)")
    List<String> searches = new ArrayList<>();
    @Option(names = "--dns-option", split = ",", description = "Set custom DNS options")
    List<String> options = new ArrayList<>();

    /**
     * @param pod whether the spec is a pod's (no {@code --dns none} there)
     * @throws IllegalArgumentException with podman's message for a bad value
     */
    void apply(ObjectNode spec, boolean pod) {
        boolean none = servers.contains("none");
        if (none && servers.size() > 1) {
            throw new IllegalArgumentException("none is not allowed to be specified with other DNS ip addresses");
        }
        if (none && pod) {
            throw new IllegalArgumentException("--dns none is not supported by jpod for pods: give DNS servers or "
                    + "leave the host's");
        }
        List<String> given = none ? List.of() : servers;
        String problem = new ContainerDns(given, searches, options, none).problem("--dns", "--dns-search",
                "--dns-option");
        if (problem != null) {
            // podman's messages name the value alone
            throw new IllegalArgumentException(problem.substring(problem.indexOf(": ") + 2));
        }
        if (none) {
            spec.put("use_image_resolve_conf", true);
        }
        put(spec, "dns_server", given);
        put(spec, "dns_search", searches);
        put(spec, "dns_option", options);
    }

    private static void put(ObjectNode spec, String field, List<String> values) {
        if (!values.isEmpty()) {
            ArrayNode a = spec.putArray(field);
            values.forEach(a::add);
        }
    }
}
