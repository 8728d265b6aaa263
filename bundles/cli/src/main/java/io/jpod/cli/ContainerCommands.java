package io.jpod.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.http.HttpMethod;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Container commands: ps, run, create, start, stop, kill, restart, pause, unpause, rm, wait, logs, exec, inspect. */
final class ContainerCommands {
    private ContainerCommands() {
    }

    static final Map<String, String> PS_HEADERS = Map.of("ID", "CONTAINER ID", "CreatedHuman", "CREATED",
            "RunningFor", "CREATED", "Names", "NAMES");
    static final String PS_TABLE = "table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.CreatedHuman}}\t{{.Status}}\t{{.Ports}}\t{{.Names}}";

    @Command(name = "ps", description = "List containers")
    static final class Ps extends Base {
        @Option(names = {"-a", "--all"}, description = "Show all the containers, default is only running containers")
        boolean all;
        @Option(names = {"-q", "--quiet"}, description = "Print the numeric IDs of the containers only")
        boolean quiet;
        @Option(names = "--no-trunc", description = "Display the extended information")
        boolean noTrunc;
        @Option(names = {"-f", "--filter"}, description = "Filter output based on conditions given")
        List<String> filters = new ArrayList<>();
        @Option(names = "--format", description = "Pretty-print containers to JSON or using a Go template")
        String format;
        @Option(names = {"-n", "--last"}, description = "Print the n last created containers (all states)", defaultValue = "-1")
        int last;
        @Option(names = {"-p", "--pod"}, description = "Print the ID and name of the pod the containers are associated with")
        boolean pod;

        @Override
        int run() {
            Map<String, Object> q = Api.query("all", all || last > 0 ? "true" : null,
                    "limit", last > 0 ? last : null,
                    "filters", Filters.query(filters));
            JsonNode list = api().get("containers/json", q);
            Instant now = Instant.now();
            if ("json".equals(format)) {
                ArrayNode arr = Api.JSON.createArrayNode();
                for (JsonNode c : list) {
                    ObjectNode o = ((ObjectNode) c).deepCopy();
                    Instant created = Times.parseRfc3339(c.path("Created").asText());
                    o.put("Status", status(c, now));
                    o.put("CreatedAt", created == null ? "" : Times.ago(created, now));
                    o.put("Created", created == null ? 0 : created.getEpochSecond());
                    arr.add(o);
                }
                out.println(pretty(arr, 2));
                return 0;
            }
            List<Map<String, Object>> rows = new ArrayList<>();
            Map<String, String> podNames = new LinkedHashMap<>();
            if (pod) {
                api().get("pods/json", null).forEach(p -> podNames.put(p.path("Id").asText(), p.path("Name").asText()));
            }
            for (JsonNode c : list) {
                Map<String, Object> r = row(c, now, noTrunc);
                String podId = c.path("Pod").asText("");
                r.put("Pod", noTrunc ? podId : shortId(podId));
                r.put("PodName", podNames.getOrDefault(podId, ""));
                rows.add(r);
            }
            Map<String, String> headers = new LinkedHashMap<>(PS_HEADERS);
            headers.put("Pod", "POD ID");
            headers.put("PodName", "PODNAME");
            print(rows, quiet && format == null ? "{{.ID}}" : format, pod ? PS_TABLE + "\t{{.Pod}}\t{{.PodName}}"
                    : PS_TABLE, headers);
            return 0;
        }

