package io.jpod.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code jpod pod}: podman 4.3's pod commands over {@code /libpod/pods}. */
final class PodCommands {
    private PodCommands() {
    }

    static final Map<String, String> PS_HEADERS = Map.of("ID", "POD ID", "InfraID", "INFRA ID",
            "NumberOfContainers", "# OF CONTAINERS", "ContainerNames", "NAMES", "ContainerIds", "IDS",
            "ContainerStatuses", "STATUS");

    @Command(name = "pod", description = "Manage pods",
            subcommands = {Create.class, Start.class, Stop.class, Restart.class, Kill.class, Pause.class,
                Unpause.class, Rm.class, Prune.class, Exists.class, Ps.class, Inspect.class, Top.class, PodStatsCommand.class, PodLogsCommand.class,
                CommandLine.HelpCommand.class})
    static final class Group extends CommandGroup {
    }

    @Command(name = "create", description = "Create a new empty pod")
    static final class Create extends Base {
        @Option(names = "--name", description = "Assign a name to the pod")
        String name;
        @Option(names = {"-p", "--publish"}, description = "Publish a port or a range of ports of the pod to the host")
        List<String> publish = new ArrayList<>();
        @Option(names = "--hostname", description = "Set a hostname to the pod")
        String hostname;
        @Option(names = {"-l", "--label"}, description = "Set metadata on pod (default [])")
        List<String> labels = new ArrayList<>();
        @Option(names = "--share", description = "A comma delimited list of kernel namespaces the pod will share",
                defaultValue = "ipc,net,uts")
        String share;
        @Option(names = "--infra", description = "Create an infra container associated with the pod to share namespaces with",
                defaultValue = "true", arity = "0..1", fallbackValue = "true")
        boolean infra;
        @Option(names = {"--network", "--net"}, description = "Connect the pod to a network (bridge, host, none or network names)")
        List<String> network = new ArrayList<>();
        @Option(names = "--ip", description = "Specify a static IPv4 address for the pod")
        String ip;
        @Option(names = "--mac-address", description = "Pod MAC address (e.g. 92:d0:c6:0a:29:33)")
        String macAddress;
        @picocli.CommandLine.Mixin
        DnsFlags dns = new DnsFlags();
        @Parameters(arity = "0..1", paramLabel = "NAME")
        String positionalName;

        @Override
        int run() throws Exception {
            if (name != null && positionalName != null && !name.equals(positionalName)) {
                throw new IllegalArgumentException("cannot specify --name and NAME at the same time");
            }
            out.println(api().post("pods/create", null, body(List.of())).path("Id").asText());
            return 0;
        }

        ObjectNode body(List<String> moreCommand) {
            ObjectNode b = Api.JSON.createObjectNode();
            String n = name != null ? name : positionalName;
            if (n != null) {
                b.put("name", n);
            }
            if (hostname != null) {
                b.put("hostname", hostname);
            }
            NetworkCommands.putMap(b, "labels", NetworkCommands.keyValues(labels));
            if (infra) {
                ArrayNode s = b.putArray("shared_namespaces");
                for (String k : share.split(",")) {
                    if (!k.isBlank()) {
                        s.add(k.trim());
                    }
                }
            } else {
                b.put("no_infra", true);
                if (!share.equals("ipc,net,uts")) {
                    throw new IllegalArgumentException("cannot set share(" + share
                            + ") namespaces without an infra container");
                }
            }
            ports(b, publish);
            String mode = "";
            ObjectNode nets = Api.JSON.createObjectNode();
            for (String net : network) {
                switch (net) {
                    case "bridge", "host", "none" -> mode = net;
                    default -> nets.putObject(net);
                }
            }
            if (!mode.isEmpty()) {
                b.putObject("netns").put("nsmode", mode);
            }
            if (!nets.isEmpty()) {
                b.set("Networks", nets);
            }
            if (ip != null || macAddress != null) {
                if (!infra) {
                    throw new IllegalArgumentException("cannot set --" + (ip != null ? "ip" : "mac")
                            + " without infra container: invalid argument");
                }
                // as podman's client: the one network's options, "default" when the pod names none
                ObjectNode spec = Api.JSON.createObjectNode();
                NetworkFlags.apply(spec, network, ip, macAddress);
                b.set("Networks", spec.get("Networks"));
            }
            dns.apply(b, true);
            return b;
        }
    }

