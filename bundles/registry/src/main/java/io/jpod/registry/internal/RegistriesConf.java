package io.jpod.registry.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;
import io.jpod.api.registry.ImageReference;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * containers-registries.conf(5), version 2 (and the old v1 tables): which registries a short name may mean
 * ({@code unqualified-search-registries}, {@code [aliases]}, {@code short-name-mode}) and, per {@code [[registry]]}
 * prefix, where its images are fetched from ({@code location}, {@code [[registry.mirror]]} in order before it),
 * whether TLS is verified ({@code insecure}) and whether it is {@code blocked}. Files are merged in order as
 * containers-registries.conf.d(5) says: a later file replaces the search list and the mode when it sets them,
 * adds or replaces aliases one by one, and adds or replaces {@code [[registry]]} entries by prefix.
 */
public final class RegistriesConf {
    private static final TomlMapper TOML = new TomlMapper();

    /** {@code short-name-mode}. */
    public enum ShortNameMode { ENFORCING, PERMISSIVE, DISABLED }

    /** A {@code [[registry.mirror]]}. */
    public record Mirror(String location, boolean insecure) {
    }

    /** A {@code [[registry]]} entry; {@code prefix} defaults to {@code location}. */
    public record Entry(String prefix, String location, boolean insecure, boolean blocked, boolean mirrorByDigestOnly,
            List<Mirror> mirrors) {
        public Entry {
            mirrors = List.copyOf(mirrors);
        }
    }

    /**
     * Where one pull or push goes: {@code ref} rewritten to a mirror's or the registry's location.
     *
     * @param insecure plain HTTP or TLS without verification allowed (registries.conf, or a loopback address)
     * @param mirror   whether it is a mirror (a failure there falls back to the next source)
     */
    public record Source(ImageReference ref, boolean insecure, boolean mirror) {
    }

    private final List<String> search;
    private final Map<String, String> aliases;
    private final ShortNameMode mode;
    private final Map<String, Entry> registries;

    RegistriesConf(List<String> search, Map<String, String> aliases, ShortNameMode mode, Map<String, Entry> registries) {
        this.search = List.copyOf(search);
        this.aliases = Map.copyOf(aliases);
        this.mode = mode;
        this.registries = new LinkedHashMap<>(registries);
    }

    /** No configuration at all: no search registries, no aliases, permissive. */
    public static RegistriesConf empty() {
        return new RegistriesConf(List.of(), Map.of(), ShortNameMode.PERMISSIVE, Map.of());
    }

    public List<String> unqualifiedSearchRegistries() {
        return search;
    }

    public Map<String, String> aliases() {
        return aliases;
    }

    public ShortNameMode shortNameMode() {
        return mode;
    }

    public List<Entry> registries() {
        return List.copyOf(registries.values());
    }

    /**
     * The files to read, in order: {@code main} (when it exists), the {@code *.conf} of {@code dropIns} sorted by
     * name, then {@code override}.
     */
    public static List<Path> files(Path main, Path dropIns, Path override) {
        List<Path> files = new ArrayList<>();
        if (main != null && Files.isRegularFile(main)) {
            files.add(main);
        }
        if (dropIns != null && Files.isDirectory(dropIns)) {
            try (Stream<Path> s = Files.list(dropIns)) {
                s.filter(p -> p.getFileName().toString().endsWith(".conf") && Files.isRegularFile(p)).sorted()
                        .forEach(files::add);
            } catch (IOException e) {
                throw new JpodException(ErrorCode.CONFIG_INVALID, "cannot list " + dropIns + ": " + e.getMessage(), e);
            }
        }
        if (override != null) {
            if (!Files.isRegularFile(override)) {
                throw new JpodException(ErrorCode.CONFIG_INVALID, "registries.conf " + override + " does not exist");
            }
            files.add(override);
        }
        return files;
    }