        /** podman's psReporter: the fields a --format template sees. */
        static Map<String, Object> row(JsonNode c, Instant now, boolean noTrunc) {
            Map<String, Object> r = new LinkedHashMap<>(plain(c));
            String id = c.path("Id").asText();
            Instant created = Times.parseRfc3339(c.path("Created").asText());
            r.put("ID", noTrunc ? id : shortId(id));
            r.put("ImageID", noTrunc ? c.path("ImageID").asText() : shortId(c.path("ImageID").asText()));
            List<String> cmd = new ArrayList<>();
            c.path("Command").forEach(x -> cmd.add(x.asText()));
            String command = String.join(" ", cmd);
            r.put("Command", !noTrunc && command.length() > 17 ? command.substring(0, 17) + "..." : command);
            String createdText = created == null ? "" : Times.goString(created);
            String ago = created == null ? "" : Times.ago(created, now);
            String status = status(c, now);
            r.put("Created", createdText);
            r.put("CreatedAt", createdText);
            r.put("CreatedHuman", ago);
            r.put("RunningFor", ago);
            r.put("Status", status);
            r.put("State", status);
            List<String> names = new ArrayList<>();
            c.path("Names").forEach(x -> names.add(x.asText()));
            r.put("Names", String.join(",", names));
            List<String> nets = new ArrayList<>();
            c.path("Networks").forEach(x -> nets.add(x.asText()));
            r.put("Networks", String.join(",", nets));
            r.put("Ports", ports(c.path("Ports")));
            r.put("Labels", c.path("Labels").isObject() ? plain(c.path("Labels")) : Map.of());
            r.put("Size", "");
            return r;
        }

        /** podman's psReporter.Status: the state, and the health status libpod's list gives as Status. */
        static String status(JsonNode c, Instant now) {
            String health = c.path("Status").asText("");
            String state = stateText(c, now);
            return health.isEmpty() ? state : state + " (" + health + ")";
        }

        static String stateText(JsonNode c, Instant now) {
            String state = c.path("State").asText();
            switch (state) {
                case "running":
                    return "Up " + Times.ago(Instant.ofEpochSecond(c.path("StartedAt").asLong()), now);
                case "configured":
                case "created":
                    return "Created";
                case "exited":
                case "stopped":
                    return "Exited (" + c.path("ExitCode").asInt() + ") "
                            + Times.ago(Instant.ofEpochSecond(c.path("ExitedAt").asLong()), now);
                case "paused":
                    return "Paused";
                default:
                    return state.isEmpty() ? "" : Character.toUpperCase(state.charAt(0)) + state.substring(1);
            }
        }

        static String ports(JsonNode ports) {
            List<String> out = new ArrayList<>();
            for (JsonNode p : ports) {
                String ip = p.path("host_ip").asText("");
                out.add((ip.isEmpty() ? "0.0.0.0" : ip) + ":" + p.path("host_port").asInt() + "->"
                        + p.path("container_port").asInt() + "/" + p.path("protocol").asText("tcp"));
            }
            return String.join(", ", out);
        }
    }