    static void ports(ObjectNode b, List<String> publish) {
        if (!publish.isEmpty()) {
            ArrayNode pm = b.putArray("portmappings");
            publish.forEach(p -> pm.add(Specs.portMapping(p)));
        }
    }

    /**
     * The pod a container joins for {@code --pod}: its name, or with {@code new:NAME} a pod made for it that
     * takes the container's published ports and networks (as podman moves them to the new pod's infra
     * container).
     */
    static String forContainer(Api api, String pod, ObjectNode containerSpec) {
        if (!pod.startsWith("new:")) {
            return pod;
        }
        String name = pod.substring(4);
        if (name.isEmpty()) {
            throw new IllegalArgumentException("--pod new: needs a name for the new pod");
        }
        ObjectNode b = Api.JSON.createObjectNode();
        b.put("name", name);
        // the network is the new pod's: its ports and networks go to the infra container
        for (String field : List.of("portmappings", "netns", "Networks", "dns_server", "dns_search", "dns_option")) {
            JsonNode moved = containerSpec.remove(field);
            if (moved != null) {
                b.set(field, moved);
            }
        }
        api.post("pods/create", null, b);
        return name;
    }

    /** start, stop, restart, kill, pause, unpause: each pod's ID, or its error (podman's exit code 125). */
    abstract static class Action extends Base {
        @Option(names = {"-a", "--all"}, description = "Act on all pods")
        boolean all;
        @Parameters(arity = "0..*", paramLabel = "POD")
        List<String> pods = new ArrayList<>();

        abstract String action();

        Map<String, Object> query() {
            return null;
        }

        @Override
        int run() {
            if (all == !pods.isEmpty()) {
                throw new IllegalArgumentException("when using the --all switch, you may not pass any pods names or IDs");
            }
            List<String> targets = new ArrayList<>(pods);
            if (all) {
                api().get("pods/json", null).forEach(p -> targets.add(p.path("Id").asText()));
            }
            List<ApiException> errors = new ArrayList<>();
            for (String p : targets) {
                try {
                    JsonNode r = api().post("pods/" + Api.seg(p) + "/" + action(), query(), null);
                    String id = r == null || r.path("Id").asText().isEmpty() ? full(p) : r.path("Id").asText();
                    out.println(id);
                } catch (ApiException e) {
                    errors.add(e);
                }
            }
            // podman's pod commands exit 125 on any error
            return NetworkCommands.finish(errors, e -> 0);
        }

        /** The ID of a pod that answered 304 (nothing to do). */
        private String full(String p) {
            return api().get("pods/" + Api.seg(p) + "/json", null).path("Id").asText();
        }
    }

    @Command(name = "start", description = "Start one or more pods")
    static final class Start extends Action {
        @Override
        String action() {
            return "start";
        }
    }

    @Command(name = "stop", description = "Stop one or more pods")
    static final class Stop extends Action {
        @Option(names = {"-t", "--time"}, description = "Seconds to wait for pod stop before killing the container")
        Integer time;

        @Override
        String action() {
            return "stop";
        }

        @Override
        Map<String, Object> query() {
            return Api.query("t", time);
        }
    }

    @Command(name = "restart", description = "Restart one or more pods")
    static final class Restart extends Action {
        @Override
        String action() {
            return "restart";
        }
    }

    @Command(name = "kill", description = "Send the specified signal or SIGKILL to containers in pod")
    static final class Kill extends Action {
        @Option(names = {"-s", "--signal"}, description = "Signal to send to the containers in the pod", defaultValue = "KILL")
        String signal;

        @Override
        String action() {
            return "kill";
        }

        @Override
        Map<String, Object> query() {
            return Api.query("signal", signal);
        }
    }

