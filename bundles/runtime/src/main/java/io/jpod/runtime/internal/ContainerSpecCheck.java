package io.jpod.runtime.internal;

import io.jpod.api.ContainerConfig;
import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;
import io.jpod.api.Mount;
import io.jpod.api.PortMapping;
import io.jpod.api.net.AddressFormatException;
import io.jpod.api.net.Ipv4Address;
import io.jpod.util.internal.Printable;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The rules a container's config must follow before anything of it is made, whoever sent it (Docker's or
 * libpod's create, an image's defaults): ports, host addresses, the name, environment, labels, mounts, the
 * restart policy, the stop signal and timeout. A bind's source must exist on the host. What fails here is INVALID_ARG naming the field and what to give
 * instead; what passes can be stored, listed by every client and started.
 */
final class ContainerSpecCheck {
    /** Longer names make paths and podman's and Docker's tables unusable; 253 is a DNS name's limit. */
    static final int MAX_NAME = 253;
    /** The kernel's HOST_NAME_MAX: sethostname(2) refuses more when the container starts. */
    static final int MAX_HOSTNAME = 64;
    /** Seconds: more than 68 years is a mistake, and time arithmetic past it overflows. */
    static final long MAX_STOP_TIMEOUT = Integer.MAX_VALUE;
    private static final Set<String> PROTOCOLS = Set.of("tcp", "udp", "sctp");
    private static final Set<String> RESTART_POLICIES = Set.of("no", "always", "on-failure", "unless-stopped");
    private static final Set<String> MOUNT_TYPES = Set.of("bind", "volume");
    private static final Pattern PROPAGATION = Pattern.compile("r?(private|shared|slave|unbindable)");
    private static final Set<String> MOUNT_FLAGS = Set.of("ro", "rw", "bind", "rbind", "nosuid", "suid", "nodev",
            "dev", "noexec", "exec", "z", "Z");
    private static final Pattern VOLUME_NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]*");

    private ContainerSpecCheck() {
    }

    static void check(ContainerConfig spec) {
        name(spec.name());
        ports(spec.portMappings());
        env(spec.env());
        keys("label", spec.labels());
        keys("annotation", spec.annotations());
        mounts(spec.mounts());
        restart(spec.restartPolicy(), spec.restartRetries());
        LimitsCheck.check(spec);
        HealthcheckCheck.check(spec.healthcheck());
        DnsCheck.check(spec.dns(), spec.networkMode());
        if (spec.stopSignal() < 1 || spec.stopSignal() > 64) {
            throw invalid("stop signal " + spec.stopSignal() + " is not a signal: give a name such as SIGTERM or a "
                    + "number from 1 to 64");
        }
        if (spec.stopTimeout() < 0 || spec.stopTimeout() > MAX_STOP_TIMEOUT) {
            throw invalid("stop timeout " + spec.stopTimeout() + " is out of range: give the seconds to wait after "
                    + "the stop signal, from 0 to " + MAX_STOP_TIMEOUT);
        }
        strings("command", spec.command());
        strings("entrypoint", spec.entrypoint());
        String dir = spec.workingDir();
        if (dir != null && !dir.isEmpty()) {
            noNul("working directory", dir);
            if (!dir.startsWith("/")) {
                throw invalid("working directory " + dir + " is not an absolute path: give one such as /app");
            }
        }
        if (spec.user() != null) {
            noNul("user", spec.user());
        }
        String host = spec.hostname();
        if (host != null && !host.isEmpty()) {
            noNul("hostname", host);
            if (host.length() > MAX_HOSTNAME) {
                throw invalid("hostname " + host.substring(0, 20) + "... has " + host.length()
                        + " characters: give at most " + MAX_HOSTNAME);
            }
        }
    }

    private static void name(String name) {
        if (name == null || name.isEmpty()) {
            return;
        }
        if (name.length() > MAX_NAME) {
            throw invalid("container name " + name.substring(0, 20) + "... has " + name.length()
                    + " characters: give at most " + MAX_NAME);
        }
        Names.check(name, "container");
    }

    private static void ports(List<PortMapping> ports) {
        for (int i = 0; i < ports.size(); i++) {
            PortMapping m = ports.get(i);
            String what = "port mapping " + describe(m);
            if (!PROTOCOLS.contains(m.protocol())) {
                throw invalid(what + ": protocol " + Printable.quoted(m.protocol()) + " is not supported: use tcp, udp or sctp");
            }
            portRange(what, "host", m.hostPort(), m.range());
            portRange(what, "container", m.containerPort(), m.range());
            if (!m.hostIp().isEmpty()) {
                try {
                    Ipv4Address.parse(m.hostIp());
                } catch (AddressFormatException e) {
                    throw invalid(what + ": host IP " + Printable.quoted(m.hostIp()) + " is not an IPv4 address: give one such "
                            + "as 127.0.0.1, or none to publish on every address");
                }
            }
            for (int j = 0; j < i; j++) {
                PortMapping o = ports.get(j);
                if (o.protocol().equals(m.protocol()) && sameAddress(o.hostIp(), m.hostIp())
                        && o.hostPort() < m.hostPort() + m.range() && m.hostPort() < o.hostPort() + o.range()) {
                    throw invalid(what + ": host port " + Math.max(o.hostPort(), m.hostPort()) + "/" + m.protocol()
                            + " is published twice (also by " + describe(o) + "): publish each host port once");
                }
            }
        }
    }

    private static void portRange(String what, String side, int first, int range) {
        if (first < 1 || first > 65535) {
            throw invalid(what + ": " + side + " port " + first + " is out of range: give a port from 1 to 65535");
        }
        if ((long) first + range - 1 > 65535) {
            throw invalid(what + ": " + range + " " + side + " ports from " + first + " go past 65535: give a "
                    + "smaller range or a lower port");
        }
    }

    private static boolean sameAddress(String a, String b) {
        return a.equals(b) || a.isEmpty() || b.isEmpty() || a.equals("0.0.0.0") || b.equals("0.0.0.0");
    }

    private static String describe(PortMapping m) {
        String ports = m.range() > 1 ? m.hostPort() + "-" + ((long) m.hostPort() + m.range() - 1) + ":"
                + m.containerPort() + "-" + ((long) m.containerPort() + m.range() - 1)
                : m.hostPort() + ":" + m.containerPort();
        return (m.hostIp().isEmpty() ? "" : Printable.of(m.hostIp()) + ":") + ports + "/" + Printable.of(m.protocol());
    }

    private static void env(List<String> env) {
        for (String e : env) {
            noNul("environment entry", e);
            if (e.isEmpty() || e.startsWith("=")) {
                throw invalid("environment entry " + Printable.quoted(e) + " has no name: give NAME=VALUE");
            }
        }
    }

    private static void keys(String what, Map<String, String> map) {
        for (Map.Entry<String, String> e : map.entrySet()) {
            String k = e.getKey();
            if (k.isEmpty()) {
                throw invalid(what + " with an empty key (value " + Printable.quoted(e.getValue()) + "): give every " + what
                        + " a key");
            }
            if (k.indexOf('=') >= 0 || k.chars().anyMatch(Character::isISOControl)) {
                throw invalid(what + " key " + Printable.quoted(k) + " has '=' or a control character: give a key without "
                        + "them, such as com.example.role");
            }
            noNul(what + " " + k, e.getValue());
        }
    }

    private static void mounts(List<Mount> mounts) {
        Set<String> destinations = new HashSet<>();
        for (Mount m : mounts) {
            String type = m.type() == null || m.type().isEmpty() ? "bind" : m.type();
            String dest = m.destination() == null ? "" : m.destination();
            noNul("mount destination", dest);
            if (!MOUNT_TYPES.contains(type)) {
                throw invalid("mount type " + Printable.quoted(type) + " at " + dest + " is not supported: use bind or volume");
            }
            if (!dest.startsWith("/")) {
                throw invalid("mount destination " + Printable.quoted(dest) + " is not an absolute path: give the path in the "
                        + "container, such as /data");
            }
            String clean = java.nio.file.Path.of(dest).normalize().toString();
            if (clean.equals("/")) {
                throw invalid("mount destination " + dest + " is the container's root: mount at a directory in it");
            }
            if (!destinations.add(clean)) {
                throw invalid("mount destination " + dest + " is mounted twice: mount one thing at each path");
            }
            String source = m.source() == null ? "" : m.source();
            noNul("mount source", source);
            if (type.equals("bind") && !source.startsWith("/")) {
                throw invalid("bind mount source " + Printable.quoted(source) + " at " + dest + " is not an absolute path: "
                        + "give a host path such as /srv/data");
            }
            if (type.equals("bind") && !java.nio.file.Files.exists(java.nio.file.Path.of(source))) {
                throw invalid("bind mount source " + source + " does not exist: create it first, or mount another "
                        + "host path at " + dest);
            }
            if (type.equals("volume") && !source.isEmpty() && !VOLUME_NAME.matcher(source).matches()) {
                throw invalid("volume name " + Printable.quoted(source) + " at " + dest + " is invalid: names must match "
                        + "[a-zA-Z0-9][a-zA-Z0-9_.-]*");
            }
            options(dest, m.options());
        }
    }

    private static void options(String dest, List<String> options) {
        int access = 0;
        int propagation = 0;
        for (String o : options) {
            if (o == null || !(MOUNT_FLAGS.contains(o) || PROPAGATION.matcher(o).matches())) {
                throw invalid("mount option " + Printable.quoted(o) + " at " + dest + " is not supported: use ro, rw, "
                        + "nosuid, nodev, noexec (or suid, dev, exec), bind, rbind, z, Z or a propagation such as "
                        + "rprivate");
            }
            access += o.equals("ro") || o.equals("rw") ? 1 : 0;
            propagation += PROPAGATION.matcher(o).matches() ? 1 : 0;
        }
        if (access > 1 || propagation > 1) {
            throw invalid("mount options " + options + " at " + dest + " conflict: give at most one of ro and rw, "
                    + "and at most one propagation");
        }
    }

    static void restart(String policy, int retries) {
        if (!RESTART_POLICIES.contains(policy)) {
            throw invalid("restart policy " + Printable.quoted(policy) + " is not supported: use no, always, on-failure or "
                    + "unless-stopped");
        }
        if (retries < 0) {
            throw invalid("restart retries " + retries + " is negative: give 0 (no limit) or more");
        }
        if (retries > 0 && !policy.equals("on-failure")) {
            throw invalid("restart retries " + retries + " only apply to the on-failure policy, not " + policy
                    + ": give on-failure, or no retries");
        }
    }

    private static void strings(String what, List<String> values) {
        for (String v : values) {
            noNul(what + " argument", v);
        }
    }

    private static void noNul(String what, String value) {
        if (value != null && value.indexOf('\0') >= 0) {
            throw invalid(what + " " + Printable.quoted(value) + " has a NUL character: remove it");
        }
    }


    private static JpodException invalid(String message) {
        return new JpodException(ErrorCode.INVALID_ARG, message);
    }
}
