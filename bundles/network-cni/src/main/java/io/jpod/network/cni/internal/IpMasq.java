package io.jpod.network.cni.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.jpod.util.internal.HelperProcess;
import io.jpod.util.internal.HelperTimeoutException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes the bridge plugin's masquerade rules when its DEL cannot: the plugin reads the addresses to
 * unmasquerade from the interface in the netns, so with the netns gone (a container that died while the
 * service was down) or the interface gone from it, it leaves them. Same chain and comment as the plugin's {@code ip.TeardownIPMasq}.
 */
final class IpMasq {
    private static final Logger LOG = LoggerFactory.getLogger(IpMasq.class);

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

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
            if (run(tool, "-w", "-t", "nat", "-n", "-L", chain) != 0) {
                continue; // the plugin's DEL removed it, as it does when the interface was still there
            }
            LOG.info("removing the masquerade chain {} of network {} for container {} that the bridge plugin left"
                    + " (its interface or netns was gone)", chain, network, containerId);
            run(tool, "-w", "-t", "nat", "-D", "POSTROUTING", "-s", host, "-m", "comment", "--comment", comment,
                    "-j", chain);
            run(tool, "-w", "-t", "nat", "-F", chain);
            run(tool, "-w", "-t", "nat", "-X", chain);
        }
    }

    /** Deletes a network interface of the host (a bridge its network no longer needs). */
    static void deleteLink(String name) {
        if (run("ip", "link", "del", name) != 0) {
            LOG.warn("cannot delete the interface {}", name);
        }
    }

    private static int run(String... cmd) {
        try {
            HelperProcess.Result r = HelperProcess.of(cmd).mergeErrors().timeout(TIMEOUT).run();
            if (!r.ok()) {
                LOG.debug("{}: {}", r.command(), r.out());
            }
            return r.exitCode();
        } catch (HelperTimeoutException e) {
            LOG.warn("{}", e.getMessage());
            return -1;
        } catch (InterruptedIOException e) {
            return -1;
        } catch (IOException e) {
            LOG.warn("cannot run {}: {}", List.of(cmd), e.getMessage());
            return -1;
        }
    }
}
