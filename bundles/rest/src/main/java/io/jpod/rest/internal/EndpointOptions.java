package io.jpod.rest.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.jpod.api.PerNetworkOptions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Static addresses, MAC addresses and aliases from both API families: Docker's endpoint settings
 * ({@code IPAMConfig.IPv4Address}, {@code IPAddress}, {@code MacAddress}, {@code Aliases}) and libpod's
 * PerNetworkOptions ({@code static_ips}, {@code static_mac}, {@code aliases}). They are taken as given; the engine checks
 * them (a malformed one is INVALID_ARG, 400).
 */
final class EndpointOptions {
    private EndpointOptions() {
    }

    /** One Docker EndpointSettings object, as podman's compat handlers read it. */
    static PerNetworkOptions docker(JsonNode endpoint) {
        if (endpoint == null || !endpoint.isObject()) {
            return PerNetworkOptions.NONE;
        }
        List<String> ips = new ArrayList<>();
        addText(ips, endpoint.path("IPAMConfig").path("IPv4Address"));
        addText(ips, endpoint.path("IPAMConfig").path("IPv6Address"));
        addText(ips, endpoint.path("IPAddress"));
        String mac = endpoint.path("MacAddress").asText("");
        return new PerNetworkOptions(ips, mac, texts(endpoint.path("Aliases")));
    }

    /** libpod's PerNetworkOptions object (a SpecGenerator's Networks entry, or a connect body). */
    static PerNetworkOptions libpod(JsonNode opts) {
        if (opts == null || !opts.isObject()) {
            return PerNetworkOptions.NONE;
        }
        List<String> ips = new ArrayList<>();
        for (JsonNode ip : opts.path("static_ips")) {
            addText(ips, ip);
        }
        return new PerNetworkOptions(ips, opts.path("static_mac").asText(""), texts(opts.path("aliases")));
    }

    /** A JSON array's strings (the engine checks them); anything else is none. */
    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        for (JsonNode n : array) {
            addText(out, n);
        }
        return out;
    }

    /**
     * Docker create's per network options: {@code NetworkingConfig.EndpointsConfig}, keyed by the name
     * the client gave ({@code default}, {@code bridge} or a network), and the older top-level
     * {@code MacAddress} (API before 1.44) for {@code firstNetwork}.
     */
    static Map<String, PerNetworkOptions> dockerCreate(JsonNode body, String firstNetwork) {
        Map<String, PerNetworkOptions> out = new LinkedHashMap<>();
        body.path("NetworkingConfig").path("EndpointsConfig").fields()
                .forEachRemaining(e -> out.put(e.getKey(), docker(e.getValue())));
        String mac = body.path("MacAddress").asText("");
        if (!mac.isEmpty()) {
            PerNetworkOptions o = out.getOrDefault(firstNetwork, PerNetworkOptions.NONE);
            if (o.staticMac() == null) {
                out.put(firstNetwork, new PerNetworkOptions(o.staticIps(), mac, o.aliases()));
            }
        }
        return out;
    }

    private static void addText(List<String> to, JsonNode n) {
        String s = n.isTextual() ? n.asText().strip() : "";
        if (!s.isEmpty() && !to.contains(s)) {
            to.add(s);
        }
    }
}
