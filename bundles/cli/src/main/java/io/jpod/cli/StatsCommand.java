package io.jpod.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.http.HttpMethod;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** podman's stats: the containers' readings as a table, JSON or a template, once or every interval. */
@Command(name = "stats", description = "Display a live stream of container resource usage statistics")
final class StatsCommand extends Base {
    static final String TABLE = "table {{.ID}}\t{{.Name}}\t{{.CPUPerc}}\t{{.MemUsage}}\t{{.MemPerc}}\t{{.NetIO}}\t"
            + "{{.BlockIO}}\t{{.PIDS}}\t{{.UpTime}}\t{{.AVGCPU}}";
    static final Map<String, String> HEADERS = Map.of("ID", "ID", "UpTime", "CPU TIME", "CPUPerc", "CPU %", "AVGCPU",
            "AVG CPU %", "MemUsage", "MEM USAGE / LIMIT", "MemUsageBytes", "MEM USAGE / LIMIT", "MemPerc", "MEM %",
            "NetIO", "NET IO", "BlockIO", "BLOCK IO", "PIDS", "PIDS");
    /** goterm's Clear and MoveCursor(1, 1), as podman writes them between readings. */
    private static final String CLEAR = "\033[2J\033[1;1H";

    @Option(names = {"-a", "--all"}, description = "Show all containers. Only running containers are shown by default")
    boolean all;
    @Option(names = "--format", description = "Pretty-print container statistics to JSON or using a Go template")
    String format;
    @Option(names = "--no-stream", description = "Disable streaming stats and only pull the first result")
    boolean noStream;
    @Option(names = "--no-reset", description = "Disable resetting the screen between intervals")
    boolean noReset;
    @Option(names = {"-i", "--interval"}, description = "Time in seconds between stats reports", defaultValue = "5")
    int interval;
    @Option(names = {"-l", "--latest"}, description = "Act on the latest container podman is aware of")
    boolean latest;
    @Parameters(arity = "0..*", paramLabel = "CONTAINER")
    List<String> names = new ArrayList<>();

    @Override
    int run() throws Exception {
        if (latest) {
            throw new IllegalArgumentException("--latest is not supported by jpod: name the containers");
        }
        if (all && !names.isEmpty()) {
            throw new IllegalArgumentException("--all and naming containers cannot be used together");
        }
        if (interval < 1) {
            throw new IllegalArgumentException("--interval must be a positive number of seconds, not " + interval);
        }
        List<String> wanted = new ArrayList<>(names);
        if (all) {
            for (JsonNode c : api().get("containers/json", Api.query("all", true))) {
                wanted.add(c.path("Id").asText());
            }
            if (wanted.isEmpty()) {
                print(List.of());
                return 0;
            }
        }
        Map<String, Object> q = Api.query("stream", !noStream, "interval", interval,
                "containers", wanted.isEmpty() ? null : wanted);
        if (noStream) {
            print(api().get("containers/stats", q));
            return 0;
        }
        try (InputStream in = api().stream(HttpMethod.GET, "containers/stats", q);
                BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null;) {
                if (line.isBlank()) {
                    continue;
                }
                if (!noReset && format == null) {
                    out.print(CLEAR);
                }
                print(Api.JSON.readTree(line));
            }
        }
        return 0;
    }

    private void print(JsonNode report) {
        JsonNode err = report.path("Error");
        if (err.isObject() || err.isTextual()) {
            String m = err.isTextual() ? err.asText() : err.path("Message").asText(err.toString());
            throw new ApiException(500, m);
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        for (JsonNode s : report.path("Stats")) {
            rows.add(row(s));
        }
        print(rows);
    }

    private void print(List<Map<String, Object>> rows) {
        if ("json".equals(format)) {
            List<Map<String, Object>> json = new ArrayList<>();
            for (Map<String, Object> r : rows) {
                Map<String, Object> j = new LinkedHashMap<>();
                j.put("id", r.get("ID"));
                j.put("name", r.get("Name"));
                j.put("cpu_time", r.get("UpTime"));
                j.put("cpu_percent", r.get("CPUPerc"));
                j.put("avg_cpu", r.get("AVGCPU"));
                j.put("mem_usage", r.get("MemUsage"));
                j.put("mem_percent", r.get("MemPerc"));
                j.put("net_io", r.get("NetIO"));
                j.put("block_io", r.get("BlockIO"));
                j.put("pids", r.get("PIDS"));
                json.add(j);
            }
            out.println(pretty(json, 1));
            return;
        }
        print(rows, format, TABLE, HEADERS);
    }

    /** podman's containerStats: the reading's fields and the columns made of them. */
    static Map<String, Object> row(JsonNode s) {
        Map<String, Object> r = plain(s);
        r.put("ID", shortId(s.path("ContainerID").asText()));
        r.put("CPUPerc", StatsFigures.percent(s.path("CPU").asDouble()));
        r.put("AVGCPU", StatsFigures.percent(s.path("AvgCPU").asDouble()));
        r.put("UpTime", StatsFigures.duration(s.path("UpTime").asLong()));
        r.put("MemPerc", StatsFigures.percent(s.path("MemPerc").asDouble()));
        r.put("MemUsage", StatsFigures.pair(s.path("MemUsage").asLong(), s.path("MemLimit").asLong()));
        r.put("MemUsageBytes", StatsFigures.bytesPair(s.path("MemUsage").asLong(), s.path("MemLimit").asLong()));
        r.put("NetIO", StatsFigures.pair(s.path("NetInput").asLong(), s.path("NetOutput").asLong()));
        r.put("BlockIO", StatsFigures.pair(s.path("BlockInput").asLong(), s.path("BlockOutput").asLong()));
        r.put("PIDS", Long.toString(s.path("PIDs").asLong()));
        return r;
    }
}
