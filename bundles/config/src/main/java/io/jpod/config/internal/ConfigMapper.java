package io.jpod.config.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jpod.api.config.ContainersConfig;
import io.jpod.api.config.EngineConfig;
import io.jpod.api.config.JpodConfig;
import io.jpod.api.config.NetworkConfig;
import io.jpod.api.config.StorageConfig;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Pattern;

import static io.jpod.config.internal.Schema.CONTAINERS;
import static io.jpod.config.internal.Schema.ENGINE;
import static io.jpod.config.internal.Schema.NETWORK;
import static io.jpod.config.internal.Schema.STORAGE;

/**
 * Maps the merged tree to the records of {@code io.jpod.api.config}, checking each value's type and
 * range. A wrong value is recorded in {@link Problems} and replaced by its default, so that one pass
 * finds every problem.
 */
final class ConfigMapper {

    static final int MAX_LOCKS = 1_048_576;
    /** conmon's read buffer: a positive log_size_max below it cannot be honoured (as podman checks). */
    static final long MIN_LOG_SIZE = 8192;

    private static final Pattern UMASK = Pattern.compile("[0-7]{1,4}");
    private static final Pattern CIDR = Pattern.compile("[0-9A-Fa-f:.]+/(\\d{1,3})");

    /** A conversion of one value: returns it, or calls the consumer with what was expected and returns null. */
    private interface Conversion<T> {
        T convert(JsonNode node, String key, Consumer<String> reject);
    }

    private final ObjectNode merged;
    private final ObjectNode defaults;
    private final Problems problems;

    ConfigMapper(ObjectNode merged, ObjectNode defaults, Problems problems) {
        this.merged = merged;
        this.defaults = defaults;
        this.problems = problems;
    }

    JpodConfig map() {
        return new JpodConfig(containers(), engine(), network(), storage());
    }

    private ContainersConfig containers() {
        String s = CONTAINERS;
        return new ContainersConfig(
                get(s, "default_capabilities", ConfigMapper::strings),
                get(s, "default_sysctls", ConfigMapper::strings),
                get(s, "default_ulimits", ConfigMapper::strings),
                get(s, "env", ConfigMapper::strings),
                get(s, "log_driver", ConfigMapper::string),
                get(s, "log_size_max", (n, k, r) -> {
                    Long v = integer(n, k, r, Long.MIN_VALUE, Long.MAX_VALUE);
                    if (v != null && v >= 0 && v < MIN_LOG_SIZE) {
                        r.accept(k + " must be negative (no limit) or at least " + MIN_LOG_SIZE
                                + " bytes (conmon's read buffer)");
                        return null;
                    }
                    return v;
                }),
                get(s, "pids_limit", (n, k, r) -> integer(n, k, r, Long.MIN_VALUE, Long.MAX_VALUE)),
                get(s, "shm_size", ConfigMapper::string),
                get(s, "seccomp_profile", ConfigMapper::string),
                get(s, "tz", ConfigMapper::string),
                get(s, "umask", (n, k, r) -> {
                    String v = string(n, k, r);
                    if (v != null && !UMASK.matcher(v).matches()) {
                        r.accept(k + " must be an octal mode such as \"0022\"");
                        return null;
                    }
                    return v;
                }),
                get(s, "init", ConfigMapper::bool),
                get(s, "annotations", ConfigMapper::strings));
    }

    private EngineConfig engine() {
        String s = ENGINE;
        return new EngineConfig(
                get(s, "cgroup_manager", (n, k, r) -> {
                    String v = string(n, k, r);
                    if (v != null && !v.equals("cgroupfs") && !v.equals("systemd")) {
                        r.accept(k + " must be \"cgroupfs\" or \"systemd\"");
                        return null;
                    }
                    return v;
                }),
                get(s, "conmon_path", ConfigMapper::strings),
                get(s, "database_backend", ConfigMapper::providerName),
                get(s, "events_logger", ConfigMapper::providerName),
                get(s, "events_logfile_path", (n, k, r) -> {
                    String v = string(n, k, r);
                    if (v != null && !v.isEmpty() && !v.startsWith("/")) {
                        r.accept(k + " must be an absolute path (or empty for <tmp_dir>/events/events.log)");
                        return null;
                    }
                    return v;
                }),
                get(s, "events_logfile_max_size", ConfigMapper::size),
                get(s, "lock_type", ConfigMapper::providerName),
                get(s, "num_locks", (n, k, r) -> {
                    Long v = integer(n, k, r, 1, MAX_LOCKS);
                    return v == null ? null : v.intValue();
                }),
                get(s, "namespace", ConfigMapper::string),
                get(s, "runtime", ConfigMapper::string),
                get(s, "runtimes", this::runtimes),
                get(s, "static_dir", ConfigMapper::absolutePath),
                get(s, "tmp_dir", ConfigMapper::absolutePath),
                get(s, "volume_path", ConfigMapper::absolutePath),
                get(s, "stop_timeout", ConfigMapper::seconds),
                get(s, "exit_command_delay", ConfigMapper::seconds),
                get(s, "no_pivot_root", ConfigMapper::bool),
                get(s, "detach_keys", ConfigMapper::string),
                get(s, "infra_image", ConfigMapper::string),
                get(s, "service_timeout", ConfigMapper::seconds));
    }

