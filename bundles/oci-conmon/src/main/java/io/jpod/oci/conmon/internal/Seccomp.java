package io.jpod.oci.conmon.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a seccomp profile in the containers/common format (podman's /usr/share/containers/seccomp.json:
 * {@code archMap}, syscall groups with {@code includes}/{@code excludes} by capability and
 * architecture) into the runtime spec's {@code linux.seccomp}, as containers/common's
 * {@code seccomp.LoadProfile}: the native architecture and its sub-architectures, and only the groups
 * that apply to the container's capabilities and this architecture. A profile already in the runtime
 * spec's format (with {@code architectures}) passes through. {@code minKernel} is not checked: the
 * groups it guards are allowed (libseccomp ignores syscalls the kernel does not know).
 */
final class Seccomp {
    private static final Logger LOG = LoggerFactory.getLogger(Seccomp.class);
    /** The profile name that turns the filter off, as podman's {@code --security-opt seccomp=unconfined}. */
    static final String UNCONFINED = "unconfined";
    /** containers/common's default profile, shipped for hosts without containers-common. */
    static final String BUILT_IN = "default-seccomp.json";
    private static final Set<String> TOLD = ConcurrentHashMap.newKeySet();
    private static volatile JsonNode builtIn;

    private Seccomp() {
    }

    /**
     * The {@code linux.seccomp} of a container: {@code configured} (seccomp_profile) converted; the built-in default
     * when none is configured or the file is missing, and (with a warning) when it cannot be read or parsed, so a
     * container never runs unfiltered by accident; null only for {@value #UNCONFINED}.
     */
    static ObjectNode load(ObjectMapper json, String configured, Collection<String> caps) {
        if (configured != null && configured.trim().equals(UNCONFINED)) {
            return null;
        }
        JsonNode profile = null;
        if (configured != null && !configured.isBlank()) {
            Path p = Path.of(configured.trim());
            if (!Files.exists(p)) {
                once(p, () -> LOG.info("seccomp profile {} does not exist: containers get jpod's built-in default"
                        + " profile (containers/common's)", p));
            } else {
                try {
                    profile = json.readTree(p.toFile());
                    if (profile == null || !profile.isObject()) {
                        throw new IOException("it is not a JSON object");
                    }
                } catch (IOException e) {
                    profile = null;
                    LOG.warn("cannot use the seccomp profile {} ({}): containers get jpod's built-in default profile"
                            + " instead; fix the file or set seccomp_profile to another", p, e.getMessage());
                }
            }
        }
        return convert(json, profile != null ? profile : builtIn(json), caps, goArch());
    }

    private static void once(Path p, Runnable log) {
        if (TOLD.add(p.toString())) {
            log.run();
        }
    }

    private static JsonNode builtIn(ObjectMapper json) {
        JsonNode n = builtIn;
        if (n == null) {
            try (InputStream in = Seccomp.class.getResourceAsStream(BUILT_IN)) {
                if (in == null) {
                    throw new IOException("the bundle has no " + BUILT_IN);
                }
                n = json.readTree(in);
            } catch (IOException e) {
                throw new JpodException(ErrorCode.INTERNAL, "cannot read jpod's built-in seccomp profile: "
                        + e.getMessage(), e);
            }
            builtIn = n;
        }
        return n;
    }

    static ObjectNode convert(ObjectMapper json, JsonNode in, Collection<String> caps, String goArch) {
        ObjectNode out = json.createObjectNode();
        out.put("defaultAction", in.path("defaultAction").asText("SCMP_ACT_ERRNO"));
        if (in.has("defaultErrnoRet")) {
            out.put("defaultErrnoRet", in.get("defaultErrnoRet").asInt());
        }
        ArrayNode arches = out.putArray("architectures");
        if (in.has("architectures")) {
            in.get("architectures").forEach(arches::add);
        } else {
            String nat = seccompArch(goArch);
            for (JsonNode m : in.path("archMap")) {
                if (m.path("architecture").asText().equals(nat)) {
                    arches.add(nat);
                    m.path("subArchitectures").forEach(arches::add);
                }
            }
        }
        ArrayNode syscalls = out.putArray("syscalls");
        for (JsonNode s : in.path("syscalls")) {
            if (!applies(s, caps, goArch)) {
                continue;
            }
            ObjectNode o = syscalls.addObject();
            ArrayNode names = o.putArray("names");
            if (s.has("names")) {
                s.get("names").forEach(names::add);
            } else if (s.has("name")) {
                names.add(s.get("name").asText());
            }
            o.put("action", s.path("action").asText());
            if (s.hasNonNull("errnoRet")) {
                o.put("errnoRet", s.get("errnoRet").asInt());
            }
            if (s.path("args").isArray() && !s.get("args").isEmpty()) {
                ArrayNode args = o.putArray("args");
                for (JsonNode a : s.get("args")) {
                    ObjectNode arg = args.addObject();
                    arg.put("index", a.path("index").asInt());
                    arg.set("value", a.path("value"));
                    if (a.path("valueTwo").asLong() != 0) {
                        arg.set("valueTwo", a.get("valueTwo"));
                    }
                    arg.put("op", a.path("op").asText());
                }
            }
        }
        return out;
    }

    private static boolean applies(JsonNode s, Collection<String> caps, String goArch) {
        JsonNode inc = s.path("includes");
        for (JsonNode c : inc.path("caps")) {
            if (!caps.contains(c.asText())) {
                return false;
            }
        }
        if (inc.path("arches").isArray() && !inc.get("arches").isEmpty() && !contains(inc.get("arches"), goArch)) {
            return false;
        }
        JsonNode exc = s.path("excludes");
        for (JsonNode c : exc.path("caps")) {
            if (caps.contains(c.asText())) {
                return false;
            }
        }
        return !contains(exc.path("arches"), goArch);
    }

    private static boolean contains(JsonNode array, String v) {
        for (JsonNode n : array) {
            if (n.asText().equals(v)) {
                return true;
            }
        }
        return false;
    }

    /** Go's name of this machine's architecture, as the profile's {@code arches} spell it. */
    static String goArch() {
        String a = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        return switch (a) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            case "x86", "i386", "i686" -> "386";
            case "ppc64le" -> "ppc64le";
            case "s390x" -> "s390x";
            case "riscv64" -> "riscv64";
            default -> a;
        };
    }

    static String seccompArch(String goArch) {
        return switch (goArch) {
            case "amd64" -> "SCMP_ARCH_X86_64";
            case "arm64" -> "SCMP_ARCH_AARCH64";
            case "386" -> "SCMP_ARCH_X86";
            case "arm" -> "SCMP_ARCH_ARM";
            case "ppc64le" -> "SCMP_ARCH_PPC64LE";
            case "s390x" -> "SCMP_ARCH_S390X";
            case "riscv64" -> "SCMP_ARCH_RISCV64";
            default -> "SCMP_ARCH_" + goArch.toUpperCase(Locale.ROOT);
        };
    }
}
