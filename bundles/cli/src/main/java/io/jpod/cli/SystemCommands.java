package io.jpod.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** version, info, and the {@code system} group. */
final class SystemCommands {
    private SystemCommands() {
    }

    @Command(name = "system", description = "Manage jpod",
            subcommands = {InfoCmd.class, EventCommands.EventsCmd.class, Migrate.class, Renumber.class, Reload.class, Reset.class,
                Service.class, CommandLine.HelpCommand.class})
    static final class SystemGroup extends CommandGroup {
    }

    /**
     * As podman's: stops the running containers and, with {@code --new-runtime}, moves every container to
     * that OCI runtime. jpod's {@code --new-state} moves the state to another state provider instead. The service
     * does it, since jpod's engine lives there.
     */
    @Command(name = "migrate", description = {"Migrate containers", "",
        "With --new-state, moves the engine's state (containers, pods, volumes and the containers' exit codes) to "
        + "another state provider, e.g. from mapdb to sqlite: the target's store must be empty; jpod.conf's "
        + "database_backend is then set to it and the engine assembled again on it. Containers keep running, and "
        + "the old store is left as it was.", "",
        "Networks are not part of the state: they are files of their own in network_config_dir, whatever the "
        + "state provider, and stay as they are."})
    static final class Migrate extends Base {
        @Option(names = "--new-runtime", paramLabel = "RUNTIME",
                description = "Specify a new runtime for all containers")
        String newRuntime;

        @Option(names = "--new-state", paramLabel = "PROVIDER",
                description = "Move the state to this state provider (mapdb, sqlite)")
        String newState;

        @Override
        int run() {
            if (newState != null) {
                if (newRuntime != null) {
                    throw new CommandLine.ParameterException(spec.commandLine(),
                            "--new-state and --new-runtime cannot be given together: move the state first, then the"
                            + " containers' runtime");
                }
                JsonNode m = api().post("system/migrate", Api.query("new-state", newState), null);
                out.printf("moved the state from %s to %s: %d containers, %d pods, %d volumes, %d exit codes;"
                        + " %s names %s now%n", m.path("From").asText(), m.path("To").asText(),
                        m.path("Containers").asInt(), m.path("Pods").asInt(), m.path("Volumes").asInt(),
                        m.path("ExitCodes").asInt(), m.path("ConfigFile").asText(), m.path("To").asText());
                return 0;
            }
            api().post("system/migrate", Api.query("new-runtime", newRuntime), null);
            return 0;
        }
    }

    /**
     * As podman's: gives every container, pod and volume its lock again, as after a change of num_locks. The
     * service does it, since jpod's engine lives there.
     */
    @Command(name = "renumber", description = {"Migrate lock numbers", "",
        "Migrate lock numbers to handle a change in maximum number of locks.",
        "Mandatory after the number of locks in jpod.conf is changed."})
    static final class Renumber extends Base {
        @Override
        int run() {
            api().post("system/renumber", null, null);
            return 0;
        }
    }

    /**
     * As podman's: after a {@code [y/N]} question (unless forced) removes every pod, container, image, volume and
     * network but the default, through the API one by one; says nothing when all went. What could not be
     * removed is printed, and the command exits 125 then.
     */
    @Command(name = "reset", description = {"Reset jpod storage", "",
        "Reset jpod storage back to default state.",
        "All containers will be stopped and removed, and all images, volumes, networks and container content "
                + "will be removed."})
    static final class Reset extends Base {
        static final String WARNING = """
                WARNING! This will remove:
                        - all containers
                        - all pods
                        - all images
                        - all networks
                        - all volumes""";

        @Option(names = {"-f", "--force"}, description = "Do not prompt for confirmation")
        boolean force;

        @Override
        int run() throws IOException {
            if (!force) {
                out.println(WARNING);
                out.print("Are you sure you want to continue? [y/N] ");
                out.flush();
                String answer = readLine(System.in);
                if (answer == null) {
                    // podman: a question that gets no line (end of input) is an error, exit 1
                    throw new Main.ExitException(1, "EOF");
                }
                if (!answer.toLowerCase(Locale.ROOT).startsWith("y")) {
                    return 0;
                }
            }
            List<String> failed = new ArrayList<>();
            // libpod's reset order: pods, containers, images, volumes, networks
            try {
                for (JsonNode p : api().get("pods/json", null)) {
                    remove("pods/" + Api.seg(p.path("Id").asText()), Api.query("force", "true"), failed);
                }
            } catch (ApiException e) {
                if (e.status != 404) {
                    failed.add("listing pods: " + e.getMessage());
                }
                // 404: a service without the pods API has no pods to remove
            }
            for (JsonNode c : api().get("containers/json", Api.query("all", "true"))) {
                remove("containers/" + Api.seg(c.path("Id").asText()), Api.query("force", "true", "v", "true"), failed);
            }
            for (JsonNode i : api().get("images/json", Api.query("all", "true"))) {
                remove("images/" + Api.seg(i.path("Id").asText()), Api.query("force", "true"), failed);
            }
            for (JsonNode v : api().get("volumes/json", null)) {
                remove("volumes/" + Api.seg(v.path("Name").asText()), Api.query("force", "true"), failed);
            }
            for (JsonNode n : api().get("networks/json", Api.query("filters", "{\"type\":[\"custom\"]}"))) {
                remove("networks/" + Api.seg(n.path("name").asText()), Api.query("force", "true"), failed);
            }
            if (failed.isEmpty()) {
                return 0;
            }
            for (String f : failed.subList(0, failed.size() - 1)) {
                System.err.println("Error: " + f);
            }
            throw new Main.ExitException(Main.ENGINE_ERROR, failed.get(failed.size() - 1));
        }