    /** Reads and merges {@code files} in order; CONFIG_INVALID naming the file and the key that is wrong. */
    public static RegistriesConf load(List<Path> files) {
        List<String> search = new ArrayList<>();
        Map<String, String> aliases = new LinkedHashMap<>();
        ShortNameMode mode = ShortNameMode.PERMISSIVE;
        Map<String, Entry> registries = new LinkedHashMap<>();
        for (Path f : files) {
            JsonNode root;
            try {
                root = TOML.readTree(f.toFile());
            } catch (IOException e) {
                throw new JpodException(ErrorCode.CONFIG_INVALID, "registries.conf " + f + " is not valid TOML: "
                        + e.getMessage(), e);
            }
            if (root == null || root.isMissingNode() || root.isNull()) {
                continue;
            }
            if (root.has("unqualified-search-registries")) {
                search = strings(f, root.get("unqualified-search-registries"), "unqualified-search-registries");
                search.replaceAll(ReferenceParser::normaliseRegistry);
            }
            if (root.has("short-name-mode")) {
                String m = root.get("short-name-mode").asText("");
                mode = switch (m) {
                    case "enforcing" -> ShortNameMode.ENFORCING;
                    case "permissive" -> ShortNameMode.PERMISSIVE;
                    case "disabled" -> ShortNameMode.DISABLED;
                    default -> throw invalid(f, "short-name-mode \"" + m
                            + "\" is not one of enforcing, permissive, disabled");
                };
            }
            JsonNode al = root.get("aliases");
            if (al != null) {
                if (!al.isObject()) {
                    throw invalid(f, "[aliases] must be a table");
                }
                for (var it = al.fields(); it.hasNext();) {
                    var e = it.next();
                    String value = e.getValue().asText("");
                    if (!ReferenceParser.isQualifiedSafe(value)) {
                        throw invalid(f, "alias \"" + e.getKey() + "\" = \"" + value
                                + "\" must name a registry (e.g. docker.io/library/" + e.getKey() + ")");
                    }
                    aliases.put(e.getKey(), value);
                }
            }
            JsonNode regs = root.get("registry");
            if (regs != null) {
                if (!regs.isArray()) {
                    throw invalid(f, "registry must be an array of tables ([[registry]])");
                }
                for (JsonNode r : regs) {
                    Entry e = entry(f, r);
                    registries.remove(e.prefix());
                    registries.put(e.prefix(), e);
                }
            }
            JsonNode v1 = root.get("registries");
            if (v1 != null && v1.isObject()) {
                v1(f, v1, search, registries);
            }
        }
        return new RegistriesConf(search, aliases, mode, registries);
    }

    private static void v1(Path f, JsonNode v1, List<String> search, Map<String, Entry> registries) {
        JsonNode s = v1.path("search").get("registries");
        if (s != null) {
            search.clear();
            search.addAll(strings(f, s, "registries.search.registries"));
        }
        for (String kind : List.of("insecure", "block")) {
            JsonNode l = v1.path(kind).get("registries");
            if (l == null) {
                continue;
            }
            for (String host : strings(f, l, "registries." + kind + ".registries")) {
                Entry old = registries.get(host);
                boolean insecure = kind.equals("insecure") || old != null && old.insecure();
                boolean blocked = kind.equals("block") || old != null && old.blocked();
                registries.put(host, new Entry(host, host, insecure, blocked, false,
                        old == null ? List.of() : old.mirrors()));
            }
        }
    }

    private static Entry entry(Path f, JsonNode r) {
        String location = r.path("location").asText("");
        String prefix = r.path("prefix").asText("");
        if (prefix.isEmpty()) {
            prefix = location;
        }
        if (prefix.isEmpty()) {
            throw invalid(f, "a [[registry]] needs a location or a prefix");
        }
        if (prefix.startsWith("*.") && !location.isEmpty()) {
            throw invalid(f, "[[registry]] prefix \"" + prefix + "\" is a wildcard: it takes no location");
        }
        if (!prefix.startsWith("*.")) {
            prefix = normaliseName(prefix);
        }
        if (!location.isEmpty()) {
            location = normaliseName(location);
        }
        List<Mirror> mirrors = new ArrayList<>();
        JsonNode ms = r.get("mirror");
        if (ms != null) {
            if (!ms.isArray()) {
                throw invalid(f, "registry.mirror of \"" + prefix + "\" must be an array of tables ([[registry.mirror]])");
            }
            for (JsonNode m : ms) {
                String ml = m.path("location").asText("");
                if (ml.isEmpty()) {
                    throw invalid(f, "a [[registry.mirror]] of \"" + prefix + "\" has no location");
                }
                mirrors.add(new Mirror(normaliseName(ml), m.path("insecure").asBoolean(false)));
            }
        }
        return new Entry(prefix, location, r.path("insecure").asBoolean(false), r.path("blocked").asBoolean(false),
                r.path("mirror-by-digest-only").asBoolean(false), mirrors);
    }

    private static String normaliseName(String name) {
        int slash = name.indexOf('/');
        String host = ReferenceParser.normaliseRegistry(slash < 0 ? name : name.substring(0, slash));
        return slash < 0 ? host : host + name.substring(slash);
    }

    private static List<String> strings(Path f, JsonNode n, String key) {
        if (!n.isArray()) {
            throw invalid(f, key + " must be an array of strings");
        }
        List<String> l = new ArrayList<>();
        n.forEach(x -> l.add(x.asText()));
        return l;
    }

    private static JpodException invalid(Path f, String why) {
        return new JpodException(ErrorCode.CONFIG_INVALID, "registries.conf " + f + ": " + why);
    }