    @Command(name = "pause", description = "Pause one or more pods")
    static final class Pause extends Action {
        @Override
        String action() {
            return "pause";
        }
    }

    @Command(name = "unpause", description = "Unpause one or more pods")
    static final class Unpause extends Action {
        @Override
        String action() {
            return "unpause";
        }
    }

    @Command(name = "rm", description = "Remove one or more pods")
    static final class Rm extends Base {
        @Option(names = {"-a", "--all"}, description = "Remove all running pods")
        boolean all;
        @Option(names = {"-f", "--force"}, description = "Force removal of a running pod by first stopping all containers, then removing all containers in the pod")
        boolean force;
        @Option(names = {"-i", "--ignore"}, description = "Ignore errors when a specified pod is missing")
        boolean ignore;
        @Parameters(arity = "0..*", paramLabel = "POD")
        List<String> pods = new ArrayList<>();

        @Override
        int run() {
            if (all == !pods.isEmpty()) {
                throw new IllegalArgumentException("when using the --all switch, you may not pass any pods names or IDs");
            }
            List<String> targets = new ArrayList<>(pods);
            if (all) {
                api().get("pods/json", null).forEach(p -> targets.add(p.path("Id").asText()));
            }
            List<ApiException> errors = new ArrayList<>();
            for (String p : targets) {
                try {
                    out.println(api().delete("pods/" + Api.seg(p), Api.query("force", force ? "true" : null))
                            .path("Id").asText());
                } catch (ApiException e) {
                    if (!(ignore && e.status == 404)) {
                        errors.add(e);
                    }
                }
            }
            // podman pod rm: 1 for a missing pod, 125 otherwise
            return NetworkCommands.finish(errors, e -> e.status == 404 ? 1 : 0);
        }
    }

    @Command(name = "prune", description = "Remove all stopped pods and their containers")
    static final class Prune extends Base {
        @Option(names = {"-f", "--force"}, description = "Do not prompt for confirmation")
        boolean force;

        @Override
        int run() {
            if (!force) {
                out.println("WARNING! This will remove all stopped/exited pods..");
                if (!NetworkCommands.confirm(out)) {
                    return 0;
                }
            }
            List<ApiException> errors = new ArrayList<>();
            for (JsonNode x : api().post("pods/prune", null, null)) {
                JsonNode err = x.path("Err");
                if (err.isMissingNode() || err.isNull()) {
                    out.println(x.path("Id").asText());
                } else {
                    errors.add(new ApiException(500, err.asText()));
                }
            }
            return NetworkCommands.finish(errors, e -> 0);
        }
    }

    @Command(name = "exists", description = "Check if a pod exists in local storage")
    static final class Exists extends Base {
        @Parameters(arity = "1", paramLabel = "POD")
        String name;

        @Override
        int run() {
            return exists("pods/" + Api.seg(name) + "/exists");
        }
    }

    @Command(name = "inspect", description = "Displays a pod configuration")
    static final class Inspect extends Base {
        @Option(names = {"-f", "--format"}, description = "Format the output to a Go template or json")
        String format;
        @Parameters(arity = "1", paramLabel = "POD")
        String name;

        @Override
        int run() {
            JsonNode pod = api().get("pods/" + Api.seg(name) + "/json", null);
            if (format == null || format.equals("json")) {
                out.println(pretty(pod, 5));
            } else {
                print(List.of(plain(pod)), format, format, Map.of());
            }
            return 0;
        }
    }

    @Command(name = "ps", aliases = {"ls", "list"}, description = "List pods")
    static final class Ps extends Base {
        @Option(names = "--ctr-names", description = "Display the container names")
        boolean ctrNames;
        @Option(names = "--ctr-ids", description = "Display the container UUIDs. If no-trunc is not set they will be truncated")
        boolean ctrIds;
        @Option(names = "--ctr-status", description = "Display the container status")
        boolean ctrStatus;
        @Option(names = {"-f", "--filter"}, description = "Filter output based on conditions given")
        List<String> filters = new ArrayList<>();
        @Option(names = "--format", description = "Pretty-print pods to JSON or using a Go template")
        String format;
        @Option(names = "--no-trunc", description = "Do not truncate pod and container IDs")
        boolean noTrunc;
        @Option(names = "--noheading", description = "Do not print headers")
        boolean noHeading;
        @Option(names = {"-q", "--quiet"}, description = "Print the numeric IDs of the pods only")
        boolean quiet;

