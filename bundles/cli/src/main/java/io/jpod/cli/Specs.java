package io.jpod.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** libpod's SpecGenerator from the flags of create/run. */
final class Specs {
    private Specs() {
    }

    static ObjectNode spec(ContainerCommands.CreateFlags f) throws IOException {
        ObjectNode s = Api.JSON.createObjectNode();
        s.put("image", f.image);
        if (f.name != null) {
            s.put("name", f.name);
        }
        if (!f.command.isEmpty()) {
            ArrayNode c = s.putArray("command");
            f.command.forEach(c::add);
        }
        if (f.entrypoint != null) {
            ArrayNode e = s.putArray("entrypoint");
            // podman: a JSON array is taken as is, any other string is one argument
            if (f.entrypoint.trim().startsWith("[")) {
                Api.JSON.readTree(f.entrypoint).forEach(e::add);
            } else if (!f.entrypoint.isEmpty()) {
                e.add(f.entrypoint);
            }
        }
        Map<String, String> env = new LinkedHashMap<>();
        for (Path file : f.envFiles) {
            for (String line : Files.readAllLines(file)) {
                String l = line.trim();
                if (!l.isEmpty() && !l.startsWith("#")) {
                    putEnv(env, l);
                }
            }
        }
        f.env.forEach(e -> putEnv(env, e));
        if (!env.isEmpty()) {
            ObjectNode e = s.putObject("env");
            env.forEach(e::put);
        }
        if (f.workdir != null) {
            s.put("work_dir", f.workdir);
        }
        if (f.user != null) {
            s.put("user", f.user);
        }
        if (!f.labels.isEmpty()) {
            ObjectNode l = s.putObject("labels");
            for (String label : f.labels) {
                int eq = label.indexOf('=');
                l.put(eq < 0 ? label : label.substring(0, eq), eq < 0 ? "" : label.substring(eq + 1));
            }
        }
        for (String v : f.volumes) {
            // a source that is no path names a volume (made when missing, as podman does)
            if (!v.startsWith("/") && v.contains(":")) {
                (s.has("volumes") ? (ArrayNode) s.get("volumes") : s.putArray("volumes")).add(namedVolume(v));
            } else {
                (s.has("mounts") ? (ArrayNode) s.get("mounts") : s.putArray("mounts")).add(bindMount(v));
            }
        }
        s.put("remove", f.rm);
        s.put("stdin", f.interactive);
        s.put("terminal", f.tty);
        if (f.restart != null) {
            String[] r = f.restart.split(":", 2);
            if (!List.of("no", "always", "on-failure", "unless-stopped").contains(r[0])) {
                throw new IllegalArgumentException("invalid restart policy \"" + f.restart + "\"");
            }
            s.put("restart_policy", r[0]);
            if (r.length > 1) {
                if (!r[0].equals("on-failure")) {
                    throw new IllegalArgumentException("restart policy retries can only be specified with on-failure restart policy");
                }
                s.put("restart_tries", Integer.parseInt(r[1]));
            }
        }
        if (f.hostname != null) {
            s.put("hostname", f.hostname);
        }
        NetworkFlags.apply(s, f.network, f.ip, f.macAddress);
        if (!f.publish.isEmpty()) {
            ArrayNode pm = s.putArray("portmappings");
            f.publish.forEach(p -> pm.add(portMapping(p)));
        }
        if (f.stopSignal != null) {
            s.put("stop_signal", signalNumber(f.stopSignal));
        }
        if (f.stopTimeout >= 0) {
            s.put("stop_timeout", f.stopTimeout);
        }
        if (f.runtime != null) {
            s.put("oci_runtime", f.runtime);
        }
        if (!f.ulimits.isEmpty()) {
            ArrayNode rl = s.putArray("r_limits");
            for (String u : f.ulimits) {
                String[] kv = u.split("=", 2);
                if (kv.length != 2) {
                    throw new IllegalArgumentException("invalid ulimit argument: " + u);
                }
                String[] sh = kv[1].split(":", 2);
                long soft = Long.parseLong(sh[0]);
                long hard = sh.length > 1 ? Long.parseLong(sh[1]) : soft;
                rl.addObject().put("type", kv[0].toLowerCase(Locale.ROOT)).put("soft", soft).put("hard", hard);
            }
        }
        return s;
    }

