package io.jpod.network.cni.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;
import io.jpod.api.NetworkAttachment;
import io.jpod.util.internal.AtomicFiles;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CNI result cache, {@code <tmp_dir>/cni/results/<network>-<container ID>-<interface>.json}, one file per
 * attachment as libcni keeps it ({@code kind: cniCacheV1}): the container, network, interface, namespace,
 * the conflist and runtime arguments the plugins were given, and the result ADD gave. DEL runs from it,
 * after a restart too and from conmon's exit command; what a container is attached to is read from it.
 */
final class ResultCache {
    private static final Logger LOG = LoggerFactory.getLogger(ResultCache.class);

    private final ObjectMapper json;
    private final Path dir;

    /** @param cniTmpDir {@code <tmp_dir>/cni}, under which the cache lives in {@code results} */
    ResultCache(ObjectMapper json, Path cniTmpDir) {
        this.json = json;
        this.dir = cniTmpDir.resolve("results");
    }

    static String fileName(String network, String id, String ifName) {
        return network + "-" + id + "-" + ifName + ".json";
    }

    Path file(String network, String id, String ifName) {
        return dir.resolve(fileName(network, id, ifName));
    }

    /** Caches the result of ADD of one attachment, replacing the file at once. */
    void write(String id, String netNs, Attachment a, JsonNode result) {
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
        Path f = file(a.network(), id, a.ifName());
        try {
            Files.createDirectories(f.getParent());
            // no fsync: the namespace and veths it describes do not outlive a reboot either
            AtomicFiles.writeVolatile(f, json.writeValueAsBytes(c), null);
        } catch (IOException e) {
            throw new JpodException(ErrorCode.INTERNAL, "cannot cache the CNI result of network " + a.network()
                    + " in " + f + ": " + e.getMessage(), e);
        }
    }

    /** A cache file's content; null when it is not there or cannot be read (logged). */
    JsonNode read(Path f) {
        try {
            return Files.exists(f) ? json.readTree(f.toFile()) : null;
        } catch (IOException e) {
            LOG.warn("unreadable CNI cache file {}: {}", f, e.getMessage());
            return null;
        }
    }

    /** The cached result of ADD of one attachment, or null. */
    JsonNode result(String id, Attachment a) {
        JsonNode c = read(file(a.network(), id, a.ifName()));
        return c == null ? null : c.get("result");
    }

    void delete(String id, Attachment a) {
        try {
            Files.deleteIfExists(file(a.network(), id, a.ifName()));
        } catch (IOException e) {
            LOG.warn("cannot remove a CNI cache file: {}", e.getMessage());
        }
    }

    void delete(Path f) {
        try {
            Files.deleteIfExists(f);
        } catch (IOException e) {
            LOG.warn("cannot remove the CNI cache file {}: {}", f, e.getMessage());
        }
    }

    /** The cache files of one container (a full ID), by name; none when the cache is not there. */
    List<Path> filesOf(String id) {
        return list("*-" + id + "-*.json");
    }

    /** Every cache file, of all containers, by name. */
    List<Path> all() {
        return list("*.json");
    }

    private List<Path> list(String glob) {
        List<Path> files = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return files;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, glob)) {
            ds.forEach(files::add);
        } catch (IOException e) {
            LOG.warn("cannot list the CNI cache {}: {}", dir, e.getMessage());
        }
        files.sort(null);
        return files;
    }

    /** Per network the container is attached to now (by the cache), its interface. */
    Map<String, String> interfacesOf(String id) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Path f : filesOf(id)) {
            JsonNode c = read(f);
            if (c != null && c.hasNonNull("network") && c.hasNonNull("ifName")) {
                out.put(c.get("network").asText(), c.get("ifName").asText());
            }
        }
        return out;
    }

    /** Per network, the addresses (CIDR notation) the cache holds for the container. */
    Map<String, List<String>> addressesOf(String id) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (Path f : filesOf(id)) {
            JsonNode c = read(f);
            if (c != null && c.hasNonNull("network")) {
                out.put(c.get("network").asText(), addresses(c.path("result")));
            }
        }
        return out;
    }

    /** Per network, the container's interface as the cache has it, in the order of the interfaces' names. */
    Map<String, NetworkAttachment> attachmentsOf(String id) {
        List<JsonNode> caches = new ArrayList<>();
        for (Path f : filesOf(id)) {
            JsonNode c = read(f);
            if (c != null && c.hasNonNull("network")) {
                caches.add(c);
            }
        }
        caches.sort(Comparator.comparing(c -> c.path("ifName").asText()));
        Map<String, NetworkAttachment> out = new LinkedHashMap<>();
        for (JsonNode c : caches) {
            out.put(c.get("network").asText(), attachment(c));
        }
        return out;
    }

    /** What a cached result says of the container's interface: its addresses, gateway and MAC address. */
    static NetworkAttachment attachment(JsonNode cache) {
        String ifName = cache.path("ifName").asText("");
        JsonNode result = cache.path("result");
        String mac = "";
        for (JsonNode i : result.path("interfaces")) {
            if (ifName.equals(i.path("name").asText()) && !i.path("sandbox").asText("").isEmpty()) {
                mac = i.path("mac").asText("");
            }
        }
        String gateway = result.path("ips").path(0).path("gateway").asText("");
        return new NetworkAttachment(cache.path("network").asText(), ifName, addresses(result), gateway, mac);
    }

    /** The addresses (CIDR notation) of a CNI result. */
    static List<String> addresses(JsonNode result) {
        List<String> out = new ArrayList<>();
        for (JsonNode ip : result.path("ips")) {
            if (ip.path("address").isTextual()) {
                out.add(ip.get("address").asText());
            }
        }
        return out;
    }

    /** The runtime arguments a cache entry was made with, or null. */
    static ObjectNode runtimeConfig(JsonNode cache) {
        return cache != null && cache.get("runtimeConfig") instanceof ObjectNode o ? o : null;
    }

    /** The {@code CNI_ARGS} a cache entry was made with, or null. */
    static String cniArgs(JsonNode cache) {
        return cache != null && cache.path("cniArgs").isTextual() ? cache.get("cniArgs").asText() : null;
    }
}
