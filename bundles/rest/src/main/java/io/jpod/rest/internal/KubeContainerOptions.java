package io.jpod.rest.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.jpod.api.ContainerResources;
import io.jpod.api.ContainerSecurity;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * A Kubernetes container's {@code resources} and {@code securityContext} as a container's limits and security
 * options, mapped as podman's play kube maps them: a CPU limit is a quota over a 100 ms period, a CPU request CPU
 * shares, a memory request the memory reservation. A field jpod does not support is refused by its path.
 */
final class KubeContainerOptions {
    private static final long PERIOD_US = 100_000;
    private static final Set<String> RESOURCES = Set.of("cpu", "memory");
    private static final Set<String> SECURITY = Set.of("runAsUser", "runAsGroup", "privileged",
            "readOnlyRootFilesystem", "allowPrivilegeEscalation", "capabilities");

    /** What a container's options came to: its limits, its security options, and the user it runs as (or null). */
    record Options(ContainerResources resources, ContainerSecurity security, String user) {
    }

    private KubeContainerOptions() {
    }

    static Options of(JsonNode resources, JsonNode securityContext, String where, Function<String, ApiException> bad) {
        return new Options(resources(resources, where + "resources.", bad),
                security(securityContext, where + "securityContext.", bad), user(securityContext, where, bad));
    }

    static ContainerResources resources(JsonNode n, String where, Function<String, ApiException> bad) {
        if (n == null || n.isNull() || n.isMissingNode()) {
            return null;
        }
        only(n, where, Set.of("limits", "requests"), bad);
        only(n.path("limits"), where + "limits.", RESOURCES, bad);
        only(n.path("requests"), where + "requests.", RESOURCES, bad);
        ContainerResources.Builder b = ContainerResources.builder();
        JsonNode limits = n.path("limits");
        if (limits.has("memory")) {
            b.memory(bytes(limits.get("memory"), where + "limits.memory", bad));
        }
        if (limits.has("cpu")) {
            long milli = milliCpus(limits.get("cpu"), where + "limits.cpu", bad);
            b.cpuPeriod(PERIOD_US).cpuQuota(milli * PERIOD_US / 1000);
        }
        JsonNode requests = n.path("requests");
        if (requests.has("memory")) {
            b.memoryReservation(bytes(requests.get("memory"), where + "requests.memory", bad));
        }
        if (requests.has("cpu")) {
            // Kubernetes' milli-CPU to shares: 1024 per CPU, from 2 to 262144 (the kernel's bounds), as its
            // MilliCPUToShares clamps them
            b.cpuShares(Math.min(262_144, Math.max(2, milliCpus(requests.get("cpu"), where + "requests.cpu", bad)
                    * 1024 / 1000)));
        }
        return b.build();
    }

    static ContainerSecurity security(JsonNode n, String where, Function<String, ApiException> bad) {
        if (n == null || n.isNull() || n.isMissingNode()) {
            return null;
        }
        only(n, where, SECURITY, bad);
        ContainerSecurity.Builder b = ContainerSecurity.NONE.toBuilder();
        b.privileged(bool(n, "privileged", where, bad));
        b.readonlyRootfs(bool(n, "readOnlyRootFilesystem", where, bad));
        if (n.has("allowPrivilegeEscalation")) {
            b.noNewPrivileges(!bool(n, "allowPrivilegeEscalation", where, bad));
        }
        JsonNode caps = n.path("capabilities");
        only(caps, where + "capabilities.", Set.of("add", "drop"), bad);
        b.capAdd(strings(caps.get("add"), where + "capabilities.add", bad));
        b.capDrop(strings(caps.get("drop"), where + "capabilities.drop", bad));
        return b.build();
    }

    /** {@code runAsUser[:runAsGroup]} as the container's user, or null when neither is given. */
    static String user(JsonNode n, String where, Function<String, ApiException> bad) {
        if (n == null || !n.isObject() || !n.has("runAsUser") && !n.has("runAsGroup")) {
            return null;
        }
        long uid = id(n.get("runAsUser"), where + "securityContext.runAsUser", bad);
        long gid = id(n.get("runAsGroup"), where + "securityContext.runAsGroup", bad);
        if (uid < 0) {
            throw bad.apply(where + "securityContext.runAsGroup needs runAsUser: jpod runs a group only with a user");
        }
        return gid < 0 ? Long.toString(uid) : uid + ":" + gid;
    }