        /** Removes one object; gone already (404) is no failure, as another client may have removed it first. */
        private void remove(String path, Map<String, Object> query, List<String> failed) {
            try {
                api().delete(path, query);
            } catch (ApiException e) {
                if (e.status != 404) {
                    failed.add(e.getMessage());
                }
            }
        }

        /** One line of the answer without its newline, or null when the input ends before a newline (as Go's ReadString). */
        static String readLine(InputStream in) throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            int c;
            while ((c = in.read()) >= 0) {
                if (c == '\n') {
                    return b.toString(StandardCharsets.UTF_8);
                }
                b.write(c);
            }
            return null;
        }
    }

    /**
     * As podman's: the API service in the foreground, with this install's bin/jpod-service listening on the
     * URI's socket; stdio is the service's and its exit code ours. A stop by SIGTERM or SIGINT (passed on to
     * the service) that ends cleanly exits 0, as podman's service does.
     */
    @Command(name = "service", description = {"Run API service", "",
        "Enable a listening service for API access to jpod commands: runs bin/jpod-service of this install in "
                + "the foreground until it is stopped (SIGTERM, Ctrl-C).",
        "URI is unix:///path of the socket; without it the service's own configuration decides "
                + "($JPOD_SOCKET, else " + Main.DEFAULT_SOCKET + ")."})
    static final class Service extends Base {
        @Option(names = {"-t", "--time", "--timeout"}, paramLabel = "SECONDS", defaultValue = "5",
                description = "Time until the service session expires in seconds; 0 disables the timeout. Accepted "
                        + "for podman's scripts: jpod's service has no idle timeout and runs until it is stopped")
        long time;
        @Parameters(arity = "0..1", paramLabel = "URI", description = "Where to listen: unix:///path")
        String uri;

        @Override
        int run() throws IOException, InterruptedException {
            if (time < 0) {
                throw new IllegalArgumentException("invalid --time " + time + ": must not be negative");
            }
            Path socket = uri == null || uri.isEmpty() ? null : socketOf(uri);
            String home = System.getProperty("jpod.home");
            if (home == null) {
                throw new IllegalArgumentException("no install directory (-Djpod.home) to run bin/jpod-service from");
            }
            ProcessBuilder pb = new ProcessBuilder(Path.of(home, "bin", "jpod-service").toString()).inheritIO();
            if (socket != null) {
                pb.environment().put("JPOD_SOCKET", socket.toString());
            }
            Process p = pb.start();
            AtomicBoolean stopped = new AtomicBoolean();
            Thread hook = new Thread(() -> {
                // a signal to us: the service stops too, and its clean stop is our exit 0 (podman's service exits 0)
                stopped.set(true);
                p.destroy();
                try {
                    if (p.waitFor(90, TimeUnit.SECONDS)) {
                        int code = p.exitValue();
                        Runtime.getRuntime().halt(code == SIGTERM_EXIT || code == SIGINT_EXIT ? 0 : code);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "jpod-service-stop");
            Runtime.getRuntime().addShutdownHook(hook);
            int code = p.waitFor();
            if (!stopped.get()) {
                Runtime.getRuntime().removeShutdownHook(hook);
            }
            return code;
        }

        /** A JVM stopped by SIGTERM or SIGINT exits 128 + the signal's number. */
        static final int SIGTERM_EXIT = 143;
        static final int SIGINT_EXIT = 130;

        /** The socket of a unix:///path (or unix:/path) URI; anything else is a clear error. */
        static Path socketOf(String uri) {
            URI u;
            try {
                u = new URI(uri);
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("invalid service URI \"" + uri + "\": " + e.getMessage());
            }
            if (!"unix".equals(u.getScheme())) {
                throw new IllegalArgumentException("API Service endpoint scheme \"" + u.getScheme() + "\" is not "
                        + "supported by jpod: give unix:///path (TCP is the tcp_address of the service's io.jpod.rest "
                        + "configuration)");
            }
            if (u.getRawAuthority() != null || u.getPath() == null || !u.getPath().startsWith("/")) {
                throw new IllegalArgumentException("invalid service URI \"" + uri + "\": give unix:///absolute/path");
            }
            return Path.of(u.getPath());
        }
    }

    /**
     * Reads jpod.conf again, as the service does on SIGHUP: the engine is assembled again when the
     * selection changed. Exits 125 when the engine is not assembled afterwards.
     */
    @Command(name = "reload", description = "Read the service's configuration again and assemble the engine with it")
    static final class Reload extends Base {
        @Override
        int run() {
            JsonNode s = api().post("system/reload", null, null);
            if (!s.path("Assembled").asBoolean()) {
                throw new Main.ExitException(Main.ENGINE_ERROR, s.path("Message").asText());
            }
            out.println(s.path("Message").asText());
            return 0;
        }
    }

    @Command(name = "version", description = "Display the jpod version information")
    static final class VersionCmd extends Base {
        @Option(names = {"-f", "--format"}, description = "Change the output format to JSON or a Go template")
        String format;

        @Override
        int run() {
            JsonNode v = api().get("version", null);
            JsonNode engine = v.path("Components").path(0);
            Map<String, Object> server = new LinkedHashMap<>();
            server.put("APIVersion", engine.path("Details").path("APIVersion").asText(v.path("ApiVersion").asText()));
            server.put("Version", v.path("Version").asText());
            server.put("GoVersion", v.path("GoVersion").asText());
            server.put("GitCommit", v.path("GitCommit").asText());
            server.put("BuiltTime", v.path("BuildTime").asText());
            server.put("OsArch", v.path("Os").asText() + "/" + v.path("Arch").asText());
            Map<String, Object> client = new LinkedHashMap<>();
            client.put("APIVersion", "4.0.0");
            client.put("Version", new Main.Version().getVersion()[0].replace("jpod version ", ""));
            client.put("GoVersion", "java " + System.getProperty("java.version"));
            client.put("GitCommit", "");
            client.put("BuiltTime", "");
            client.put("OsArch", "linux/" + System.getProperty("os.arch"));
            Map<String, Object> all = new LinkedHashMap<>();
            all.put("Client", client);
            all.put("Server", server);
            if ("json".equals(format)) {
                out.println(pretty(all, 4));
                return 0;
            }
            if (format != null) {
                print(List.of(all), format, format, Map.of());
                return 0;
            }
            out.print(Template.align(section("Client:", "jpod", client) + "\n" + section("Server:", name(engine), server)));
            return 0;
        }

        private static String name(JsonNode engine) {
            return engine.path("Name").asText("Podman Engine");
        }

        private static String section(String title, String name, Map<String, Object> m) {
            return title + "\t" + name + "\n"
                    + "Version:\t" + m.get("Version") + "\n"
                    + "API Version:\t" + m.get("APIVersion") + "\n"
                    + "Go Version:\t" + m.get("GoVersion") + "\n"
                    + (String.valueOf(m.get("GitCommit")).isEmpty() ? "" : "Git Commit:\t" + m.get("GitCommit") + "\n")
                    + "Built:\t" + m.get("BuiltTime") + "\n"
                    + "OS/Arch:\t" + m.get("OsArch") + "\n";
        }
    }

    @Command(name = "info", description = "Display jpod system information")
    static final class InfoCmd extends Base {
        @Option(names = {"-f", "--format"}, description = "Change the output format to JSON or a Go template")
        String format;

        @Override
        int run() {
            JsonNode info = api().get("info", null);
            if ("json".equals(format)) {
                out.println(pretty(info, 4));
            } else if (format != null) {
                print(List.of(plain(info)), format, format, Map.of());
            } else {
                StringBuilder b = new StringBuilder();
                yaml(info, "", b);
                out.print(b);
            }
            return 0;
        }

        /** podman info prints YAML with lower-camel keys; the JSON tree in that shape. */
        static void yaml(JsonNode n, String indent, StringBuilder b) {
            Iterator<Map.Entry<String, JsonNode>> it = n.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                JsonNode v = e.getValue();
                String key = e.getKey();
                if (v.isObject()) {
                    if (v.isEmpty()) {
                        b.append(indent).append(key).append(": {}\n");
                    } else {
                        b.append(indent).append(key).append(":\n");
                        yaml(v, indent + "  ", b);
                    }
                } else if (v.isArray()) {
                    if (v.isEmpty()) {
                        b.append(indent).append(key).append(": []\n");
                    } else {
                        b.append(indent).append(key).append(":\n");
                        for (JsonNode x : v) {
                            if (x.isObject()) {
                                StringBuilder sub = new StringBuilder();
                                yaml(x, indent + "  ", sub);
                                b.append(indent).append("- ").append(sub.substring(indent.length() + 2));
                            } else {
                                b.append(indent).append("- ").append(scalar(x)).append('\n');
                            }
                        }
                    }
                } else {
                    b.append(indent).append(key).append(": ").append(scalar(v)).append('\n');
                }
            }
        }

        private static String scalar(JsonNode v) {
            if (v.isNull()) {
                return "null";
            }
            String s = v.asText();
            if (v.isTextual() && (s.isEmpty() || s.contains(": ") || s.contains("\n") || s.startsWith("{") || s.startsWith("["))) {
                return "'" + s.replace("'", "''") + "'";
            }
            return s;
        }
    }
}
