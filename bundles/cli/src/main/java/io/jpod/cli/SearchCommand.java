package io.jpod.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.http.HttpMethod;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code jpod search TERM}, podman's: {@code GET /libpod/images/search} (the service asks the registry's catalog,
 * or Docker Hub's search), printed as podman 4 prints it: NAME and DESCRIPTION, with {@code --compatible} also
 * STARS, OFFICIAL and AUTOMATED (docker's columns); with {@code --list-tags} NAME and TAG; {@code --format} a
 * Go template over Index, Name, Description, Stars, Official, Automated and Tag, or {@code json}.
 */
@Command(name = "search", description = "Search registry for image")
final class SearchCommand extends Base {
    static final String TABLE = "table {{.Name}}\t{{.Description}}";
    static final String COMPATIBLE = "table {{.Name}}\t{{.Description}}\t{{.Stars}}\t{{.Official}}\t{{.Automated}}";
    static final String TAGS = "table {{.Name}}\t{{.Tag}}";
    private static final int DESCRIPTION_WIDTH = 44;

    @Option(names = "--limit", description = "Limit the number of results")
    Integer limit;
    @Option(names = "--list-tags", description = "List the tags of the input registry")
    boolean listTags;
    @Option(names = {"-f", "--filter"}, description = "Filter output based on conditions provided")
    List<String> filters = new ArrayList<>();
    @Option(names = "--format", description = "Change the output format to JSON or a Go template")
    String format;
    @Option(names = "--no-trunc", description = "Do not truncate the output")
    boolean noTrunc;
    @Option(names = "--compatible", description = "List stars, official and automated columns (Docker compatibility)")
    boolean compatible;
    @Mixin
    RegistryFlags registry = new RegistryFlags();
    @Parameters(arity = "1", paramLabel = "TERM")
    String term;

    @Override
    int run() throws IOException {
        if (term == null || term.isBlank()) {
            throw new IllegalArgumentException("search term must be specified");
        }
        if (limit != null && limit < 0) {
            throw new IllegalArgumentException("--limit " + limit + " is negative: give the number of results");
        }
        if (listTags && !filters.isEmpty()) {
            throw new IllegalArgumentException("filters are not applicable to list tags result");
        }
        Map<String, Object> q = new LinkedHashMap<>();
        q.put("term", term);
        if (limit != null && limit > 0) {
            q.put("limit", limit);
        }
        if (listTags) {
            q.put("listTags", true);
        }
        String f = Filters.query(searchFilters());
        if (f != null) {
            q.put("filters", f);
        }
        registry.query(q);
        var req = api().request(HttpMethod.GET, "images/search", q);
        registry.headers(req);
        JsonNode list = Api.JSON.readTree(api().send(req).getContent());
        if ("json".equals(format)) {
            out.println(pretty(list, 4));
            return 0;
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        for (JsonNode r : list) {
            Map<String, Object> row = new LinkedHashMap<>(plain(r));
            String d = r.path("Description").asText("");
            if (!noTrunc && d.length() > DESCRIPTION_WIDTH) {
                d = d.substring(0, DESCRIPTION_WIDTH - 3) + "...";
            }
            row.put("Description", d);
            rows.add(row);
        }
        print(rows, format, listTags ? TAGS : compatible ? COMPATIBLE : TABLE, Map.of());
        return 0;
    }

    /** podman's bare {@code --filter is-official} means true. */
    private List<String> searchFilters() {
        List<String> out = new ArrayList<>();
        for (String s : filters) {
            out.add(s.contains("=") ? s : s + "=true");
        }
        return out;
    }
}