    private static long id(JsonNode v, String where, Function<String, ApiException> bad) {
        if (v == null || v.isNull()) {
            return -1;
        }
        if (!v.canConvertToLong() || !v.isIntegralNumber() || v.asLong() < 0 || v.asLong() > 0xFFFF_FFFEL) {
            throw bad.apply(where + " must be a user or group ID (0 to 4294967294)");
        }
        return v.asLong();
    }

    /** A Kubernetes quantity of bytes: {@code 64Mi}, {@code 1G}, {@code 500k}, {@code 1e6}, {@code 1048576}. */
    static long bytes(JsonNode v, String where, Function<String, ApiException> bad) {
        String s = v.asText("").strip();
        Map<String, Long> suffixes = Map.ofEntries(Map.entry("Ki", 1L << 10), Map.entry("Mi", 1L << 20),
                Map.entry("Gi", 1L << 30), Map.entry("Ti", 1L << 40), Map.entry("k", 1_000L),
                Map.entry("M", 1_000_000L), Map.entry("G", 1_000_000_000L), Map.entry("T", 1_000_000_000_000L));
        try {
            BigDecimal n = null;
            for (Map.Entry<String, Long> e : suffixes.entrySet()) {
                if (s.endsWith(e.getKey()) && s.length() > e.getKey().length()) {
                    n = new BigDecimal(s.substring(0, s.length() - e.getKey().length())).multiply(
                            BigDecimal.valueOf(e.getValue()));
                    break;
                }
            }
            if (n == null) {
                n = new BigDecimal(s);
            }
            if (n.signum() <= 0 || n.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
                throw bad.apply(where + " " + s + " must be a positive quantity of bytes, e.g. 64Mi");
            }
            return n.setScale(0, java.math.RoundingMode.CEILING).longValueExact();
        } catch (NumberFormatException | ArithmeticException e) {
            throw bad.apply(where + " " + s + " is not a quantity of bytes: give e.g. 64Mi, 1Gi or 500M");
        }
    }

    /** A Kubernetes CPU quantity in milli-CPUs: {@code 500m}, {@code 1.5}, {@code 2}. */
    static long milliCpus(JsonNode v, String where, Function<String, ApiException> bad) {
        String s = v.asText("").strip();
        try {
            BigDecimal milli = s.endsWith("m") ? new BigDecimal(s.substring(0, s.length() - 1))
                    : new BigDecimal(s).multiply(BigDecimal.valueOf(1000));
            if (milli.signum() <= 0 || milli.compareTo(BigDecimal.valueOf(1_000_000_000L)) > 0) {
                throw bad.apply(where + " " + s + " must be a positive number of CPUs, e.g. 500m or 1.5");
            }
            return milli.setScale(0, java.math.RoundingMode.CEILING).longValueExact();
        } catch (NumberFormatException | ArithmeticException e) {
            throw bad.apply(where + " " + s + " is not a number of CPUs: give e.g. 500m or 1.5");
        }
    }

    private static boolean bool(JsonNode n, String field, String where, Function<String, ApiException> bad) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return false;
        }
        if (!v.isBoolean()) {
            throw bad.apply(where + field + " must be true or false");
        }
        return v.asBoolean();
    }

    private static List<String> strings(JsonNode n, String where, Function<String, ApiException> bad) {
        List<String> out = new ArrayList<>();
        if (n == null || n.isNull()) {
            return out;
        }
        if (!n.isArray()) {
            throw bad.apply(where + " must be a list of capability names");
        }
        n.forEach(x -> out.add(x.asText()));
        return out;
    }

    private static void only(JsonNode n, String where, Set<String> known, Function<String, ApiException> bad) {
        if (n == null || n.isMissingNode() || n.isNull()) {
            return;
        }
        if (!n.isObject()) {
            throw bad.apply(where.substring(0, where.length() - 1) + " must be a mapping");
        }
        for (Iterator<String> it = n.fieldNames(); it.hasNext();) {
            String f = it.next();
            if (!known.contains(f) && !PodCreateRequest.empty(n.get(f))) {
                throw bad.apply(where + f + " is not supported by jpod: it takes " + String.join(", ", known.stream()
                        .sorted().toList()));
            }
        }
    }
}