    static void putEnv(Map<String, String> env, String e) {
        int eq = e.indexOf('=');
        if (eq < 0) {
            // NAME alone: the value from this environment, left out when unset (as podman)
            String v = System.getenv(e);
            if (v != null) {
                env.put(e, v);
            }
        } else {
            env.put(e.substring(0, eq), e.substring(eq + 1));
        }
    }

    static List<String> envList(List<String> env) {
        Map<String, String> m = new LinkedHashMap<>();
        env.forEach(e -> putEnv(m, e));
        List<String> out = new ArrayList<>();
        m.forEach((k, v) -> out.add(k + "=" + v));
        return out;
    }

    /** -v host:ctr[:opts] as a bind mount. */
    static ObjectNode bindMount(String v) {
        String[] p = v.split(":");
        if (p.length < 2 || p.length > 3 || p[0].isEmpty() || p[1].isEmpty()) {
            throw new IllegalArgumentException("incorrect volume format \"" + v + "\", should be host-dir:ctr-dir[:option]");
        }
        if (!p[0].startsWith("/")) {
            throw new IllegalArgumentException("named volumes are not supported yet: \"" + v + "\" (give an absolute host path)");
        }
        if (!p[1].startsWith("/")) {
            throw new IllegalArgumentException("invalid container path \"" + p[1] + "\", must be an absolute path");
        }
        ObjectNode m = Api.JSON.createObjectNode();
        m.put("destination", p[1]).put("source", p[0]).put("type", "bind");
        ArrayNode opts = m.putArray("options");
        opts.add("rbind");
        if (p.length == 3) {
            for (String o : p[2].split(",")) {
                opts.add(o);
            }
        }
        return m;
    }

    /** -v NAME:ctr[:opts] as libpod's NamedVolume. */
    static ObjectNode namedVolume(String v) {
        String[] p = v.split(":");
        if (p.length > 3 || p[0].isEmpty() || p[1].isEmpty()) {
            throw new IllegalArgumentException("incorrect volume format \"" + v + "\", should be name:ctr-dir[:option]");
        }
        if (!p[1].startsWith("/")) {
            throw new IllegalArgumentException("invalid container path \"" + p[1] + "\", must be an absolute path");
        }
        ObjectNode m = Api.JSON.createObjectNode();
        m.put("Name", p[0]).put("Dest", p[1]);
        ArrayNode opts = m.putArray("Options");
        if (p.length == 3) {
            for (String o : p[2].split(",")) {
                opts.add(o);
            }
        }
        return m;
    }

    /** -p [ip:][hostPort:]containerPort[/proto]. */
    static ObjectNode portMapping(String p) {
        String proto = "tcp";
        String spec = p;
        int slash = spec.lastIndexOf('/');
        if (slash >= 0) {
            proto = spec.substring(slash + 1);
            spec = spec.substring(0, slash);
        }
        String[] parts = spec.split(":");
        ObjectNode m = Api.JSON.createObjectNode();
        try {
            switch (parts.length) {
                case 1 -> m.put("container_port", Integer.parseInt(parts[0]));
                case 2 -> m.put("host_port", Integer.parseInt(parts[0])).put("container_port", Integer.parseInt(parts[1]));
                case 3 -> {
                    m.put("host_ip", parts[0]);
                    if (!parts[1].isEmpty()) {
                        m.put("host_port", Integer.parseInt(parts[1]));
                    }
                    m.put("container_port", Integer.parseInt(parts[2]));
                }
                default -> throw new NumberFormatException();
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid port format \"" + p + "\": should be [ip:][hostPort:]containerPort[/protocol]");
        }
        m.put("protocol", proto);
        return m;
    }

    private static final List<String> SIGNALS = List.of("", "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE",
            "KILL", "USR1", "SEGV", "USR2", "PIPE", "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN",
            "TTOU", "URG", "XCPU", "XFSZ", "VTALRM", "PROF", "WINCH", "IO", "PWR", "SYS");

    /** A signal name (SIGTERM, TERM) or number as its Linux number; the SpecGenerator wants a number. */
    static int signalNumber(String s) {
        String n = s.toUpperCase(Locale.ROOT);
        if (n.startsWith("SIG")) {
            n = n.substring(3);
        }
        int i = SIGNALS.indexOf(n);
        if (i > 0) {
            return i;
        }
        try {
            int v = Integer.parseInt(n);
            if (v > 0 && v < 65) {
                return v;
            }
        } catch (NumberFormatException ignored) {
            // not a number either
        }
        throw new IllegalArgumentException("invalid signal: " + s);
    }
}
