package io.jpod.network.cni.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jpod.api.Container;
import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;
import io.jpod.api.NetworkAttachment;
import io.jpod.spi.network.ContainerNetworking;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Containers on cni networks: runs a conflist's plugins per the CNI spec (ADD in order with each plugin's
 * result as the next one's {@code prevResult}, DEL in reverse with the cached result) and keeps each
 * attachment's result in the {@link ResultCache}, so that DEL works after a restart. A container's
 * networks get {@code eth0}, {@code eth1}... in the order its config names them.
 */
final class CniAttachments implements ContainerNetworking {
    private static final Logger LOG = LoggerFactory.getLogger(CniAttachments.class);

    private final ObjectMapper json;
    private final CniExec exec;
    private final CniDefinitions definitions;
    private final ResultCache cache;
    private final AddressConflicts conflicts;

    CniAttachments(ObjectMapper json, CniExec exec, CniDefinitions definitions, ResultCache cache) {
        this.json = json;
        this.exec = exec;
        this.definitions = definitions;
        this.cache = cache;
        this.conflicts = new AddressConflicts(cache);
    }

    @Override
    public Map<String, List<String>> setup(Container ctr, String netNsPath) {
        if (netNsPath == null || netNsPath.isBlank()) {
            throw new JpodException(ErrorCode.INVALID_ARG, "container " + ctr.id() + " has no network namespace"
                    + " to set up");
        }
        List<String> nets = networksOf(ctr);
        // Load every definition before running anything, so an unknown network changes nothing.
        List<ObjectNode> confs = new ArrayList<>();
        for (String net : nets) {
            confs.add(definitions.load(net));
        }
        HostPorts.checkFree(ctr.config().portMappings());
        conflicts.checkPortsFree(ctr);
        List<String> args = new ArrayList<>();
        for (String net : nets) {
            String a = CniArgs.of(net, ctr.config().networkOptions(net));
            conflicts.checkStaticIpFree(ctr.id(), net, CniArgs.ip(a));
            args.add(a);
        }
        Map<String, List<String>> addresses = new LinkedHashMap<>();
        List<Attachment> done = new ArrayList<>();
        try {
            for (int i = 0; i < nets.size(); i++) {
                // ports are published through the first network, as one DNAT per host port allows
                Attachment a = new Attachment(nets.get(i), "eth" + i, confs.get(i),
                        i == 0 ? Attachment.portMappings(json, ctr.config().portMappings()) : null, args.get(i));
                JsonNode result = add(ctr.id(), netNsPath, a);
                done.add(a);
                cache.write(ctr.id(), netNsPath, a, result);
                addresses.put(a.network(), ResultCache.addresses(result));
            }
        } catch (RuntimeException e) {
            for (int i = done.size() - 1; i >= 0; i--) {
                Attachment a = done.get(i);
                delAll(ctr.id(), netNsPath, a, cache.result(ctr.id(), a), a.plugins().size());
                cache.delete(ctr.id(), a);
            }
            throw e;
        }
        return addresses;
    }

    /** ADD through the list; on a failure, DEL of what was run (the failing plugin included) and throw. */
    private JsonNode add(String id, String netNs, Attachment a) {
        JsonNode prev = null;
        List<ObjectNode> plugins = a.plugins();
        for (int i = 0; i < plugins.size(); i++) {
            ObjectNode pluginConf = a.pluginConfig(plugins.get(i), prev);
            String newBridge = bridgeToBeMade(plugins.get(i));
            try {
                prev = exec.run("ADD", pluginConf, id, netNs, a.ifName(), a.network(), a.cniArgs());
            } catch (JpodException e) {
                LOG.warn("rolling back network {} of container {} after: {}", a.network(), id, e.getMessage());
                delAll(id, netNs, a, prev, i + 1);
                throw conflicts.staticIpTaken(id, a, e);
            } finally {
                if (newBridge != null) {
                    HostBridges.markMade(newBridge, Conflists.idOf(a.network()));
                }
            }
        }
        return prev == null ? json.createObjectNode() : prev;
    }

    /** The bridge a bridge plugin's ADD is about to make (it is not there yet), else null. */
    private static String bridgeToBeMade(ObjectNode plugin) {
        if (!"bridge".equals(plugin.path("type").asText())) {
            return null;
        }
        String bridge = plugin.path("bridge").asText("cni0");
        return HostBridges.validName(bridge) && !HostBridges.exists(bridge) ? bridge : null;
    }

    /** DEL of the first {@code count} plugins in reverse order; logs and goes on past failures. */
    private void delAll(String id, String netNs, Attachment a, JsonNode prevResult, int count) {
        String ns = netNs != null && Files.exists(Path.of(netNs)) ? netNs : "";
        List<ObjectNode> plugins = a.plugins();
        for (int i = Math.min(count, plugins.size()) - 1; i >= 0; i--) {
            try {
                exec.run("DEL", a.pluginConfig(plugins.get(i), prevResult), id, ns, a.ifName(), a.network(),
                        a.cniArgs());
            } catch (RuntimeException e) {
                LOG.warn("DEL of network {} for container {}: {}", a.network(), id, e.getMessage());
            }
        }
    }

