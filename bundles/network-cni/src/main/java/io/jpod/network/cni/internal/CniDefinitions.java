package io.jpod.network.cni.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;
import io.jpod.api.Network;
import io.jpod.api.net.Ipv4Subnet;
import io.jpod.spi.network.NetworkDefinitions;
import io.jpod.util.internal.AtomicFiles;
import io.jpod.util.internal.FileTrees;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cni backend's networks: one conflist per network in {@code network_config_dir}
 * ({@code <name>.conflist}), as podman's CNI backend keeps them, and host-local's reservations of each
 * under {@code <tmp_dir>/cni/networks/<name>}.
 */
final class CniDefinitions implements NetworkDefinitions {
    static final String CONFLIST = ".conflist";
    static final String DEFAULT_BRIDGE = "jpod0";
    private static final Logger LOG = LoggerFactory.getLogger(CniDefinitions.class);
    private static final Pattern NETWORK_NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]*");

    private final ObjectMapper json;
    private final CniExec exec;
    private final Path configDir;
    private final Path ipamDataDir;
    private final String defaultNetwork;
    private final String defaultSubnet;

    /**
     * @param configDir      {@code network_config_dir}; null where there is none (conmon's exit command run
     *                       without it): then no network is defined
     * @param cniTmpDir      {@code <tmp_dir>/cni}
     * @param defaultNetwork {@code default_network}, "jpod" when blank
     * @param defaultSubnet  {@code default_subnet}, 10.90.0.0/16 when blank
     */
    CniDefinitions(ObjectMapper json, CniExec exec, Path configDir, Path cniTmpDir, String defaultNetwork,
            String defaultSubnet) {
        this.json = json;
        this.exec = exec;
        this.configDir = configDir;
        this.ipamDataDir = cniTmpDir.resolve("networks");
        this.defaultNetwork = defaultNetwork == null || defaultNetwork.isBlank() ? "jpod" : defaultNetwork;
        this.defaultSubnet = defaultSubnet == null || defaultSubnet.isBlank() ? "10.90.0.0/16" : defaultSubnet;
    }

    /** Writes the default network's conflist if there is none, as podman does on first use. */
    void ensureDefaultNetwork() {
        Path file = conflistPath(defaultNetwork);
        if (Files.exists(file)) {
            return;
        }
        ObjectNode conf = Conflists.bridgeConflist(json, defaultNetwork, DEFAULT_BRIDGE, defaultSubnet, ipamDataDir);
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

    @Override
    public String defaultNetwork() {
        return defaultNetwork;
    }

    /** The names of the conflists there are, readable or not, sorted. */
    List<String> names() {
        List<String> names = new ArrayList<>();
        if (configDir == null || !Files.isDirectory(configDir)) {
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
    public List<Network> list() {
        List<Network> out = new ArrayList<>();
        for (String n : names()) {
            try {
                out.add(Conflists.read(n, load(n)));
            } catch (JpodException e) {
                LOG.warn("skipping network {}: {}", n, e.getMessage());
            }
        }
        return out;
    }

    @Override
    public Network inspect(String nameOrId) {
        if (nameOrId != null && NETWORK_NAME.matcher(nameOrId).matches() && Files.exists(conflistPath(nameOrId))) {
            return Conflists.read(nameOrId, load(nameOrId));
        }
        List<String> byId = names().stream().filter(n -> nameOrId != null && !nameOrId.isEmpty()
                && Conflists.idOf(n).startsWith(nameOrId)).toList();
        if (byId.size() == 1) {
            return Conflists.read(byId.get(0), load(byId.get(0)));
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
            if (!Conflists.OPTIONS.contains(k)) {
                throw new JpodException(ErrorCode.INVALID_ARG, "unsupported network option " + k + ": jpod takes "
                        + Conflists.OPTIONS);
            }
        }
        if (spec.options().containsKey("mtu") && !spec.options().get("mtu").matches("\\d{3,5}")) {
            throw new JpodException(ErrorCode.INVALID_ARG, "mtu " + spec.options().get("mtu") + " is not a number");
        }
        String iface;
        switch (spec.driver()) {
            case "bridge" -> {
                iface = spec.networkInterface() != null && !spec.networkInterface().isEmpty()
                        ? HostBridges.requireValidName(spec.networkInterface(), "bridge name")
                        : freeName("jpod", existing.stream().map(Network::networkInterface).toList(), 1);
                if (existing.stream().anyMatch(n -> n.networkInterface().equals(iface))) {
                    throw new JpodException(ErrorCode.INVALID_ARG, "bridge " + iface + " is already used by another "
                            + "network");
                }
                // the host's own (docker0, eth0, a bridge of the operator's): jpod neither joins nor removes it
                if (HostBridges.exists(iface)) {
                    throw new JpodException(ErrorCode.INVALID_ARG, "bridge " + iface + " already exists on the host and"
                            + " no jpod network uses it: give another bridge name (network_interface), or none to have"
                            + " one picked");
                }
            }
            case "macvlan" -> {
                exec.require("macvlan", netName);
                iface = spec.options().getOrDefault("parent", spec.networkInterface());
                if (iface != null && !iface.isEmpty()) {
                    HostBridges.requireValidName(iface, "macvlan parent");
                }
                if (iface == null || iface.isEmpty() || !HostBridges.exists(iface)) {
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
            subnets.add(Conflists.checkSubnet(new Network.Subnet(freeSubnet(taken), null, null), taken));
        } else {
            for (Network.Subnet s : spec.subnets()) {
                Network.Subnet checked = Conflists.checkSubnet(s, taken);
                taken.put(netName, List.of(checked.subnet()));
                subnets.add(checked);
            }
        }
        Network n = new Network(netName, Conflists.idOf(netName), spec.driver(), iface, Instant.now(), subnets,
                spec.internal(), spec.labels(), spec.options());
        ObjectNode conf = Conflists.conflist(json, n, ipamDataDir);
        try {
            Files.createDirectories(configDir);
            AtomicFiles.write(conflistPath(netName), json.writerWithDefaultPrettyPrinter().writeValueAsBytes(conf));
        } catch (IOException e) {
            throw new JpodException(ErrorCode.INTERNAL, "cannot write the network definition " + conflistPath(netName)
                    + ": " + e.getMessage(), e);
        }
        LOG.info("created network {} ({} {}, {})", netName, spec.driver(), iface, subnets);
        return Conflists.read(netName, conf);
    }

    private static String freeName(String prefix, List<String> used, int from) {
        for (int i = from;; i++) {
            String candidate = prefix + i;
            if (!used.contains(candidate) && !HostBridges.exists(candidate)) {
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
                        .noneMatch(t -> Conflists.subnet(t).overlaps(s));
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
            FileTrees.delete(ipamDataDir.resolve(n.name()));
        } catch (IOException e) {
            throw new JpodException(ErrorCode.INTERNAL, "cannot remove network " + n.name() + ": " + e.getMessage(), e);
        }
        if (n.driver().equals("bridge")) {
            // the bridge plugin makes the bridge and never removes it; podman removes it with the network
            HostBridges.removeMadeFor(n.networkInterface(), n.name(), n.id());
        }
        LOG.info("removed network {}", n.name());
    }

    /** The file of a network's conflist; INVALID_ARG for a name that cannot be one. */
    Path conflistPath(String network) {
        if (network == null || !NETWORK_NAME.matcher(network).matches()) {
            throw new JpodException(ErrorCode.INVALID_ARG, "invalid network name \"" + network + "\": use letters,"
                    + " digits, '_', '.' and '-'");
        }
        if (configDir == null) {
            throw JpodException.of(ErrorCode.NO_SUCH_NETWORK, "unable to find network with name or ID " + network
                    + ": no network_config_dir");
        }
        return configDir.resolve(network + CONFLIST);
    }

    /** A network's conflist; NO_SUCH_NETWORK when there is none, CONFIG_INVALID when it is not one. */
    ObjectNode load(String network) {
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
}