    private NetworkConfig network() {
        String s = NETWORK;
        return new NetworkConfig(
                get(s, "network_backend", ConfigMapper::string),
                get(s, "cni_plugin_dirs", ConfigMapper::strings),
                get(s, "network_config_dir", ConfigMapper::string),
                get(s, "default_network", ConfigMapper::string),
                get(s, "default_subnet", ConfigMapper::string),
                get(s, "default_subnet_pools", this::subnetPools));
    }

    private StorageConfig storage() {
        String s = STORAGE;
        return new StorageConfig(
                get(s, "driver", ConfigMapper::string),
                get(s, "graphroot", ConfigMapper::absolutePath),
                get(s, "runroot", ConfigMapper::absolutePath),
                get(s, "options", this::storageOptions));
    }

    // ---- reading one key

    private ObjectNode section(String name) {
        JsonNode sec = merged.get(name);
        if (sec instanceof ObjectNode o) {
            return o;
        }
        if (sec != null && !sec.isMissingNode()) {
            problems.invalid(List.of(name), sec, name + " must be a table ([" + name + "])");
            merged.set(name, defaults.get(name).deepCopy());
        }
        return (ObjectNode) merged.get(name);
    }

    private <T> T get(String sectionName, String key, Conversion<T> conversion) {
        JsonNode node = section(sectionName).get(key);
        List<String> path = List.of(sectionName, key);
        if (node != null) {
            List<String> rejected = new ArrayList<>(1);
            T value = conversion.convert(node, key, rejected::add);
            if (value != null && rejected.isEmpty()) {
                return value;
            }
            for (String r : rejected) {
                problems.invalid(path, node, r);
            }
        }
        JsonNode def = defaults.get(sectionName).get(key);
        if (def == null) {
            throw new IllegalStateException("no built-in default for " + Problems.keyPath(path));
        }
        return conversion.convert(def, key, r -> {
            throw new IllegalStateException("built-in default of " + Problems.keyPath(path) + " is invalid: " + r);
        });
    }

    // ---- conversions

    private static String string(JsonNode n, String key, Consumer<String> reject) {
        if (!n.isTextual()) {
            reject.accept(key + " must be a string");
            return null;
        }
        return n.textValue();
    }

    private static String providerName(JsonNode n, String key, Consumer<String> reject) {
        String v = string(n, key, reject);
        if (v != null && v.isBlank()) {
            reject.accept(key + " must not be empty: it names the provider to use");
            return null;
        }
        return v;
    }

    private static String absolutePath(JsonNode n, String key, Consumer<String> reject) {
        String v = string(n, key, reject);
        if (v != null && !v.startsWith("/")) {
            reject.accept(key + " must be an absolute path");
            return null;
        }
        return v;
    }

    private static Boolean bool(JsonNode n, String key, Consumer<String> reject) {
        if (!n.isBoolean()) {
            reject.accept(key + " must be true or false");
            return null;
        }
        return n.booleanValue();
    }

    private static Long integer(JsonNode n, String key, Consumer<String> reject, long min, long max) {
        if (!n.isIntegralNumber()) {
            reject.accept(key + " must be an integer");
            return null;
        }
        if (!n.canConvertToLong() || n.longValue() < min || n.longValue() > max) {
            if (min == Long.MIN_VALUE && max == Long.MAX_VALUE) {
                reject.accept(key + " is too large");
            } else if (max == Long.MAX_VALUE) {
                reject.accept(key + " must be " + min + " or more");
            } else {
                reject.accept(key + " must be between " + min + " and " + max);
            }
            return null;
        }
        return n.longValue();
    }

    private static Long seconds(JsonNode n, String key, Consumer<String> reject) {
        if (n.isIntegralNumber() && n.canConvertToLong() && n.longValue() < 0) {
            reject.accept(key + " must not be negative (it is a number of seconds)");
            return null;
        }
        return integer(n, key, reject, 0, Long.MAX_VALUE);
    }

