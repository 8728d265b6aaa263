package io.jpod.network.cni.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes the bridge plugin's masquerade rules when its DEL cannot: the plugin reads the addresses to
 * unmasquerade from the interface in the netns, so with the netns gone (a container that died while the
 * service was down) or the interface gone from it, it leaves them. Same chain and comment as the plugin's {@code ip.TeardownIPMasq}.
 */
final class IpMasq {
    private static final Logger LOG = LoggerFactory.getLogger(IpMasq.class);

    private IpMasq() {
    }

    /** The plugin's {@code utils.FormatChainName}: CNI- and the first 24 hex digits of sha512(name + id). */
    static String chainName(String network, String containerId) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-512")
                    .digest((network + containerId).getBytes(StandardCharsets.UTF_8));
            return ("CNI-" + HexFormat.of().formatHex(h)).substring(0, 28);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-512 is always available", e);
        }
    }

    static void teardown(String network, String containerId, JsonNode result) {
        String chain = chainName(network, containerId);
        String comment = "name: \"" + network + "\" id: \"" + containerId + "\"";
        for (JsonNode ip : result.path("ips")) {
            String addr = ip.path("address").asText("");
            if (addr.isEmpty()) {
                continue;
            }
            boolean v6 = addr.contains(":");
            String host = addr.substring(0, addr.indexOf('/') < 0 ? addr.length() : addr.indexOf('/'))
                    + (v6 ? "/128" : "/32");
            String tool = v6 ? "ip6tables" : "iptables";
            if (HostCommand.run(tool, "-w", "-t", "nat", "-n", "-L", chain) != 0) {
                continue; // the plugin's DEL removed it, as it does when the interface was still there
            }
            LOG.info("removing the masquerade chain {} of network {} for container {} that the bridge plugin left"
                    + " (its interface or netns was gone)", chain, network, containerId);
            HostCommand.run(tool, "-w", "-t", "nat", "-D", "POSTROUTING", "-s", host, "-m", "comment", "--comment", comment,
                    "-j", chain);
            HostCommand.run(tool, "-w", "-t", "nat", "-F", chain);
            HostCommand.run(tool, "-w", "-t", "nat", "-X", chain);
        }
    }
}
