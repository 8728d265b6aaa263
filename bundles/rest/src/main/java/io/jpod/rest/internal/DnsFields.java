package io.jpod.rest.internal;

import static io.jpod.rest.internal.CreateFields.bool;
import static io.jpod.rest.internal.CreateFields.strings;

import com.fasterxml.jackson.databind.JsonNode;
import io.jpod.api.ContainerDns;

/**
 * The resolver settings of both API families, checked as they are read so that a 400 names the field: Docker's
 * {@code HostConfig.Dns}, {@code DnsSearch}, {@code DnsOptions}; libpod's {@code dns_server}, {@code dns_search},
 * {@code dns_option} and {@code use_image_resolve_conf} (podman's {@code --dns none}), in a container's spec or,
 * without the last, a pod's.
 */
final class DnsFields {
    private DnsFields() {
    }

    static ContainerDns docker(JsonNode hostConfig) {
        return checked(new ContainerDns(strings(hostConfig.get("Dns"), "HostConfig.Dns"),
                strings(hostConfig.get("DnsSearch"), "HostConfig.DnsSearch"),
                strings(hostConfig.get("DnsOptions"), "HostConfig.DnsOptions"), false),
                "HostConfig.Dns", "HostConfig.DnsSearch", "HostConfig.DnsOptions");
    }

    static ContainerDns libpod(JsonNode spec) {
        return checked(new ContainerDns(strings(spec.get("dns_server"), "dns_server"),
                strings(spec.get("dns_search"), "dns_search"), strings(spec.get("dns_option"), "dns_option"),
                bool(spec, "", "use_image_resolve_conf")), "dns_server", "dns_search", "dns_option");
    }

    /** A pod's, for its infra container: podman's {@code pod create --dns none} is no_manage_resolv_conf, refused. */
    static ContainerDns pod(JsonNode spec) {
        return checked(new ContainerDns(strings(spec.get("dns_server"), "dns_server"),
                strings(spec.get("dns_search"), "dns_search"), strings(spec.get("dns_option"), "dns_option"), false),
                "dns_server", "dns_search", "dns_option");
    }

    private static ContainerDns checked(ContainerDns dns, String servers, String searches, String options) {
        String problem = dns.problem(servers, searches, options);
        if (problem != null) {
            throw ApiException.badRequest(problem);
        }
        return dns;
    }
}