    /** The flags of create and run, made into libpod's SpecGenerator. */
    abstract static class CreateFlags extends Base {
        @Option(names = "--name", description = "Assign a name to the container")
        String name;
        @Option(names = "--pull", description = "Pull image policy: always, missing, never, newer (default missing)")
        String pull = "missing";
        @Option(names = {"-q", "--quiet"}, description = "Suppress output information when pulling images")
        boolean quietPull;
        @picocli.CommandLine.Mixin
        RegistryFlags registry = new RegistryFlags();
        @Option(names = {"-e", "--env"}, description = "Set environment variables in container")
        List<String> env = new ArrayList<>();
        @Option(names = "--env-file", description = "Read in a file of environment variables")
        List<Path> envFiles = new ArrayList<>();
        @Option(names = {"-v", "--volume"}, description = "Bind mount a volume into the container (host:ctr[:ro])")
        List<String> volumes = new ArrayList<>();
        @Option(names = "--entrypoint", description = "Overwrite the default ENTRYPOINT of the image")
        String entrypoint;
        @Option(names = {"-w", "--workdir"}, description = "Working directory inside the container")
        String workdir;
        @Option(names = {"-u", "--user"}, description = "Username or UID (format: <name|uid>[:<group|gid>])")
        String user;
        @Option(names = {"-l", "--label"}, description = "Set metadata on container")
        List<String> labels = new ArrayList<>();
        @Option(names = "--restart", description = "Restart policy to apply when a container exits (\"always\", \"no\", \"on-failure[:max]\", \"unless-stopped\")")
        String restart;
        @Option(names = {"-p", "--publish"}, description = "Publish a container's port to the host ([ip:]hostPort:containerPort[/proto])")
        List<String> publish = new ArrayList<>();
        @Option(names = {"--network", "--net"}, description = "Connect a container to a network (bridge, host, none, ns:path, or networks: NAME[:ip=IP,mac=MAC])")
        List<String> network = new ArrayList<>();
        @Option(names = "--ip", description = "Specify a static IPv4 address for the container")
        String ip;
        @Option(names = "--mac-address", description = "Container MAC address (e.g. 92:d0:c6:0a:29:33)")
        String macAddress;
        @Option(names = {"-h", "--hostname"}, description = "Set container hostname")
        String hostname;
        @Option(names = "--runtime", description = "Path to the OCI-compatible binary used to run containers")
        String runtime;
        @Option(names = "--rm", description = "Remove container (and pod if created) after exit")
        boolean rm;
        @Option(names = {"-i", "--interactive"}, description = "Keep STDIN open even if not attached")
        boolean interactive;
        @Option(names = {"-t", "--tty"}, description = "Allocate a pseudo-TTY for container")
        boolean tty;
        @Option(names = "--stop-signal", description = "Signal to stop a container")
        String stopSignal;
        @Option(names = "--stop-timeout", description = "Timeout (in seconds) to stop a container", defaultValue = "-1")
        int stopTimeout;
        @Option(names = "--ulimit", description = "Ulimit options (type=soft[:hard])")
        List<String> ulimits = new ArrayList<>();
        @Option(names = "--pod", description = "Run container in an existing pod, or a new one with new:NAME")
        String pod;
        @picocli.CommandLine.Mixin
        LimitFlags limits = new LimitFlags();
        @picocli.CommandLine.Mixin
        HealthFlags health = new HealthFlags();
        @picocli.CommandLine.Mixin
        DnsFlags dns = new DnsFlags();
        @Parameters(index = "0", paramLabel = "IMAGE")
        String image;
        @Parameters(index = "1..*", paramLabel = "COMMAND")
        List<String> command = new ArrayList<>();

        ObjectNode spec() throws IOException {
            ObjectNode s = Specs.spec(this);
            limits.apply(s);
            health.apply(s);
            dns.apply(s, false);
            if (pod != null && !pod.isEmpty()) {
                s.put("pod", PodCommands.forContainer(api(), pod, s));
            }
            return s;
        }

        /**
         * Creates the container, pulling its image as {@code --pull} says: always and newer pull first; missing
         * (the default) pulls when the create finds no image; never does not pull.
         */
        String create() throws IOException {
            String policy = pull == null || pull.isEmpty() ? "missing" : pull.toLowerCase(java.util.Locale.ROOT);
            if (!List.of("always", "missing", "never", "newer", "true", "false").contains(policy)) {
                throw new IllegalArgumentException("invalid pull policy \"" + pull + "\"");
            }
            if (policy.equals("always") || policy.equals("true") || policy.equals("newer")) {
                pullImage(policy);
            }
            ObjectNode spec = spec();
            try {
                return api().post("containers/create", null, spec).path("Id").asText();
            } catch (ApiException e) {
                if (e.status != 404 || !e.getMessage().toLowerCase(java.util.Locale.ROOT).contains("image")
                        || !policy.equals("missing")) {
                    throw e;
                }
            }
            pullImage("missing");
            return api().post("containers/create", null, spec).path("Id").asText();
        }

        private void pullImage(String policy) throws IOException {
            java.io.PrintStream err = quietPull ? null : new java.io.PrintStream(
                    new java.io.FileOutputStream(java.io.FileDescriptor.err), true, java.nio.charset.StandardCharsets.UTF_8);
            RegistryFlags.pull(api(), image, policy, null, registry, err);
        }
    }

    @Command(name = "create", description = "Create but do not start a container")
    static final class Create extends CreateFlags {
        @Override
        int run() throws IOException {
            out.println(create());
            return 0;
        }
    }

    @Command(name = "run", description = "Run a command in a new container")
    static final class Run extends CreateFlags {
        @Option(names = {"-d", "--detach"}, description = "Run container in background and print container ID")
        boolean detach;