    /**
     * CHECK (CNI 0.4.0 and later): runs every plugin of each network the container is attached to, in
     * order, with the cached result as {@code prevResult}.
     *
     * @throws JpodException naming the plugin that found the attachment broken, or the network with no
     *                       cached result
     */
    void check(Container ctr, String netNsPath) {
        List<String> nets = networksOf(ctr);
        for (int i = 0; i < nets.size(); i++) {
            String net = nets.get(i);
            String ifName = "eth" + i;
            JsonNode cached = cache.read(cache.file(net, ctr.id(), ifName));
            if (cached == null || !(cached.get("config") instanceof ObjectNode conf)) {
                throw new JpodException(ErrorCode.CTR_STATE_INVALID, "container " + ctr.id() + " is not attached"
                        + " to network " + net + ": no cached CNI result");
            }
            String version = conf.path("cniVersion").asText();
            if (version.startsWith("0.1.") || version.startsWith("0.2.") || version.startsWith("0.3.")) {
                continue; // CHECK came with 0.4.0
            }
            Attachment a = new Attachment(net, ifName, conf, ResultCache.runtimeConfig(cached),
                    ResultCache.cniArgs(cached));
            for (ObjectNode p : a.plugins()) {
                exec.run("CHECK", a.pluginConfig(p, cached.get("result")), ctr.id(), netNsPath, ifName, net,
                        a.cniArgs());
            }
        }
    }

    @Override
    public void teardown(Container ctr, String netNsPath) {
        Set<String> handled = new LinkedHashSet<>();
        List<String> nets = networksOf(ctr);
        for (int i = 0; i < nets.size(); i++) {
            String net = nets.get(i);
            String ifName = "eth" + i;
            handled.add(ResultCache.fileName(net, ctr.id(), ifName));
            teardownOne(ctr.id(), netNsPath, net, ifName, cache.file(net, ctr.id(), ifName));
        }
        // What the cache knows beyond the container's networks now (a network it was attached to before).
        teardownCached(ctr.id(), netNsPath, handled);
    }

    /**
     * Tears down every attachment the result cache holds for a container, but those in {@code skip}; with
     * no namespace path, the cached one. This is all that conmon's exit command has while the service is down.
     *
     * @return how many attachments were torn down
     */
    int teardownCached(String id, String netNsPath, Set<String> skip) {
        int n = 0;
        for (Path f : cache.filesOf(id)) {
            if (!skip.contains(f.getFileName().toString())) {
                JsonNode c = cache.read(f);
                if (c != null && c.hasNonNull("network") && c.hasNonNull("ifName")) {
                    teardownOne(id, netNsPath, c.get("network").asText(), c.get("ifName").asText(), f);
                    n++;
                }
            }
        }
        return n;
    }

    private void teardownOne(String id, String netNsPath, String net, String ifName, Path cacheFile) {
        JsonNode cached = Files.exists(cacheFile) ? cache.read(cacheFile) : null;
        ObjectNode conf = cached != null && cached.get("config") instanceof ObjectNode o ? o : null;
        if (conf == null) {
            try {
                conf = definitions.load(net);
            } catch (JpodException e) {
                LOG.warn("cannot tear down network {} of container {}: no cached result and {}", net, id,
                        e.getMessage());
                return;
            }
        }
        JsonNode result = cached != null && cached.get("result") instanceof ObjectNode r ? r : null;
        if (cached == null) {
            LOG.warn("no cached CNI result for network {} of container {}: DEL without prevResult", net, id);
        }
        Attachment a = new Attachment(net, ifName, conf, ResultCache.runtimeConfig(cached),
                ResultCache.cniArgs(cached));
        String ns = netNsPath == null || netNsPath.isBlank()
                ? (cached == null ? "" : cached.path("netns").asText("")) : netNsPath;
        delAll(id, ns, a, result, a.plugins().size());
        if (result != null) {
            for (ObjectNode p : a.plugins()) {
                if ("bridge".equals(p.path("type").asText()) && p.path("ipMasq").asBoolean()) {
                    IpMasq.teardown(conf.path("name").asText(net), id, result);
                }
            }
        }
        cache.delete(cacheFile);
    }

    @Override
    public synchronized List<String> connect(Container ctr, String netNsPath, String network) {
        ObjectNode conf = definitions.load(network);
        Map<String, String> ifNames = cache.interfacesOf(ctr.id());
        if (ifNames.containsKey(network)) {
            throw new JpodException(ErrorCode.INVALID_ARG, "container " + ctr.name() + " is already connected to "
                    + "network " + network);
        }
        int i = 0;
        while (ifNames.containsValue("eth" + i)) {
            i++;
        }
        String args = CniArgs.of(network, ctr.config().networkOptions(network));
        conflicts.checkStaticIpFree(ctr.id(), network, CniArgs.ip(args));
        Attachment a = new Attachment(network, "eth" + i, conf, null, args);
        JsonNode result = add(ctr.id(), netNsPath, a);
        cache.write(ctr.id(), netNsPath, a, result);
        return ResultCache.addresses(result);
    }

    @Override
    public synchronized void disconnect(Container ctr, String netNsPath, String network) {
        String ifName = cache.interfacesOf(ctr.id()).get(network);
        if (ifName != null) {
            teardownOne(ctr.id(), netNsPath, network, ifName, cache.file(network, ctr.id(), ifName));
        }
    }

    @Override
    public Map<String, List<String>> addresses(Container ctr) {
        return cache.addressesOf(ctr.id());
    }

    @Override
    public Map<String, NetworkAttachment> attachments(Container ctr) {
        return cache.attachmentsOf(ctr.id());
    }

    private List<String> networksOf(Container ctr) {
        List<String> nets = ctr.config().networks();
        return nets.isEmpty() ? List.of(definitions.defaultNetwork()) : nets;
    }
}
