package io.jpod.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code jpod volume}: podman 4.3's volume commands over {@code /libpod/volumes}. */
final class VolumeCommands {
    private VolumeCommands() {
    }

    static final String LS_TABLE = "table {{.Driver}}\t{{.Name}}";
    static final Map<String, String> LS_HEADERS = Map.of("Name", "VOLUME NAME");

    @Command(name = "volume", description = "Manage volumes",
            subcommands = {Create.class, Ls.class, Inspect.class, Rm.class, Prune.class, Exists.class,
                CommandLine.HelpCommand.class})
    static final class Group extends CommandGroup {
    }

    @Command(name = "create", description = "Create a new volume")
    static final class Create extends Base {
        @Option(names = {"-d", "--driver"}, description = "Specify volume driver name", defaultValue = "local")
        String driver;
        @Option(names = {"-l", "--label"}, split = ",", description = "Set metadata for a volume")
        List<String> labels = new ArrayList<>();
        @Option(names = {"-o", "--opt"}, description = "Set driver specific options")
        List<String> opts = new ArrayList<>();
        @Parameters(arity = "0..1", paramLabel = "NAME")
        String name;

        @Override
        int run() {
            out.println(api().post("volumes/create", null, body()).path("Name").asText());
            return 0;
        }

        ObjectNode body() {
            ObjectNode b = Api.JSON.createObjectNode();
            b.put("Name", name == null ? "" : name);
            b.put("Driver", driver);
            NetworkCommands.putMap(b, "Labels", NetworkCommands.keyValues(labels));
            NetworkCommands.putMap(b, "Options", NetworkCommands.keyValues(opts));
            return b;
        }
    }

    /** A volume of the libpod API as podman's templates see it (CreatedAt as Go prints a time). */
    static Map<String, Object> row(JsonNode v) {
        Map<String, Object> r = new LinkedHashMap<>(Base.plain(v));
        Instant created = Times.parseRfc3339(v.path("CreatedAt").asText());
        r.put("CreatedAt", created == null ? "" : Times.goString(created));
        r.putIfAbsent("Labels", Map.of());
        r.putIfAbsent("Options", Map.of());
        return r;
    }

    @Command(name = "ls", aliases = "list", description = "List volumes")
    static final class Ls extends Base {
        @Option(names = {"-f", "--filter"}, description = "Filter volume output")
        List<String> filters = new ArrayList<>();
        @Option(names = "--format", description = "Format volume output using JSON or a Go template")
        String format;
        @Option(names = {"-q", "--quiet"}, description = "Print volume output in quiet mode")
        boolean quiet;
        @Option(names = "--noheading", description = "Do not print headers")
        boolean noHeading;

        @Override
        int run() {
            if (quiet && format != null) {
                throw new IllegalArgumentException("quiet and format flags cannot be used together");
            }
            JsonNode list = api().get("volumes/json", Api.query("filters", Filters.query(filters)));
            if ("json".equals(format)) {
                out.println(pretty(list, 2));
                return 0;
            }
            if (list.isEmpty()) {
                return 0;
            }
            List<Map<String, Object>> rows = new ArrayList<>();
            list.forEach(v -> rows.add(row(v)));
            String f = quiet ? "{{.Name}}" : NetworkCommands.headed(format == null ? LS_TABLE : format, noHeading);
            print(rows, f, LS_TABLE, LS_HEADERS);
            return 0;
        }
    }

    @Command(name = "inspect", description = "Display detailed information on one or more volumes")
    static final class Inspect extends Base {
        @Option(names = {"-a", "--all"}, description = "Inspect all volumes")
        boolean all;
        @Option(names = {"-f", "--format"}, description = "Format volume output using JSON or a Go template")
        String format;
        @Parameters(arity = "0..*", paramLabel = "VOLUME")
        List<String> names = new ArrayList<>();