        @Override
        ObjectNode spec() throws IOException {
            ObjectNode s = super.spec();
            // attached: removed here after the wait, so that its exit code is read first (as podman-remote)
            s.put("remove", rm && detach);
            return s;
        }

        @Override
        int run() throws IOException {
            String id = create();
            if (detach) {
                startOrRemove(id);
                out.println(id);
                return 0;
            }
            int code;
            try {
                code = Attach.startAttached(api(), id, interactive, tty, true, out);
            } catch (RuntimeException e) {
                if (rm) {
                    removeQuietly(id);
                }
                throw e;
            }
            if (rm) {
                removeQuietly(id);
            }
            return code;
        }

        private void startOrRemove(String id) {
            try {
                api().post("containers/" + Api.seg(id) + "/start", null, null);
            } catch (ApiException e) {
                if (rm) {
                    removeQuietly(id);
                }
                throw e;
            }
        }

        void removeQuietly(String id) {
            try {
                api().delete("containers/" + Api.seg(id), Api.query("force", "true", "v", "true"));
            } catch (ApiException e) {
                if (e.status != 404) {
                    throw e;
                }
            }
        }
    }

    @Command(name = "start", description = "Start one or more containers")
    static final class Start extends Base {
        @Option(names = {"-a", "--attach"}, description = "Attach container's STDOUT and STDERR")
        boolean attach;
        @Option(names = {"-i", "--interactive"}, description = "Keep STDIN open even if not attached")
        boolean interactive;
        @Parameters(arity = "1..*", paramLabel = "CONTAINER")
        List<String> containers;

        @Override
        int run() throws IOException {
            if (attach) {
                if (containers.size() > 1) {
                    throw new IllegalArgumentException("you cannot start and attach multiple containers at once");
                }
                String id = containers.get(0);
                boolean ttyMode = api().get("containers/" + Api.seg(id) + "/json", null).path("Config").path("Tty").asBoolean();
                return Attach.startAttached(api(), id, interactive, ttyMode, true, out);
            }
            return each(containers, c -> api().post("containers/" + Api.seg(c) + "/start", null, null), out);
        }
    }

    interface Action {
        void apply(String container);
    }

    /** Applies an action to each container, printing each name; the last error is returned, the others printed. */
    static int each(List<String> containers, Action action, java.io.PrintStream out) {
        ApiException last = null;
        for (String c : containers) {
            try {
                action.apply(c);
                out.println(c);
            } catch (ApiException e) {
                if (last != null) {
                    System.err.println("Error: " + last.getMessage());
                }
                last = e;
            }
        }
        if (last != null) {
            throw last;
        }
        return 0;
    }

    @Command(name = "stop", description = "Stop one or more containers")
    static final class Stop extends Base {
        @Option(names = {"-t", "--time"}, description = "Seconds to wait for stop before killing the container", defaultValue = "-1")
        int time;
        @Option(names = {"-a", "--all"}, description = "Stop all running containers")
        boolean all;
        @Parameters(arity = "0..*", paramLabel = "CONTAINER")
        List<String> containers = new ArrayList<>();

        @Override
        int run() {
            List<String> targets = all ? ids(this, false) : required(containers);
            return each(targets, c -> api().post("containers/" + Api.seg(c) + "/stop",
                    Api.query("timeout", time >= 0 ? time : null), null), out);
        }
    }

    static List<String> required(List<String> containers) {
        if (containers.isEmpty()) {
            throw new IllegalArgumentException("you must provide at least one container name or id");
        }
        return containers;
    }

    static List<String> ids(Base cmd, boolean all) {
        List<String> ids = new ArrayList<>();
        cmd.api().get("containers/json", Api.query("all", all ? "true" : null)).forEach(c -> ids.add(c.path("Id").asText()));
        return ids;
    }

    @Command(name = "kill", description = "Kill one or more running containers with a specific signal")
    static final class Kill extends Base {
        @Option(names = {"-s", "--signal"}, description = "Signal to send to the container", defaultValue = "KILL")
        String signal;
        @Option(names = {"-a", "--all"}, description = "Signal all running containers")
        boolean all;
        @Parameters(arity = "0..*", paramLabel = "CONTAINER")
        List<String> containers = new ArrayList<>();

