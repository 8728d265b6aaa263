package io.jpod.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jpod.api.net.AddressFormatException;
import io.jpod.api.net.Ipv4Range;
import io.jpod.api.net.Ipv4Subnet;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToIntFunction;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code jpod network}: podman 4.3's network commands over {@code /libpod/networks}. */
final class NetworkCommands {
    private NetworkCommands() {
    }

    static final String LS_TABLE = "table {{.ID}}\t{{.Name}}\t{{.Driver}}";
    static final Map<String, String> LS_HEADERS = Map.of("ID", "NETWORK ID");

    @Command(name = "network", description = "Manage networks",
            subcommands = {Create.class, Ls.class, Inspect.class, Rm.class, Connect.class, Disconnect.class,
                Prune.class, Exists.class, CommandLine.HelpCommand.class})
    static final class Group extends CommandGroup {
    }

    @Command(name = "create", description = "Create networks for containers and pods")
    static final class Create extends Base {
        @Option(names = {"-d", "--driver"}, description = "Driver to manage the network (bridge, macvlan)", defaultValue = "bridge")
        String driver;
        @Option(names = {"-o", "--opt"}, description = "Set driver specific options (mtu, parent, ...)")
        List<String> opts = new ArrayList<>();
        @Option(names = "--gateway", split = ",", description = "IPv4 or IPv6 gateway for the subnet")
        List<String> gateways = new ArrayList<>();
        @Option(names = "--internal", description = "Restrict external access from this network")
        boolean internal;
        @Option(names = "--ip-range", description = "Allocate container IP from range (a CIDR inside the subnet)")
        List<String> ranges = new ArrayList<>();
        @Option(names = "--label", description = "Set metadata on a network")
        List<String> labels = new ArrayList<>();
        @Option(names = "--ipam-driver", description = "IP Address Management Driver")
        String ipamDriver;
        @Option(names = "--ipv6", description = "Enable IPv6 networking")
        boolean ipv6;
        @Option(names = "--subnet", description = "Subnets in CIDR format")
        List<String> subnets = new ArrayList<>();
        @Option(names = "--disable-dns", description = "Disable dns plugin")
        boolean disableDns;
        @Parameters(arity = "0..1", paramLabel = "NAME")
        String name;

        @Override
        int run() {
            out.println(api().post("networks/create", null, body()).path("name").asText());
            return 0;
        }

        /** libpod's types.Network from the flags, checked as podman's client checks them. */
        ObjectNode body() {
            ObjectNode b = Api.JSON.createObjectNode();
            b.put("name", name == null ? "" : name);
            b.put("driver", driver);
            Map<String, String> options = keyValues(opts);
            if (driver.equals("macvlan") && options.containsKey("parent")) {
                b.put("network_interface", options.remove("parent"));
            }
            putMap(b, "options", options);
            putMap(b, "labels", keyValues(labels));
            b.put("ipv6_enabled", ipv6);
            b.put("dns_enabled", !disableDns);
            b.put("internal", internal);
            if (ipamDriver != null) {
                b.putObject("ipam_options").put("driver", ipamDriver);
            }
            if (subnets.isEmpty()) {
                if (!gateways.isEmpty() || !ranges.isEmpty()) {
                    throw new IllegalArgumentException("cannot set gateway or range without subnet");
                }
                return b;
            }
            if (gateways.size() > subnets.size()) {
                throw new IllegalArgumentException("cannot set more gateways than subnets");
            }
            if (ranges.size() > subnets.size()) {
                throw new IllegalArgumentException("cannot set more ranges than subnets");
            }
            ArrayNode sn = b.putArray("subnets");
            for (int i = 0; i < subnets.size(); i++) {
                ObjectNode s = sn.addObject();
                s.put("subnet", cidr(subnets.get(i)));
                if (i < gateways.size()) {
                    String gw = gateways.get(i).trim();
                    NetworkFlags.requireIp(gw, "invalid argument \"" + gw + "\" for \"--gateway\" flag: invalid string"
                            + " being converted to IP address: " + gw);
                    s.put("gateway", gw);
                }
                if (i < ranges.size()) {
                    Ipv4Range r = range(cidr(ranges.get(i)));
                    s.putObject("lease_range").put("start_ip", r.first().toString()).put("end_ip", r.last().toString());
                }
            }
            return b;
        }
    }

