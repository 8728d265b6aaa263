package io.jpod.network.cni.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jpod.api.Container;
import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;
import io.jpod.api.Network;
import io.jpod.api.NetworkAttachment;
import io.jpod.api.PortMapping;
import io.jpod.api.net.Ipv4Subnet;
import io.jpod.spi.network.NetworkBackend;
import io.jpod.util.internal.AtomicFiles;
import io.jpod.util.internal.FileTrees;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a conflist's plugins per the CNI spec (ADD in order with each plugin's result as the next one's
 * {@code prevResult}, DEL in reverse with the cached result) and caches the results under
 * {@code <tmp_dir>/cni/results} so that DEL works after a restart.
 */
final class CniNetworkBackend implements NetworkBackend {
    static final String CONFLIST = ".conflist";
    static final String DEFAULT_BRIDGE = "jpod0";
    private static final Logger LOG = LoggerFactory.getLogger(CniNetworkBackend.class);
    private static final Pattern NETWORK_NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]*");

    private final ObjectMapper json = new ObjectMapper();
    private final String name;
    private final CniExec exec;
    private final Path configDir;
    private final Path cniTmpDir;
    private final String defaultNetwork;
    private final String defaultSubnet;

    CniNetworkBackend(String name, List<Path> pluginDirs, Path configDir, Path cniTmpDir, String defaultNetwork,
            String defaultSubnet) {
        this.name = name;
        this.exec = new CniExec(json, pluginDirs);
        this.configDir = configDir;
        this.cniTmpDir = cniTmpDir;
        this.defaultNetwork = defaultNetwork == null || defaultNetwork.isBlank() ? "jpod" : defaultNetwork;
        this.defaultSubnet = defaultSubnet == null || defaultSubnet.isBlank() ? "10.90.0.0/16" : defaultSubnet;
    }

    @Override
    public String name() {
        return name;
    }

    /** Writes the default network's conflist if there is none, as podman does on first use. */
    void ensureDefaultNetwork() {
        Path file = conflistPath(defaultNetwork);
        if (Files.exists(file)) {
            return;
        }
        ObjectNode conf = bridgeConflist(json, defaultNetwork, DEFAULT_BRIDGE, defaultSubnet,
                cniTmpDir.resolve("networks"));
        try {
            Files.createDirectories(configDir);
            AtomicFiles.write(file, json.writerWithDefaultPrettyPrinter().writeValueAsBytes(conf));
            LOG.info("wrote the default network {} ({}, bridge {}) to {}", defaultNetwork, defaultSubnet,
                    DEFAULT_BRIDGE, file);
        } catch (IOException e) {
            throw new JpodException(ErrorCode.CONFIG_INVALID, "cannot write the default network's definition "
                    + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * A bridge network's conflist as podman writes it: bridge with host-local IPAM (gateway the subnet's
     * first host, default route), portmap, firewall and tuning.
     */
    static ObjectNode bridgeConflist(ObjectMapper json, String network, String bridge, String subnet,
            Path ipamDataDir) {
        Ipv4Subnet s = NetworkDefinitions.subnet(subnet);
        if (s.prefixLength() > 30) {
            throw new JpodException(ErrorCode.INVALID_ARG, "subnet " + subnet + " is too small for a bridge network:"
                    + " give a prefix length of 30 or less");
        }
        Network n = new Network(network, NetworkDefinitions.idOf(network), "bridge", bridge, null,
                List.of(new Network.Subnet(s.toString(), s.gateway().toString(), null)), false, Map.of(), Map.of());
        return NetworkDefinitions.conflist(json, n, ipamDataDir);
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
            confs.add(loadConflist(net));
        }
        HostPorts.checkFree(ctr.config().portMappings());
        checkNotPublished(ctr);
        List<String> args = new ArrayList<>();
        for (String net : nets) {
            String a = CniArgs.of(net, ctr.config().networkOptions(net));
            checkStaticIpFree(ctr.id(), net, CniArgs.ip(a));
            args.add(a);
        }
        Map<String, List<String>> addresses = new LinkedHashMap<>();
        List<Attachment> done = new ArrayList<>();
        try {
            for (int i = 0; i < nets.size(); i++) {
                // ports are published through the first network, as one DNAT per host port allows
                Attachment a = new Attachment(nets.get(i), "eth" + i, confs.get(i),
                        i == 0 ? portMappings(ctr.config().portMappings()) : null, args.get(i));
                JsonNode result = add(ctr.id(), netNsPath, a);
                done.add(a);
                writeCache(ctr.id(), netNsPath, a, result);
                addresses.put(a.network(), addressesOf(result));
            }
        } catch (RuntimeException e) {
            for (int i = done.size() - 1; i >= 0; i--) {
                Attachment a = done.get(i);
                delAll(ctr.id(), netNsPath, a, readCachedResult(ctr.id(), a), a.plugins().size());
                deleteCache(ctr.id(), a);
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
            try {
                prev = exec.run("ADD", pluginConf, id, netNs, a.ifName(), a.network(), a.cniArgs());
            } catch (JpodException e) {
                LOG.warn("rolling back network {} of container {} after: {}", a.network(), id, e.getMessage());
                delAll(id, netNs, a, prev, i + 1);
                throw staticIpTaken(id, a, e);
            }
        }
        return prev == null ? json.createObjectNode() : prev;
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
            JsonNode cache = readJson(cacheFile(net, ctr.id(), ifName));
            if (cache == null || !(cache.get("config") instanceof ObjectNode conf)) {
                throw new JpodException(ErrorCode.CTR_STATE_INVALID, "container " + ctr.id() + " is not attached"
                        + " to network " + net + ": no cached CNI result");
            }
            String version = conf.path("cniVersion").asText();
            if (version.startsWith("0.1.") || version.startsWith("0.2.") || version.startsWith("0.3.")) {
                continue; // CHECK came with 0.4.0
            }
            Attachment a = new Attachment(net, ifName, conf, runtimeConfigOf(cache), cniArgsOf(cache));
            for (ObjectNode p : a.plugins()) {
                exec.run("CHECK", a.pluginConfig(p, cache.get("result")), ctr.id(), netNsPath, ifName, net,
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
            handled.add(cacheFileName(net, ctr.id(), ifName));
            teardownOne(ctr.id(), netNsPath, net, ifName, cacheFile(net, ctr.id(), ifName));
        }
        // What the cache knows beyond the container's networks now (a network it was attached to before).
        teardownCached(ctr.id(), netNsPath, handled);
    }

    /**
     * Tears down every attachment the result cache holds for a container, but those in {@code skip}; with
     * no namespace path, the cached one. This is all that conmon's exit command has while the service is down.
     */
    void teardownCached(String id, String netNsPath, Set<String> skip) {
        Path dir = cniTmpDir.resolve("results");
        if (Files.isDirectory(dir)) {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*-" + id + "-*.json")) {
                for (Path f : ds) {
                    if (!skip.contains(f.getFileName().toString())) {
                        JsonNode c = readJson(f);
                        if (c != null && c.hasNonNull("network") && c.hasNonNull("ifName")) {
                            teardownOne(id, netNsPath, c.get("network").asText(), c.get("ifName").asText(), f);
                        }
                    }
                }
            } catch (IOException e) {
                LOG.warn("cannot list the CNI cache {}: {}", dir, e.getMessage());
            }
        }
    }

    private void teardownOne(String id, String netNsPath, String net, String ifName, Path cacheFile) {
        JsonNode cache = Files.exists(cacheFile) ? readJson(cacheFile) : null;
        ObjectNode conf = cache != null && cache.get("config") instanceof ObjectNode o ? o : null;
        if (conf == null) {
            try {
                conf = loadConflist(net);
            } catch (JpodException e) {
                LOG.warn("cannot tear down network {} of container {}: no cached result and {}", net, id,
                        e.getMessage());
                return;
            }
        }
        JsonNode result = cache != null && cache.get("result") instanceof ObjectNode r ? r : null;
        if (cache == null) {
            LOG.warn("no cached CNI result for network {} of container {}: DEL without prevResult", net, id);
        }
        Attachment a = new Attachment(net, ifName, conf, runtimeConfigOf(cache), cniArgsOf(cache));
        String ns = netNsPath == null || netNsPath.isBlank() ? (cache == null ? "" : cache.path("netns").asText(""))
                : netNsPath;
        delAll(id, ns, a, result, a.plugins().size());
        if (result != null) {
            for (ObjectNode p : a.plugins()) {
                if ("bridge".equals(p.path("type").asText()) && p.path("ipMasq").asBoolean()) {
                    IpMasq.teardown(conf.path("name").asText(net), id, result);
                }
            }
        }
        try {
            Files.deleteIfExists(cacheFile);
        } catch (IOException e) {
            LOG.warn("cannot remove the CNI cache file {}: {}", cacheFile, e.getMessage());
        }
    }

    @Override
    public List<String> networks() {
        List<String> names = new ArrayList<>();
        if (!Files.isDirectory(configDir)) {
            return names;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(configDir, "*" + CONFLIST)) {
            for (Path f : ds) {
                String n = f.getFileName().toString();
                names.add(n.substring(0, n.length() - CONFLIST.length()));
            }
        } catch (IOException e) {
            throw new JpodException(ErrorCode.INTERNAL, "cannot list the networks in " + configDir + ": "
                    + e.getMessage(), e);
        }
        names.sort(null);
        return names;
    }

    @Override
    public synchronized List<String> connect(Container ctr, String netNsPath, String network) {
        ObjectNode conf = loadConflist(network);
        Map<String, String> ifNames = attachedInterfaces(ctr.id());
        if (ifNames.containsKey(network)) {
            throw new JpodException(ErrorCode.INVALID_ARG, "container " + ctr.name() + " is already connected to "
                    + "network " + network);
        }
        int i = 0;
        while (ifNames.containsValue("eth" + i)) {
            i++;
        }
        String args = CniArgs.of(network, ctr.config().networkOptions(network));
        checkStaticIpFree(ctr.id(), network, CniArgs.ip(args));
        Attachment a = new Attachment(network, "eth" + i, conf, null, args);
        JsonNode result = add(ctr.id(), netNsPath, a);
        writeCache(ctr.id(), netNsPath, a, result);
        return addressesOf(result);
    }

    @Override
    public synchronized void disconnect(Container ctr, String netNsPath, String network) {
        String ifName = attachedInterfaces(ctr.id()).get(network);
        if (ifName != null) {
            teardownOne(ctr.id(), netNsPath, network, ifName, cacheFile(network, ctr.id(), ifName));
        }
    }

    /** Per network the container is attached to now (by the cache), its interface. */
    private Map<String, String> attachedInterfaces(String id) {
        Map<String, String> out = new LinkedHashMap<>();
        Path dir = cniTmpDir.resolve("results");
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*-" + id + "-*.json")) {
            for (Path f : ds) {
                JsonNode c = readJson(f);
                if (c != null && c.hasNonNull("network") && c.hasNonNull("ifName")) {
                    out.put(c.get("network").asText(), c.get("ifName").asText());
                }
            }
        } catch (IOException e) {
            LOG.warn("cannot list the CNI cache {}: {}", dir, e.getMessage());
        }
        return out;
    }

    @Override
    public String defaultNetwork() {
        return defaultNetwork;
    }

    @Override
    public List<Network> list() {
        List<Network> out = new ArrayList<>();
        for (String n : networks()) {
            try {
                out.add(NetworkDefinitions.read(n, loadConflist(n)));
            } catch (JpodException e) {
                LOG.warn("skipping network {}: {}", n, e.getMessage());
            }
        }
        return out;
    }

    @Override
    public Network inspect(String nameOrId) {
        if (nameOrId != null && NETWORK_NAME.matcher(nameOrId).matches() && Files.exists(conflistPath(nameOrId))) {
            return NetworkDefinitions.read(nameOrId, loadConflist(nameOrId));
        }
        List<String> byId = networks().stream().filter(n -> nameOrId != null && !nameOrId.isEmpty()
                && NetworkDefinitions.idOf(n).startsWith(nameOrId)).toList();
        if (byId.size() == 1) {
            return NetworkDefinitions.read(byId.get(0), loadConflist(byId.get(0)));
        }
        if (byId.size() > 1) {
            throw new JpodException(ErrorCode.INVALID_ARG, "more than one network has an ID starting with " + nameOrId
                    + ": give more of it");
        }
        throw JpodException.of(ErrorCode.NO_SUCH_NETWORK, "unable to find network with name or ID " + nameOrId);
    }

    @Override
    public synchronized Network create(Network spec) {
        List<Network> existing = list();
        String netName = spec.name();
        if (netName == null || netName.isEmpty()) {
            netName = freeName("jpod", existing.stream().map(Network::name).toList(), 1);
        }
        conflistPath(netName);
        if (Files.exists(conflistPath(netName))) {
            throw new JpodException(ErrorCode.NETWORK_EXISTS, "network name " + netName + " already used: network "
                    + "already exists");
        }
        for (String k : spec.options().keySet()) {
            if (!NetworkDefinitions.OPTIONS.contains(k)) {
                throw new JpodException(ErrorCode.INVALID_ARG, "unsupported network option " + k + ": jpod takes "
                        + NetworkDefinitions.OPTIONS);
            }
        }
        if (spec.options().containsKey("mtu") && !spec.options().get("mtu").matches("\\d{3,5}")) {
            throw new JpodException(ErrorCode.INVALID_ARG, "mtu " + spec.options().get("mtu") + " is not a number");
        }
        String iface;
        switch (spec.driver()) {
            case "bridge" -> {
                iface = spec.networkInterface() != null && !spec.networkInterface().isEmpty()
                        ? spec.networkInterface()
                        : freeName("jpod", existing.stream().map(Network::networkInterface).toList(), 1);
                if (existing.stream().anyMatch(n -> n.networkInterface().equals(iface))) {
                    throw new JpodException(ErrorCode.INVALID_ARG, "bridge " + iface + " is already used by another "
                            + "network");
                }
            }
            case "macvlan" -> {
                exec.require("macvlan", netName);
                iface = spec.options().getOrDefault("parent", spec.networkInterface());
                if (iface == null || iface.isEmpty() || !Files.exists(Path.of("/sys/class/net", iface))) {
                    throw new JpodException(ErrorCode.INVALID_ARG, "macvlan needs an existing parent interface: "
                            + "give -o parent=<host interface>");
                }
            }
            default -> throw new JpodException(ErrorCode.INVALID_ARG, "unsupported network driver " + spec.driver()
                    + ": use bridge or macvlan");
        }
        Map<String, List<String>> taken = new LinkedHashMap<>();
        for (Network n : existing) {
            taken.put(n.name(), n.subnets().stream().map(Network.Subnet::subnet).toList());
        }
        List<Network.Subnet> subnets = new ArrayList<>();
        if (spec.subnets().isEmpty()) {
            subnets.add(NetworkDefinitions.checkSubnet(new Network.Subnet(freeSubnet(taken), null, null), taken));
        } else {
            for (Network.Subnet s : spec.subnets()) {
                Network.Subnet checked = NetworkDefinitions.checkSubnet(s, taken);
                taken.put(netName, List.of(checked.subnet()));
                subnets.add(checked);
            }
        }
        Network n = new Network(netName, NetworkDefinitions.idOf(netName), spec.driver(), iface, java.time.Instant.now(),
                subnets, spec.internal(), spec.labels(), spec.options());
        ObjectNode conf = NetworkDefinitions.conflist(json, n, cniTmpDir.resolve("networks"));
        try {
            Files.createDirectories(configDir);
            AtomicFiles.write(conflistPath(netName), json.writerWithDefaultPrettyPrinter().writeValueAsBytes(conf));
        } catch (IOException e) {
            throw new JpodException(ErrorCode.INTERNAL, "cannot write the network definition " + conflistPath(netName)
                    + ": " + e.getMessage(), e);
        }
        LOG.info("created network {} ({} {}, {})", netName, spec.driver(), iface, subnets);
        return NetworkDefinitions.read(netName, conf);
    }

    private static String freeName(String prefix, List<String> used, int from) {
        for (int i = from;; i++) {
            String candidate = prefix + i;
            if (!used.contains(candidate) && !Files.exists(Path.of("/sys/class/net", candidate))) {
                return candidate;
            }
        }
    }

    /** The first 10.91.x.0/24 (then 10.92...) no network uses, as podman picks from 10.89. */
    private static String freeSubnet(Map<String, List<String>> taken) {
        for (int b = 91; b < 100; b++) {
            for (int c = 0; c < 256; c++) {
                String candidate = "10." + b + "." + c + ".0/24";
                Ipv4Subnet s = Ipv4Subnet.parse(candidate);
                boolean free = taken.values().stream().flatMap(List::stream)
                        .noneMatch(t -> NetworkDefinitions.subnet(t).overlaps(s));
                if (free) {
                    return candidate;
                }
            }
        }
        throw new JpodException(ErrorCode.INVALID_ARG, "no free subnet left in 10.91.0.0/16 to 10.99.0.0/16: give one");
    }

    @Override
    public synchronized void remove(String netName) {
        Network n = inspect(netName);
        if (n.name().equals(defaultNetwork)) {
            throw new JpodException(ErrorCode.INVALID_ARG, "the default network " + n.name() + " cannot be removed");
        }
        try {
            Files.deleteIfExists(conflistPath(n.name()));
            FileTrees.delete(cniTmpDir.resolve("networks").resolve(n.name()));
        } catch (IOException e) {
            throw new JpodException(ErrorCode.INTERNAL, "cannot remove network " + n.name() + ": " + e.getMessage(), e);
        }
        if (n.driver().equals("bridge") && Files.exists(Path.of("/sys/class/net", n.networkInterface()))) {
            // the bridge plugin makes the bridge and never removes it; podman removes it with the network
            IpMasq.deleteLink(n.networkInterface());
        }
        LOG.info("removed network {}", n.name());
    }

    @Override
    public Map<String, List<String>> addresses(Container ctr) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        Path dir = cniTmpDir.resolve("results");
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*-" + ctr.id() + "-*.json")) {
            List<Path> files = new ArrayList<>();
            ds.forEach(files::add);
            files.sort(null);
            for (Path f : files) {
                JsonNode c = readJson(f);
                if (c != null && c.hasNonNull("network")) {
                    out.put(c.get("network").asText(), addressesOf(c.path("result")));
                }
            }
        } catch (IOException e) {
            LOG.warn("cannot list the CNI cache {}: {}", dir, e.getMessage());
        }
        return out;
    }

    @Override
    public Map<String, NetworkAttachment> attachments(Container ctr) {
        Map<String, NetworkAttachment> out = new LinkedHashMap<>();
        Path dir = cniTmpDir.resolve("results");
        if (!Files.isDirectory(dir)) {
            return out;
        }
        List<JsonNode> caches = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*-" + ctr.id() + "-*.json")) {
            for (Path f : ds) {
                JsonNode c = readJson(f);
                if (c != null && c.hasNonNull("network")) {
                    caches.add(c);
                }
            }
        } catch (IOException e) {
            LOG.warn("cannot list the CNI cache {}: {}", dir, e.getMessage());
        }
        caches.sort(java.util.Comparator.comparing(c -> c.path("ifName").asText()));
        for (JsonNode c : caches) {
            out.put(c.get("network").asText(), attachmentOf(c));
        }
        return out;
    }

    /** What a cached result says of the container's interface: its addresses, gateway and MAC address. */
    static NetworkAttachment attachmentOf(JsonNode cache) {
        String ifName = cache.path("ifName").asText("");
        JsonNode result = cache.path("result");
        String mac = "";
        for (JsonNode i : result.path("interfaces")) {
            if (ifName.equals(i.path("name").asText()) && !i.path("sandbox").asText("").isEmpty()) {
                mac = i.path("mac").asText("");
            }
        }
        String gateway = result.path("ips").path(0).path("gateway").asText("");
        return new NetworkAttachment(cache.path("network").asText(), ifName, addressesOf(result), gateway, mac);
    }

    @Override
    public void close() {
        // Nothing held: every call runs the plugins and returns.
    }

    private List<String> networksOf(Container ctr) {
        List<String> nets = ctr.config().networks();
        return nets.isEmpty() ? List.of(defaultNetwork) : nets;
    }

    Path conflistPath(String network) {
        if (network == null || !NETWORK_NAME.matcher(network).matches()) {
            throw new JpodException(ErrorCode.INVALID_ARG, "invalid network name \"" + network + "\": use letters,"
                    + " digits, '_', '.' and '-'");
        }
        return configDir.resolve(network + CONFLIST);
    }

    private ObjectNode loadConflist(String network) {
        Path file = conflistPath(network);
        if (!Files.exists(file)) {
            throw JpodException.of(ErrorCode.NO_SUCH_NETWORK, "unable to find network with name or ID " + network);
        }
        JsonNode conf;
        try {
            conf = json.readTree(file.toFile());
        } catch (IOException e) {
            throw new JpodException(ErrorCode.CONFIG_INVALID, "network definition " + file + " is not valid JSON: "
                    + e.getMessage(), e);
        }
        if (!(conf instanceof ObjectNode o) || !conf.path("plugins").isArray() || conf.path("plugins").isEmpty()
                || !conf.path("cniVersion").isTextual()) {
            throw new JpodException(ErrorCode.CONFIG_INVALID, "network definition " + file + " is not a CNI"
                    + " conflist: it needs cniVersion and a non-empty plugins list");
        }
        return o;
    }

    private static List<String> addressesOf(JsonNode result) {
        List<String> out = new ArrayList<>();
        for (JsonNode ip : result.path("ips")) {
            if (ip.path("address").isTextual()) {
                out.add(ip.get("address").asText());
            }
        }
        return out;
    }

    private String cacheFileName(String network, String id, String ifName) {
        return network + "-" + id + "-" + ifName + ".json";
    }

    Path cacheFile(String network, String id, String ifName) {
        return cniTmpDir.resolve("results").resolve(cacheFileName(network, id, ifName));
    }

    private void writeCache(String id, String netNs, Attachment a, JsonNode result) {
        ObjectNode c = json.createObjectNode();
        c.put("kind", "cniCacheV1");
        c.put("containerId", id);
        c.put("network", a.network());
        c.put("ifName", a.ifName());
        c.put("netns", netNs);
        c.set("config", a.conf());
        if (a.runtimeConfig() != null) {
            c.set("runtimeConfig", a.runtimeConfig());
        }
        if (a.cniArgs() != null) {
            c.put("cniArgs", a.cniArgs());
        }
        c.set("result", result);
        Path f = cacheFile(a.network(), id, a.ifName());
        try {
            Files.createDirectories(f.getParent());
            AtomicFiles.write(f, json.writeValueAsBytes(c));
        } catch (IOException e) {
            throw new JpodException(ErrorCode.INTERNAL, "cannot cache the CNI result of network " + a.network()
                    + " in " + f + ": " + e.getMessage(), e);
        }
    }

    private JsonNode readCachedResult(String id, Attachment a) {
        JsonNode c = readJson(cacheFile(a.network(), id, a.ifName()));
        return c == null ? null : c.get("result");
    }

    private void deleteCache(String id, Attachment a) {
        try {
            Files.deleteIfExists(cacheFile(a.network(), id, a.ifName()));
        } catch (IOException e) {
            LOG.warn("cannot remove a CNI cache file: {}", e.getMessage());
        }
    }

    private JsonNode readJson(Path f) {
        try {
            return Files.exists(f) ? json.readTree(f.toFile()) : null;
        } catch (IOException e) {
            LOG.warn("unreadable CNI cache file {}: {}", f, e.getMessage());
            return null;
        }
    }

    /** portmap's DNAT does not bind the host port: two containers publishing one port are caught here. */
    private void checkNotPublished(Container ctr) {
        if (ctr.config().portMappings().isEmpty()) {
            return;
        }
        Path dir = cniTmpDir.resolve("results");
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.json")) {
            for (Path f : ds) {
                JsonNode c = readJson(f);
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
        } catch (IOException e) {
            LOG.warn("cannot list the CNI cache {}: {}", dir, e.getMessage());
        }
    }

    private static ObjectNode runtimeConfigOf(JsonNode cache) {
        return cache != null && cache.get("runtimeConfig") instanceof ObjectNode o ? o : null;
    }

    private static String cniArgsOf(JsonNode cache) {
        return cache != null && cache.path("cniArgs").isTextual() ? cache.get("cniArgs").asText() : null;
    }

    /** The container (12 digits of its ID) that holds {@code ip} on {@code network} by the cache, or null. */
    private String holderOf(String network, String ip, String exceptId) {
        Path dir = cniTmpDir.resolve("results");
        if (ip == null || !Files.isDirectory(dir)) {
            return null;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.json")) {
            for (Path f : ds) {
                JsonNode c = readJson(f);
                if (c == null || !network.equals(c.path("network").asText()) || exceptId.equals(c.path("containerId")
                        .asText())) {
                    continue;
                }
                for (String a : addressesOf(c.path("result"))) {
                    if (a.equals(ip) || a.startsWith(ip + "/")) {
                        String id = c.path("containerId").asText();
                        return id.length() > 12 ? id.substring(0, 12) : id;
                    }
                }
            }
        } catch (IOException e) {
            LOG.warn("cannot list the CNI cache {}: {}", dir, e.getMessage());
        }
        return null;
    }

    /** A static address another container holds is refused before any plugin runs. */
    private void checkStaticIpFree(String id, String network, String ip) {
        String holder = holderOf(network, ip, id);
        if (holder != null) {
            throw new JpodException(ErrorCode.INTERNAL, takenMessage(ip, network, holder));
        }
    }

    private static String takenMessage(String ip, String network, String holder) {
        return "requested static ip " + ip + " is already in use on network " + network
                + (holder == null ? "" : " by container " + holder) + ": choose another address";
    }

    /** host-local's refusal of a static address (held, or reserved and not released) in plain words. */
    private JpodException staticIpTaken(String id, Attachment a, JpodException e) {
        String ip = CniArgs.ip(a.cniArgs());
        if (ip == null || e.getMessage() == null
                || !e.getMessage().contains("requested IP address " + ip + " is not available")) {
            return e;
        }
        return new JpodException(ErrorCode.INTERNAL, takenMessage(ip, a.network(), holderOf(a.network(), ip, id)), e);
    }

    /** The CNI runtimeConfig of published ports: one entry per port, as the portmap plugin takes them. */
    private ObjectNode portMappings(List<PortMapping> mappings) {
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

    /** One network on one interface of a container, with the runtime's capability arguments. */
    private record Attachment(String network, String ifName, ObjectNode conf, ObjectNode runtimeConfig,
            String cniArgs) {
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
    }
}