        @Override
        int run() {
            List<String> targets = all ? ids(this, false) : required(containers);
            return each(targets, c -> api().post("containers/" + Api.seg(c) + "/kill", Api.query("signal", signal), null), out);
        }
    }

    @Command(name = "restart", description = "Restart one or more containers")
    static final class Restart extends Base {
        @Option(names = {"-t", "--time"}, description = "Seconds to wait for stop before killing the container", defaultValue = "-1")
        int time;
        @Parameters(arity = "1..*", paramLabel = "CONTAINER")
        List<String> containers;

        @Override
        int run() {
            return each(containers, c -> api().post("containers/" + Api.seg(c) + "/restart",
                    Api.query("t", time >= 0 ? time : null), null), out);
        }
    }

    @Command(name = "pause", description = "Pause all the processes in one or more containers")
    static final class Pause extends Base {
        @Parameters(arity = "1..*", paramLabel = "CONTAINER")
        List<String> containers;

        @Override
        int run() {
            return each(containers, c -> api().post("containers/" + Api.seg(c) + "/pause", null, null), out);
        }
    }

    @Command(name = "unpause", description = "Unpause the processes in one or more containers")
    static final class Unpause extends Base {
        @Parameters(arity = "1..*", paramLabel = "CONTAINER")
        List<String> containers;

        @Override
        int run() {
            return each(containers, c -> api().post("containers/" + Api.seg(c) + "/unpause", null, null), out);
        }
    }

    @Command(name = "rm", description = "Remove one or more containers")
    static final class Rm extends Base {
        @Option(names = {"-f", "--force"}, description = "Force removal of a running or unusable container")
        boolean force;
        @Option(names = {"-a", "--all"}, description = "Remove all containers")
        boolean all;
        @Option(names = {"-v", "--volumes"}, description = "Remove anonymous volumes associated with the container")
        boolean volumes;
        @Parameters(arity = "0..*", paramLabel = "CONTAINER")
        List<String> containers = new ArrayList<>();

        @Override
        int run() {
            List<String> targets = all ? ids(this, true) : required(containers);
            return each(targets, c -> api().delete("containers/" + Api.seg(c),
                    Api.query("force", force ? "true" : null, "v", volumes ? "true" : null)), out);
        }
    }

    @Command(name = "wait", description = "Block on one or more containers")
    static final class Wait extends Base {
        @Option(names = "--condition", description = "Condition to wait on", defaultValue = "stopped")
        String condition;
        @Parameters(arity = "1..*", paramLabel = "CONTAINER")
        List<String> containers;

        @Override
        int run() {
            ApiException last = null;
            for (String c : containers) {
                try {
                    JsonNode code = api().post("containers/" + Api.seg(c) + "/wait", Api.query("condition", condition), null);
                    out.println(code.isObject() ? code.path("StatusCode").asInt() : code.asInt());
                } catch (ApiException e) {
                    if (last != null) {
                        System.err.println("Error: " + last.getMessage());
                    }
                    last = e;
                }
            }
            if (last != null) {
                throw last;
            }
            return 0;
        }
    }

    @Command(name = "logs", description = "Fetch the logs of one or more containers")
    static final class Logs extends Base {
        @picocli.CommandLine.Mixin
        LogFlags flags = new LogFlags();
        @Parameters(arity = "1", paramLabel = "CONTAINER")
        String container;

        @Override
        int run() throws IOException {
            Map<String, Object> q = flags.query();
            try (InputStream in = api().stream(HttpMethod.GET, "containers/" + Api.seg(container) + "/logs", q)) {
                Attach.copyOutput(new java.io.BufferedInputStream(in), false, out);
            }
            return 0;
        }
    }