        @Override
        int run() {
            JsonNode list = api().get("pods/json", Api.query("filters", Filters.query(filters)));
            if ("json".equals(format)) {
                out.println(pretty(list, 4));
                return 0;
            }
            Instant now = Instant.now();
            List<Map<String, Object>> rows = new ArrayList<>();
            list.forEach(p -> rows.add(row(p, now, noTrunc)));
            String f;
            if (quiet) {
                f = "{{.ID}}";
            } else if (format != null) {
                f = format;
            } else {
                StringBuilder t = new StringBuilder("{{.ID}}\t{{.Name}}\t{{.Status}}\t{{.Created}}\t{{.InfraID}}");
                if (!ctrNames && !ctrIds && !ctrStatus) {
                    t.append("\t{{.NumberOfContainers}}");
                }
                if (ctrIds) {
                    t.append("\t{{.ContainerIds}}");
                }
                if (ctrNames) {
                    t.append("\t{{.ContainerNames}}");
                }
                if (ctrStatus) {
                    t.append("\t{{.ContainerStatuses}}");
                }
                f = noHeading ? t.toString() : "table " + t;
            }
            if (!rows.isEmpty() || f.startsWith("table")) {
                print(rows, f, f, PS_HEADERS);
            }
            return 0;
        }

        /** podman's ListPodReporter: the fields a --format template sees. */
        static Map<String, Object> row(JsonNode p, Instant now, boolean noTrunc) {
            Map<String, Object> r = new LinkedHashMap<>(plain(p));
            String id = p.path("Id").asText();
            r.put("ID", noTrunc ? id : shortId(id));
            r.put("Id", id);
            String infra = p.path("InfraId").asText();
            r.put("InfraID", noTrunc ? infra : shortId(infra));
            Instant created = Times.parseRfc3339(p.path("Created").asText());
            r.put("Created", created == null ? "" : Times.ago(created, now));
            List<String> names = new ArrayList<>(), ids = new ArrayList<>(), statuses = new ArrayList<>();
            for (JsonNode c : p.path("Containers")) {
                names.add(c.path("Names").asText());
                ids.add(noTrunc ? c.path("Id").asText() : shortId(c.path("Id").asText()));
                statuses.add(c.path("Status").asText());
            }
            r.put("NumberOfContainers", Integer.toString(names.size()));
            r.put("ContainerNames", String.join(",", names));
            r.put("ContainerIds", String.join(",", ids));
            r.put("ContainerStatuses", String.join(",", statuses));
            List<String> nets = new ArrayList<>();
            p.path("Networks").forEach(n -> nets.add(n.asText()));
            r.put("Networks", String.join(",", nets));
            r.putIfAbsent("Labels", Map.of());
            return r;
        }
    }

    @Command(name = "top", description = "Display the running processes of containers in a pod")
    static final class Top extends Base {
        @Parameters(index = "0", paramLabel = "POD")
        String name;
        @Parameters(index = "1..*", paramLabel = "DESCRIPTORS")
        List<String> descriptors = new ArrayList<>();

        @Override
        int run() {
            JsonNode t = api().get("pods/" + Api.seg(name) + "/top",
                    Api.query("ps_args", descriptors.isEmpty() ? null : String.join(",", descriptors)));
            StringBuilder b = new StringBuilder();
            List<String> titles = new ArrayList<>();
            t.path("Titles").forEach(x -> titles.add(x.asText()));
            b.append(String.join("\t", titles)).append('\n');
            for (JsonNode row : t.path("Processes")) {
                List<String> cells = new ArrayList<>();
                row.forEach(x -> cells.add(x.asText()));
                b.append(String.join("\t", cells)).append('\n');
            }
            out.print(Template.align(b.toString()));
            return 0;
        }
    }
}