        @Override
        int run() {
            if (all == !names.isEmpty()) {
                throw new IllegalArgumentException("provide one or more volume names or use --all");
            }
            ArrayNode found = Api.JSON.createArrayNode();
            List<String> missing = new ArrayList<>();
            if (all) {
                api().get("volumes/json", null).forEach(found::add);
            }
            for (String n : names) {
                try {
                    found.add(api().get("volumes/" + Api.seg(n) + "/json", null));
                } catch (ApiException e) {
                    if (e.status != 404) {
                        throw e;
                    }
                    missing.add("no such volume " + n);
                }
            }
            if (format == null || format.equals("json")) {
                out.println(pretty(found, 4));
            } else {
                List<Map<String, Object>> rows = new ArrayList<>();
                found.forEach(v -> rows.add(row(v)));
                print(rows, format, format, Map.of());
            }
            return NetworkCommands.inspectErrors(missing);
        }
    }

    /** podman volume rm's exit codes: 1 no such volume, 2 a volume in use. */
    static int rmCode(ApiException e) {
        String m = String.valueOf(e.getMessage());
        return e.status == 404 || m.contains("no such volume") ? 1 : m.contains("volume is being used") ? 2 : 0;
    }

    @Command(name = "rm", aliases = "remove", description = "Remove one or more volumes")
    static final class Rm extends Base {
        @Option(names = {"-a", "--all"}, description = "Remove all volumes")
        boolean all;
        @Option(names = {"-f", "--force"}, description = "Remove a volume by force, even if it is being used by a container")
        boolean force;
        @Option(names = {"-t", "--time"}, description = "Seconds to wait for running containers to stop before killing the container")
        Integer time;
        @Parameters(arity = "0..*", paramLabel = "VOLUME")
        List<String> names = new ArrayList<>();

        @Override
        int run() {
            if (all == !names.isEmpty()) {
                throw new IllegalArgumentException("choose either one or more volumes or all");
            }
            if (time != null && !force) {
                throw new IllegalArgumentException("--force option must be specified to use the --time option");
            }
            List<String> targets = new ArrayList<>(names);
            if (all) {
                api().get("volumes/json", null).forEach(v -> targets.add(v.path("Name").asText()));
            }
            List<ApiException> errors = new ArrayList<>();
            for (String n : targets) {
                try {
                    api().delete("volumes/" + Api.seg(n), Api.query("force", force ? "true" : null, "timeout", time));
                    out.println(n);
                } catch (ApiException e) {
                    if (force && rmCode(e) == 1) {
                        continue;
                    }
                    errors.add(e);
                }
            }
            return NetworkCommands.finish(errors, VolumeCommands::rmCode);
        }
    }

    @Command(name = "prune", description = "Remove all unused volumes")
    static final class Prune extends Base {
        @Option(names = {"-f", "--force"}, description = "Do not prompt for confirmation")
        boolean force;
        @Option(names = "--filter", description = "Provide filter values (e.g. 'label=<key>=<value>')")
        List<String> filters = new ArrayList<>();

        @Override
        int run() {
            if (!force) {
                out.println("WARNING! This will remove all volumes not used by at least one container. "
                        + "The following volumes will be removed:");
                Set<String> unused = new TreeSet<>();
                api().get("volumes/json", Api.query("filters", "{\"dangling\":[\"true\"]}"))
                        .forEach(v -> unused.add(v.path("Name").asText()));
                List<String> chosen = new ArrayList<>();
                api().get("volumes/json", Api.query("filters", Filters.query(filters))).forEach(v -> {
                    if (unused.contains(v.path("Name").asText())) {
                        chosen.add(v.path("Name").asText());
                    }
                });
                if (chosen.isEmpty()) {
                    out.println("No dangling volumes found");
                    return 0;
                }
                chosen.forEach(out::println);
                if (!NetworkCommands.confirm(out)) {
                    return 0;
                }
            }
            JsonNode r = api().post("volumes/prune", Api.query("filters", Filters.query(filters)), null);
            List<ApiException> errors = new ArrayList<>();
            for (JsonNode x : r) {
                JsonNode err = x.path("Err");
                if (err.isMissingNode() || err.isNull()) {
                    out.println(x.path("Id").asText());
                } else {
                    errors.add(new ApiException(500, err.isTextual() ? err.asText() : err.toString()));
                }
            }
            return NetworkCommands.finish(errors, e -> 0);
        }
    }

    @Command(name = "exists", description = "Check if volume exists")
    static final class Exists extends Base {
        @Parameters(arity = "1", paramLabel = "VOLUME")
        String name;

        @Override
        int run() {
            return exists("volumes/" + Api.seg(name) + "/exists");
        }
    }
}