    @Command(name = "exec", description = "Run a process in a running container")
    static final class Exec extends Base {
        @Option(names = {"-i", "--interactive"}, description = "Keep STDIN open even if not attached")
        boolean interactive;
        @Option(names = {"-t", "--tty"}, description = "Allocate a pseudo-TTY")
        boolean tty;
        @Option(names = {"-e", "--env"}, description = "Set environment variables")
        List<String> env = new ArrayList<>();
        @Option(names = {"-u", "--user"}, description = "Sets the username or UID used")
        String user;
        @Option(names = {"-w", "--workdir"}, description = "Working directory inside the container")
        String workdir;
        @Option(names = {"-d", "--detach"}, description = "Run the exec session in detached mode (backgrounded)")
        boolean detach;
        @Parameters(index = "0", paramLabel = "CONTAINER")
        String container;
        @Parameters(index = "1..*", arity = "1..*", paramLabel = "COMMAND")
        List<String> command;

        @Override
        int run() throws IOException {
            ObjectNode cfg = Api.JSON.createObjectNode();
            cfg.put("AttachStdin", interactive && !detach);
            cfg.put("AttachStdout", !detach);
            cfg.put("AttachStderr", !detach);
            cfg.put("Tty", tty);
            ArrayNode cmd = cfg.putArray("Cmd");
            command.forEach(cmd::add);
            ArrayNode e = cfg.putArray("Env");
            Specs.envList(env).forEach(e::add);
            if (user != null) {
                cfg.put("User", user);
            }
            if (workdir != null) {
                cfg.put("WorkingDir", workdir);
            }
            String id = api().post("containers/" + Api.seg(container) + "/exec", null, cfg).path("Id").asText();
            ObjectNode start = Api.JSON.createObjectNode().put("Detach", detach).put("Tty", tty);
            if (detach) {
                api().post("exec/" + id + "/start", null, start);
                out.println(id);
                return 0;
            }
            try (Hijack h = api().hijack("exec/" + id + "/start", null, start)) {
                Attach.pump(h, interactive, tty, out, Attach.resizer(api(), "exec/" + id + "/resize"));
            }
            JsonNode info = api().get("exec/" + id + "/json", null);
            return info.path("ExitCode").asInt();
        }
    }

    @Command(name = "inspect", description = "Display the configuration of a container or image")
    static final class Inspect extends Base {
        @Option(names = {"-f", "--format"}, description = "Format the output to a Go template or json")
        String format;
        @Option(names = {"-t", "--type"}, description = "Specify inspect-object type (\"image\", \"container\" or \"all\")", defaultValue = "all")
        String type;
        @Parameters(arity = "1..*", paramLabel = "NAME")
        List<String> names;

        @Override
        int run() {
            ArrayNode found = Api.JSON.createArrayNode();
            List<String> missing = new ArrayList<>();
            for (String n : names) {
                JsonNode obj = null;
                if (!type.equals("image")) {
                    obj = tryGet("containers/" + Api.seg(n) + "/json");
                }
                if (obj == null && !type.equals("container")) {
                    obj = tryGet("images/" + Api.seg(n) + "/json");
                }
                if (obj == null) {
                    missing.add(n);
                } else {
                    found.add(obj);
                }
            }
            if (format == null || format.equals("json")) {
                out.println(pretty(found, 4));
            } else {
                List<Map<String, Object>> rows = new ArrayList<>();
                for (JsonNode o : found) {
                    Map<String, Object> r = plain(o);
                    r.putIfAbsent("ID", o.path("Id").asText());
                    rows.add(r);
                }
                print(rows, format, format, Map.of());
            }
            if (!missing.isEmpty()) {
                for (int i = 0; i < missing.size() - 1; i++) {
                    System.err.println("Error: no such object: \"" + missing.get(i) + "\"");
                }
                throw new ApiException(404, "no such object: \"" + missing.get(missing.size() - 1) + "\"");
            }
            return 0;
        }

        private JsonNode tryGet(String path) {
            try {
                return api().get(path, null);
            } catch (ApiException e) {
                if (e.status == 404) {
                    return null;
                }
                throw e;
            }
        }
    }

    static String readAll(Path p) throws IOException {
        return Files.readString(p, StandardCharsets.UTF_8);
    }
}