    /** podman's parse.GetAllLabels: KEY=VALUE or KEY alone (an empty value). */
    static Map<String, String> keyValues(List<String> flags) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String f : flags) {
            int eq = f.indexOf('=');
            m.put(eq < 0 ? f : f.substring(0, eq), eq < 0 ? "" : f.substring(eq + 1));
        }
        return m;
    }

    static void putMap(ObjectNode b, String field, Map<String, String> m) {
        if (!m.isEmpty()) {
            ObjectNode o = b.putObject(field);
            m.forEach(o::put);
        }
    }

    /**
     * A CIDR as Go's net.ParseCIDR takes it (IPv4 here, by {@link Ipv4Subnet}'s rule; IPv6 is passed on for the
     * service to judge), as given.
     */
    static String cidr(String s) {
        String c = s.trim();
        int slash = c.indexOf('/');
        if (slash >= 0 && c.contains(":")) {
            if (c.substring(slash + 1).matches("\\d{1,3}") && Integer.parseInt(c.substring(slash + 1)) <= 128) {
                return c;
            }
            throw new IllegalArgumentException("invalid CIDR address: " + s);
        }
        try {
            Ipv4Subnet.parse(c);
            return c;
        } catch (AddressFormatException e) {
            throw new IllegalArgumentException("invalid CIDR address: " + s + (e.leadingZero() ? ": " + e.reason() : ""),
                    e);
        }
    }

    /** podman's --ip-range: the first host and the last address of the CIDR. */
    static Ipv4Range range(String cidr) {
        if (cidr.contains(":")) {
            throw new IllegalArgumentException("jpod takes --ip-range as an IPv4 CIDR: " + cidr);
        }
        Ipv4Subnet s = Ipv4Subnet.parse(cidr);
        return new Ipv4Range(s.prefixLength() == 32 ? s.network() : s.network().next(), s.broadcast());
    }

    /** A network of the libpod API with the Go field names that podman's templates see. */
    static Map<String, Object> goNetwork(JsonNode n) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("Name", n.path("name").asText());
        r.put("ID", n.path("id").asText());
        r.put("Driver", n.path("driver").asText());
        r.put("NetworkInterface", n.path("network_interface").asText());
        Instant created = Times.parseRfc3339(n.path("created").asText());
        r.put("Created", created == null ? "" : Times.goString(created));
        List<Map<String, Object>> subnets = new ArrayList<>();
        for (JsonNode s : n.path("subnets")) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("Subnet", s.path("subnet").asText());
            x.put("Gateway", s.path("gateway").asText(""));
            JsonNode lr = s.path("lease_range");
            if (lr.isObject()) {
                Map<String, Object> l = new LinkedHashMap<>();
                l.put("StartIP", lr.path("start_ip").asText());
                l.put("EndIP", lr.path("end_ip").asText());
                x.put("LeaseRange", l);
            } else {
                x.put("LeaseRange", null);
            }
            subnets.add(x);
        }
        r.put("Subnets", subnets);
        r.put("IPv6Enabled", n.path("ipv6_enabled").asBoolean());
        r.put("Internal", n.path("internal").asBoolean());
        r.put("DNSEnabled", n.path("dns_enabled").asBoolean());
        r.put("Labels", n.path("labels").isObject() ? Base.plain(n.path("labels")) : Map.of());
        r.put("Options", n.path("options").isObject() ? Base.plain(n.path("options")) : Map.of());
        r.put("IPAMOptions", n.path("ipam_options").isObject() ? Base.plain(n.path("ipam_options")) : Map.of());
        return r;
    }

    @Command(name = "ls", aliases = "list", description = "List networks")
    static final class Ls extends Base {
        @Option(names = "--format", description = "Pretty-print networks to JSON or using a Go template")
        String format;
        @Option(names = {"-q", "--quiet"}, description = "Display only names")
        boolean quiet;
        @Option(names = "--no-trunc", description = "Do not truncate the network ID")
        boolean noTrunc;
        @Option(names = {"-f", "--filter"}, description = "Provide filter values (e.g. 'name=podman')")
        List<String> filters = new ArrayList<>();
        @Option(names = "--noheading", description = "Do not print headers")
        boolean noHeading;

        @Override
        int run() {
            JsonNode list = api().get("networks/json",
                    Api.query("filters", Filters.query(filters)));
            List<JsonNode> nets = new ArrayList<>();
            list.forEach(nets::add);
            nets.sort(Comparator.comparing(n -> n.path("name").asText()));
            if (quiet) {
                nets.forEach(n -> out.println(n.path("name").asText()));
                return 0;
            }
            if (format != null && format.equals("json")) {
                ArrayNode a = Api.JSON.createArrayNode();
                a.addAll(nets);
                out.println(pretty(a, 2));
                return 0;
            }
            List<Map<String, Object>> rows = new ArrayList<>();
            for (JsonNode n : nets) {
                Map<String, Object> r = goNetwork(n);
                String id = (String) r.get("ID");
                r.put("ID", noTrunc || id.length() < 12 ? id : id.substring(0, 12));
                List<String> labels = new ArrayList<>();
                ((Map<?, ?>) r.get("Labels")).forEach((k, v) -> labels.add(k + "=" + v));
                r.put("Labels", String.join(",", labels));
                rows.add(r);
            }
            print(rows, headed(format == null ? LS_TABLE : format, noHeading), LS_TABLE, LS_HEADERS);
            return 0;
        }
    }

    /** A table format without its header row for --noheading. */
    static String headed(String format, boolean noHeading) {
        return noHeading && format.startsWith("table") ? format.substring(5).trim() : format;
    }

    @Command(name = "inspect", description = "Displays the raw CNI network configuration for one or more networks")
    static final class Inspect extends Base {
        @Option(names = {"-f", "--format"}, description = "Pretty-print network to JSON or using a Go template")
        String format;
        @Parameters(arity = "1..*", paramLabel = "NETWORK")
        List<String> names;

        @Override
        int run() {
            ArrayNode found = Api.JSON.createArrayNode();
            List<String> missing = new ArrayList<>();
            for (String n : names) {
                try {
                    found.add(api().get("networks/" + Api.seg(n) + "/json", null));
                } catch (ApiException e) {
                    if (e.status != 404) {
                        throw e;
                    }
                    missing.add("network " + n + ": unable to find network with name or ID " + n + ": network not found");
                }
            }
            if (format == null || format.equals("json")) {
                out.println(pretty(found, 4));
            } else {
                List<Map<String, Object>> rows = new ArrayList<>();
                found.forEach(n -> rows.add(goNetwork(n)));
                print(rows, format, format, Map.of());
            }
            return inspectErrors(missing);
        }
    }

    /** As podman's inspect: the errors after the first go to stderr, the first one is the command's error. */
    static int inspectErrors(List<String> missing) {
        if (missing.isEmpty()) {
            return 0;
        }
        for (String m : missing.subList(1, missing.size())) {
            System.err.println("error inspecting object: " + m);
        }
        throw new ApiException(404, "inspecting object: " + missing.get(0));
    }

    /**
     * podman's utils.OutputErrors: every error but the last goes to stderr, the last one is the command's
     * error; the exit code is that of the last error that has one (else 125).
     */
    static int finish(List<ApiException> errors, ToIntFunction<ApiException> code) {
        if (errors.isEmpty()) {
            return 0;
        }
        int exit = Main.ENGINE_ERROR;
        for (ApiException e : errors) {
            int c = code.applyAsInt(e);
            exit = c != 0 ? c : exit;
        }
        for (ApiException e : errors.subList(0, errors.size() - 1)) {
            System.err.println("Error: " + e.getMessage());
        }
        throw new Main.ExitException(exit, errors.get(errors.size() - 1).getMessage());
    }

    /** podman network rm's exit codes: 1 no such network, 2 a network in use. */
    static int rmCode(ApiException e) {
        String m = String.valueOf(e.getMessage());
        return e.status == 404 || m.contains("network not found") ? 1 : m.contains("network is being used") ? 2 : 0;
    }

    @Command(name = "rm", aliases = "remove", description = "Remove networks")
    static final class Rm extends Base {
        @Option(names = {"-f", "--force"}, description = "Remove any containers using network")
        boolean force;
        @Option(names = {"-t", "--time"}, description = "Seconds to wait for running containers to stop before killing the container")
        Integer time;
        @Parameters(arity = "1..*", paramLabel = "NETWORK")
        List<String> names;

        @Override
        int run() {
            if (time != null && !force) {
                throw new IllegalArgumentException("--force option must be specified to use the --time option");
            }
            List<ApiException> errors = new ArrayList<>();
            for (String n : names) {
                try {
                    JsonNode r = api().delete("networks/" + Api.seg(n),
                            Api.query("force", force ? "true" : null, "timeout", time));
                    for (JsonNode x : r) {
                        JsonNode err = x.path("Err");
                        if (err.isMissingNode() || err.isNull()) {
                            out.println(x.path("Name").asText(n));
                        } else {
                            errors.add(new ApiException(500, err.isTextual() ? err.asText() : err.toString()));
                        }
                    }
                } catch (ApiException e) {
                    if (force && rmCode(e) == 1) {
                        continue;
                    }
                    errors.add(e);
                }
            }
            return finish(errors, NetworkCommands::rmCode);
        }
    }

    @Command(name = "connect", description = "Add container to a network")
    static final class Connect extends Base {
        @Option(names = "--alias", split = ",", description = "Network scoped alias for container")
        List<String> aliases = new ArrayList<>();
        @Option(names = "--ip", description = "Set a static ipv4 address for this container network")
        String ip;
        @Option(names = "--ip6", description = "Set a static ipv6 address for this container network")
        String ip6;
        @Option(names = "--mac-address", description = "Set a static mac address for this container network")
        String mac;
        @Parameters(index = "0", paramLabel = "NETWORK")
        String network;
        @Parameters(index = "1", paramLabel = "CONTAINER")
        String container;

        @Override
        int run() {
            ObjectNode b = Api.JSON.createObjectNode();
            b.put("container", container);
            ArrayNode ips = Api.JSON.createArrayNode();
            for (String[] a : new String[][] {{"--ip", ip}, {"--ip6", ip6}}) {
                if (a[1] != null) {
                    NetworkFlags.requireIp(a[1], "invalid argument \"" + a[1] + "\" for \"" + a[0]
                            + "\" flag: invalid string being converted to IP address: " + a[1]);
                    ips.add(a[1]);
                }
            }
            if (!ips.isEmpty()) {
                b.set("static_ips", ips);
            }
            if (mac != null) {
                if (!mac.matches("(?i)[0-9a-f]{2}(:[0-9a-f]{2}){5}")) {
                    throw new IllegalArgumentException("address " + mac + ": invalid MAC address");
                }
                b.put("static_mac", mac.toLowerCase(Locale.ROOT));
            }
            if (!aliases.isEmpty()) {
                ArrayNode a = b.putArray("aliases");
                aliases.forEach(a::add);
            }
            api().post("networks/" + Api.seg(network) + "/connect", null, b);
            return 0;
        }
    }

    @Command(name = "disconnect", description = "Disconnect a container from a network")
    static final class Disconnect extends Base {
        @Option(names = {"-f", "--force"}, description = "Force removal of container from network")
        boolean force;
        @Parameters(index = "0", paramLabel = "NETWORK")
        String network;
        @Parameters(index = "1", paramLabel = "CONTAINER")
        String container;

        @Override
        int run() {
            ObjectNode b = Api.JSON.createObjectNode();
            b.put("Container", container);
            b.put("Force", force);
            api().post("networks/" + Api.seg(network) + "/disconnect", null, b);
            return 0;
        }
    }

    /** podman's [y/N] question; false (do nothing) on anything but y. */
    static boolean confirm(java.io.PrintStream out) {
        out.print("Are you sure you want to continue? [y/N] ");
        out.flush();
        try {
            String answer = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            return answer != null && answer.trim().toLowerCase(Locale.ROOT).startsWith("y");
        } catch (IOException e) {
            return false;
        }
    }

    @Command(name = "prune", description = "Prune unused networks")
    static final class Prune extends Base {
        @Option(names = {"-f", "--force"}, description = "Do not prompt for confirmation")
        boolean force;
        @Option(names = "--filter", description = "Provide filter values (e.g. 'label=<key>=<value>')")
        List<String> filters = new ArrayList<>();

        @Override
        int run() {
            if (!force) {
                out.println("WARNING! This will remove all networks not used by at least one container.");
                if (!confirm(out)) {
                    return 0;
                }
            }
            JsonNode r = api().post("networks/prune",
                    Api.query("filters", Filters.query(filters)), null);
            List<ApiException> errors = new ArrayList<>();
            for (JsonNode x : r) {
                JsonNode err = x.path("Error");
                if (err.isMissingNode() || err.isNull()) {
                    out.println(x.path("Name").asText());
                } else {
                    errors.add(new ApiException(500, err.isTextual() ? err.asText() : err.toString()));
                }
            }
            return finish(errors, e -> 0);
        }
    }

    @Command(name = "exists", description = "Network exists")
    static final class Exists extends Base {
        @Parameters(arity = "1", paramLabel = "NETWORK")
        String name;

        @Override
        int run() {
            return exists("networks/" + Api.seg(name) + "/exists");
        }
    }
}