    /**
     * The fully qualified references {@code ref} may mean, in order (see
     * {@link io.jpod.api.registry.Registries#candidates}).
     */
    public List<ImageReference> candidates(String ref) {
        ReferenceParser.Parts p = ReferenceParser.split(ref);
        if (p.registry() != null) {
            return List.of(ReferenceParser.normalise(p.registry(), p.path(), p.tag(), p.digest()));
        }
        String alias = aliases.get(p.path());
        if (alias != null && mode != ShortNameMode.DISABLED) {
            ReferenceParser.Parts a = ReferenceParser.split(alias);
            return List.of(ReferenceParser.normalise(a.registry(), a.path(),
                    p.tag() != null ? p.tag() : p.digest() != null ? null : a.tag(), p.digest()));
        }
        if (search.isEmpty()) {
            throw new JpodException(ErrorCode.INVALID_ARG, "short name \"" + ref + "\" did not resolve to an alias and"
                    + " no unqualified-search registries are defined in registries.conf; qualify it (e.g. docker.io/"
                    + "library/" + p.path() + ") or add an alias");
        }
        if (mode == ShortNameMode.ENFORCING && search.size() > 1) {
            throw new JpodException(ErrorCode.INVALID_ARG, "short name \"" + ref + "\" resolves to several registries ("
                    + String.join(", ", search) + "); qualify it or add an alias");
        }
        List<ImageReference> out = new ArrayList<>();
        for (String r : search) {
            out.add(ReferenceParser.normalise(r, p.path(), p.tag(), p.digest()));
        }
        return out;
    }

    /** The {@code [[registry]]} entry for {@code ref}: the longest prefix that matches, or null. */
    public Entry find(ImageReference ref) {
        String name = ref.name();
        Entry best = null;
        int bestLen = -1;
        for (Entry e : registries.values()) {
            int len = matchLength(name, ref.registry(), e.prefix());
            if (len > bestLen) {
                best = e;
                bestLen = len;
            }
        }
        return best;
    }

    private static int matchLength(String name, String registry, String prefix) {
        if (prefix.startsWith("*.")) {
            String host = registry.contains(":") ? registry.substring(0, registry.lastIndexOf(':')) : registry;
            return host.endsWith(prefix.substring(1)) ? prefix.length() : -1;
        }
        if (name.equals(prefix)) {
            return prefix.length();
        }
        if (name.startsWith(prefix) && name.length() > prefix.length() && name.charAt(prefix.length()) == '/') {
            return prefix.length();
        }
        return -1;
    }

    /**
     * Where to pull {@code ref} from, in order: its entry's mirrors (by-digest-only mirrors only for a digest),
     * then its location. REGISTRY_BLOCKED when the entry blocks it.
     */
    public List<Source> pullSources(ImageReference ref) {
        Entry e = find(ref);
        List<Source> out = new ArrayList<>();
        if (e != null) {
            if (e.blocked()) {
                throw blocked(ref);
            }
            if (!e.mirrorByDigestOnly() || ref.digest() != null) {
                for (Mirror m : e.mirrors()) {
                    ImageReference r = rewrite(ref, e.prefix(), m.location());
                    out.add(new Source(r, m.insecure() || isLoopback(r.registry()), true));
                }
            }
        }
        out.add(primary(ref, e));
        return out;
    }

    /** Where to push {@code ref} (and log in): its location, never a mirror. REGISTRY_BLOCKED when blocked. */
    public Source pushSource(ImageReference ref) {
        Entry e = find(ref);
        if (e != null && e.blocked()) {
            throw blocked(ref);
        }
        return primary(ref, e);
    }

    /** Whether {@code registry} (host[:port]) is insecure by registries.conf or by the loopback rule. */
    public boolean insecure(String registry) {
        Entry e = find(new ImageReference(registry, "x", "latest", null));
        return e != null && e.insecure() || isLoopback(registry);
    }

    private Source primary(ImageReference ref, Entry e) {
        ImageReference r = e == null || e.location().isEmpty() ? ref : rewrite(ref, e.prefix(), e.location());
        return new Source(r, e != null && e.insecure() || isLoopback(r.registry()), false);
    }

    private static JpodException blocked(ImageReference ref) {
        return new JpodException(ErrorCode.REGISTRY_BLOCKED, "registry " + ref.registry() + " is blocked in"
                + " registries.conf: cannot use " + ref);
    }

    private static ImageReference rewrite(ImageReference ref, String prefix, String location) {
        if (prefix.startsWith("*.")) {
            return ref;
        }
        String name = location + ref.name().substring(prefix.length());
        int slash = name.indexOf('/');
        return new ImageReference(name.substring(0, slash), name.substring(slash + 1), ref.tag(), ref.digest());
    }

    /** Docker's rule: {@code localhost} and 127.0.0.0/8 (and ::1) are insecure without configuration. */
    public static boolean isLoopback(String registry) {
        String host = registry;
        if (host.startsWith("[")) {
            host = host.substring(1, host.indexOf(']'));
        } else if (host.indexOf(':') >= 0) {
            host = host.substring(0, host.lastIndexOf(':'));
        }
        host = host.toLowerCase(Locale.ROOT);
        if (host.equals("localhost") || host.endsWith(".localhost")) {
            return true;
        }
        if (host.matches("[0-9.]+") || host.contains(":")) {
            try {
                return InetAddress.getByName(host).isLoopbackAddress();
            } catch (UnknownHostException e) {
                return false;
            }
        }
        return false;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RegistriesConf c && search.equals(c.search) && aliases.equals(c.aliases) && mode == c.mode
                && registries.equals(c.registries);
    }

    @Override
    public int hashCode() {
        return Objects.hash(search, aliases, mode, registries);
    }
}
