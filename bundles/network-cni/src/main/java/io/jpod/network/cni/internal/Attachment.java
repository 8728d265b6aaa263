package io.jpod.network.cni.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jpod.api.PortMapping;
import java.util.ArrayList;
import java.util.List;

/**
 * One network on one interface of a container, with the runtime's capability arguments: what each plugin
 * of the network's conflist is handed, as the CNI spec has the runtime build a plugin's config.
 *
 * @param network       the network's name
 * @param ifName        the container's interface on it ({@code eth0}, {@code eth1}...)
 * @param conf          the network's conflist
 * @param runtimeConfig the runtime's capability arguments (published ports), or null for none
 * @param cniArgs       {@code CNI_ARGS} ({@code K=V;K=V}: a static address, a MAC address), or null for none
 */
record Attachment(String network, String ifName, ObjectNode conf, ObjectNode runtimeConfig, String cniArgs) {

    /** The conflist's plugins, in order. */
    List<ObjectNode> plugins() {
        List<ObjectNode> out = new ArrayList<>();
        for (JsonNode p : conf.path("plugins")) {
            if (p instanceof ObjectNode o) {
                out.add(o);
            }
        }
        return out;
    }

    /** The plugin's config as the spec has the runtime hand it over: name, cniVersion, prevResult. */
    ObjectNode pluginConfig(ObjectNode plugin, JsonNode prevResult) {
        ObjectNode c = plugin.deepCopy();
        c.put("name", conf.path("name").asText(network));
        c.put("cniVersion", conf.path("cniVersion").asText());
        c.remove("runtimeConfig");
        if (runtimeConfig != null) {
            // only what the plugin declares among its capabilities
            ObjectNode rc = c.putObject("runtimeConfig");
            plugin.path("capabilities").fieldNames().forEachRemaining(cap -> {
                if (plugin.path("capabilities").path(cap).asBoolean() && runtimeConfig.has(cap)) {
                    rc.set(cap, runtimeConfig.get(cap));
                }
            });
            if (rc.isEmpty()) {
                c.remove("runtimeConfig");
            }
        }
        if (prevResult != null && !prevResult.isEmpty()) {
            c.set("prevResult", prevResult);
        } else {
            c.remove("prevResult");
        }
        return c;
    }

    /**
     * The CNI runtimeConfig of published ports: one entry per port, as the portmap plugin takes them; null
     * for none.
     */
    static ObjectNode portMappings(ObjectMapper json, List<PortMapping> mappings) {
        if (mappings.isEmpty()) {
            return null;
        }
        ObjectNode rc = json.createObjectNode();
        ArrayNode pm = rc.putArray("portMappings");
        for (PortMapping m : mappings) {
            for (int i = 0; i < m.range(); i++) {
                ObjectNode e = pm.addObject();
                e.put("hostPort", m.hostPort() + i);
                e.put("containerPort", m.containerPort() + i);
                e.put("protocol", m.protocol());
                if (!m.hostIp().isEmpty()) {
                    e.put("hostIP", m.hostIp());
                }
            }
        }
        return rc;
    }
}