    private static Long size(JsonNode n, String key, Consumer<String> reject) {
        String expected = key + " must be a size in bytes: an integer such as 1000000, or a string such as "
                + "\"1m\" or \"10MB\" (k, m, g: thousands, millions, billions)";
        if (n.isIntegralNumber()) {
            if (!n.canConvertToLong() || n.longValue() < 0) {
                reject.accept(key + " must not be negative (0 means no limit)");
                return null;
            }
            return n.longValue();
        }
        if (n.isTextual()) {
            long v = Sizes.parse(n.textValue());
            if (v < 0) {
                reject.accept(expected);
                return null;
            }
            return v;
        }
        reject.accept(expected);
        return null;
    }

    private static List<String> strings(JsonNode n, String key, Consumer<String> reject) {
        if (!n.isArray()) {
            reject.accept(key + " must be an array of strings");
            return null;
        }
        List<String> out = new ArrayList<>(n.size());
        for (JsonNode e : n) {
            if (!e.isTextual()) {
                reject.accept(key + " must be an array of strings (" + Problems.render(e) + " is not a string)");
                return null;
            }
            out.add(e.textValue());
        }
        return out;
    }

    private Map<String, List<String>> runtimes(JsonNode n, String key, Consumer<String> reject) {
        if (!n.isObject()) {
            reject.accept(key + " must be a table of runtime names and the paths where their binary may be, e.g. "
                    + "[engine.runtimes] runc = [\"/usr/bin/runc\"]");
            return null;
        }
        Map<String, List<String>> out = new LinkedHashMap<>();
        boolean ok = true;
        Iterator<Map.Entry<String, JsonNode>> it = n.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            List<String> paths = null;
            if (e.getValue().isArray()) {
                paths = new ArrayList<>();
                for (JsonNode p : e.getValue()) {
                    if (!p.isTextual()) {
                        paths = null;
                        break;
                    }
                    paths.add(p.textValue());
                }
            }
            if (paths == null) {
                problems.invalid(List.of(ENGINE, key, e.getKey()), e.getValue(), "each runtime in [engine.runtimes]"
                        + " must be an array of strings: the paths where its binary may be, e.g. "
                        + e.getKey() + " = [\"/usr/bin/" + e.getKey() + "\"]");
                ok = false;
            } else {
                out.put(e.getKey(), paths);
            }
        }
        return ok ? out : null; // each bad entry is recorded itself; the defaults stand in
    }

    private Map<String, String> storageOptions(JsonNode n, String key, Consumer<String> reject) {
        if (!n.isObject()) {
            reject.accept(key + " must be a table of driver options ([storage.options])");
            return null;
        }
        Map<String, String> out = new LinkedHashMap<>();
        return flatten((ObjectNode) n, new ArrayList<>(List.of(STORAGE, key)), "", out) ? out : null;
    }

    /** [storage.options.overlay] mount_program = "x" becomes "overlay.mount_program" = "x". */
    private boolean flatten(ObjectNode table, List<String> path, String prefix, Map<String, String> out) {
        boolean ok = true;
        Iterator<Map.Entry<String, JsonNode>> it = table.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            path.add(e.getKey());
            JsonNode v = e.getValue();
            if (v instanceof ObjectNode o) {
                ok &= flatten(o, path, prefix + e.getKey() + ".", out);
            } else if (v.isTextual()) {
                out.put(prefix + e.getKey(), v.textValue());
            } else {
                problems.invalid(List.copyOf(path), v, "storage options must be strings, e.g. "
                        + e.getKey() + " = \"...\"");
                ok = false;
            }
            path.remove(path.size() - 1);
        }
        return ok;
    }

    private List<String> subnetPools(JsonNode n, String key, Consumer<String> reject) {
        String expected = key + " must be an array of inline tables such as {base = \"10.91.0.0/16\", size = 24}";
        if (!n.isArray()) {
            reject.accept(expected);
            return null;
        }
        List<String> out = new ArrayList<>();
        for (JsonNode e : n) {
            JsonNode base = e.get("base");
            JsonNode size = e.get("size");
            if (!e.isObject() || base == null || !base.isTextual() || size == null || !size.isIntegralNumber()) {
                reject.accept(expected + " (" + Problems.render(e) + " is not)");
                return null;
            }
            var m = CIDR.matcher(base.textValue());
            if (!m.matches()) {
                reject.accept(key + ": base must be a subnet in CIDR notation such as \"10.91.0.0/16\" ("
                        + Problems.render(base) + " is not)");
                return null;
            }
            int prefix = Integer.parseInt(m.group(1));
            int max = base.textValue().contains(":") ? 128 : 32;
            if (!size.canConvertToInt() || size.intValue() < prefix || size.intValue() > max || prefix > max) {
                reject.accept(key + ": size must be a prefix length between the base's (" + prefix + ") and " + max
                        + " (" + size.asText() + " is not)");
                return null;
            }
            out.add(base.textValue() + "/" + size.intValue());
        }
        return out;
    }
}
