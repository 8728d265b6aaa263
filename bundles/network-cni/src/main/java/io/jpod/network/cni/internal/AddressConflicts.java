package io.jpod.network.cni.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.jpod.api.Container;
import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;
import io.jpod.api.PortMapping;
import java.nio.file.Path;

/**
 * What other containers hold, by the result cache, that a new attachment must not take: a static address
 * on the same network, and a published host port (portmap's DNAT does not bind the port, so nothing else
 * would catch two containers publishing one). Checked before any plugin runs; host-local's own refusal of
 * a static address is put in the same words.
 */
final class AddressConflicts {
    private final ResultCache cache;

    AddressConflicts(ResultCache cache) {
        this.cache = cache;
    }

    /** Refuses a host port another container publishes already (INVALID_ARG naming it and the container). */
    void checkPortsFree(Container ctr) {
        if (ctr.config().portMappings().isEmpty()) {
            return;
        }
        for (Path f : cache.all()) {
            JsonNode c = cache.read(f);
            if (c == null || ctr.id().equals(c.path("containerId").asText())) {
                continue;
            }
            for (JsonNode theirs : c.path("runtimeConfig").path("portMappings")) {
                for (PortMapping m : ctr.config().portMappings()) {
                    int port = theirs.path("hostPort").asInt();
                    String ip = theirs.path("hostIP").asText("");
                    boolean sameIp = ip.isEmpty() || m.hostIp().isEmpty() || ip.equals("0.0.0.0")
                            || m.hostIp().equals("0.0.0.0") || ip.equals(m.hostIp());
                    if (sameIp && m.protocol().equals(theirs.path("protocol").asText("tcp"))
                            && port >= m.hostPort() && port < m.hostPort() + m.range()) {
                        throw new JpodException(ErrorCode.INVALID_ARG, "host port " + port + "/" + m.protocol()
                                + " is already published by container " + c.path("containerId").asText()
                                .substring(0, 12) + ": publish on another port");
                    }
                }
            }
        }
    }

    /** Refuses a static address ({@code ip}, null for none) another container holds on {@code network}. */
    void checkStaticIpFree(String id, String network, String ip) {
        String holder = holderOf(network, ip, id);
        if (holder != null) {
            throw new JpodException(ErrorCode.INTERNAL, takenMessage(ip, network, holder));
        }
    }

    /**
     * host-local's refusal of a static address (held, or reserved and not released) in plain words;
     * {@code e} itself for any other failure.
     */
    JpodException staticIpTaken(String id, Attachment a, JpodException e) {
        String ip = CniArgs.ip(a.cniArgs());
        if (ip == null || e.getMessage() == null
                || !e.getMessage().contains("requested IP address " + ip + " is not available")) {
            return e;
        }
        return new JpodException(ErrorCode.INTERNAL, takenMessage(ip, a.network(), holderOf(a.network(), ip, id)), e);
    }

    /** The container (12 digits of its ID) that holds {@code ip} on {@code network} by the cache, or null. */
    private String holderOf(String network, String ip, String exceptId) {
        if (ip == null) {
            return null;
        }
        for (Path f : cache.all()) {
            JsonNode c = cache.read(f);
            if (c == null || !network.equals(c.path("network").asText()) || exceptId.equals(c.path("containerId")
                    .asText())) {
                continue;
            }
            for (String a : ResultCache.addresses(c.path("result"))) {
                if (a.equals(ip) || a.startsWith(ip + "/")) {
                    String id = c.path("containerId").asText();
                    return id.length() > 12 ? id.substring(0, 12) : id;
                }
            }
        }
        return null;
    }

    private static String takenMessage(String ip, String network, String holder) {
        return "requested static ip " + ip + " is already in use on network " + network
                + (holder == null ? "" : " by container " + holder) + ": choose another address";
    }
}
