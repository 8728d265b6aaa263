package io.jpod.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** podman's pod stats: per running container of the pods, its reading, once or every second. */
@Command(name = "stats", description = "Display a live stream of resource usage statistics for the containers in one or more pods")
final class PodStatsCommand extends Base {
    static final String TABLE = "table {{.Pod}}\t{{.CID}}\t{{.Name}}\t{{.CPU}}\t{{.MemUsage}}\t{{.Mem}}\t{{.NetIO}}\t"
            + "{{.BlockIO}}\t{{.PIDS}}";
    static final Map<String, String> HEADERS = Map.of("CPU", "CPU %", "MemUsage", "MEM USAGE/ LIMIT",
            "MemUsageBytes", "MEM USAGE/ LIMIT", "Mem", "MEM %", "NetIO", "NET IO", "BlockIO", "BLOCK IO",
            "PIDS", "PIDS", "CID", "CID", "Pod", "POD");
    private static final String CLEAR = "\033[2J\033[1;1H";

    @Option(names = {"-a", "--all"}, description = "Provide stats for all pods")
    boolean all;
    @Option(names = "--format", description = "Pretty-print container statistics to JSON or using a Go template")
    String format;
    @Option(names = "--no-stream", description = "Disable streaming stats and only pull the first result")
    boolean noStream;
    @Option(names = "--no-reset", description = "Disable resetting the screen when streaming")
    boolean noReset;
    @Option(names = {"-l", "--latest"}, description = "Act on the latest pod podman is aware of")
    boolean latest;
    @Parameters(arity = "0..*", paramLabel = "POD")
    List<String> pods = new ArrayList<>();

    @Override
    int run() throws Exception {
        if (latest) {
            throw new IllegalArgumentException("--latest is not supported by jpod: name the pods");
        }
        Map<String, Object> q = Api.query("all", all ? true : null, "namesOrIDs", pods.isEmpty() ? null : pods);
        while (true) {
            JsonNode reports = api().get("pods/stats", q);
            if (!noStream && !noReset && format == null) {
                out.print(CLEAR);
            }
            if ("json".equals(format)) {
                out.println(pretty(reports, 5));
            } else {
                List<Map<String, Object>> rows = new ArrayList<>();
                reports.forEach(r -> rows.add(plain(r)));
                print(rows, format, TABLE, HEADERS);
            }
            if (noStream) {
                return 0;
            }
            Thread.sleep(1000);
        }
    }
}
