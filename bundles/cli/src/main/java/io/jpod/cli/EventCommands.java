package io.jpod.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.http.HttpMethod;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code jpod events}: the engine's events, read or followed, as podman's. */
final class EventCommands {
    private EventCommands() {
    }

    @Command(name = "events", description = "Show jpod events")
    static final class EventsCmd extends Base {
        @Option(names = "--since", description = "Show all events created since timestamp")
        String since;
        @Option(names = "--until", description = "Show all events created until timestamp")
        String until;
        @Option(names = {"-f", "--filter"}, description = "Filter output")
        List<String> filters = new ArrayList<>();
        @Option(names = "--format", description = "Format the output using the given Go template or json")
        String format;
        @Option(names = "--stream", description = "Stream events and do not exit when returning the last known event", defaultValue = "true", arity = "0..1")
        boolean stream;
        @Option(names = "--no-trunc", description = "Do not truncate the output", defaultValue = "true", arity = "0..1")
        boolean noTrunc;

        @Override
        int run() throws IOException {
            Instant now = Instant.now();
            // checked here for a clear error, sent as given (as podman-remote does: the service reads durations too)
            if (since != null) {
                Times.parseInputTime(since, now);
            }
            if (until != null) {
                Times.parseInputTime(until, now);
            }
            Map<String, Object> q = Api.query("stream", stream && until == null ? "true" : "false",
                    "since", since, "until", until,
                    "filters", Filters.query(filters));
            Template t = format == null || format.equals("json") ? null : new Template(format);
            try (InputStream in = api().stream(HttpMethod.GET, "events", q);
                    BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (line.isBlank()) {
                        continue;
                    }
                    Map<String, Object> e = event(Api.JSON.readTree(line));
                    if ("json".equals(format)) {
                        out.println(Template.json(e));
                    } else if (t != null) {
                        out.print(t.render(e));
                    } else {
                        out.println(human(e, noTrunc));
                    }
                }
            }
            return 0;
        }

        /** The Docker-shaped event of the API as libpod's event (podman-remote's ConvertToLibpodEvent). */
        static Map<String, Object> event(JsonNode d) {
            Map<String, Object> e = new LinkedHashMap<>();
            JsonNode attrs = d.path("Actor").path("Attributes");
            long nanos = d.path("timeNano").asLong(d.path("time").asLong() * 1_000_000_000L);
            Instant time = Instant.ofEpochSecond(nanos / 1_000_000_000L, nanos % 1_000_000_000L);
            e.put("ID", d.path("Actor").path("ID").asText(d.path("id").asText()));
            String image = attrs.path("image").asText("");
            if (!image.isEmpty()) {
                e.put("Image", image);
            }
            e.put("Name", attrs.path("name").asText(""));
            e.put("Status", d.path("Action").asText(d.path("status").asText()));
            e.put("Time", time.toString());
            e.put("Type", d.path("Type").asText());
            String exit = attrs.path("containerExitCode").asText("");
            if (!exit.isEmpty() && !exit.equals("0")) {
                e.put("ContainerExitCode", Integer.parseInt(exit));
            }
            Map<String, String> rest = new LinkedHashMap<>();
            attrs.fields().forEachRemaining(f -> {
                if (!List.of("image", "name", "containerExitCode", "podId").contains(f.getKey())) {
                    rest.put(f.getKey(), f.getValue().asText());
                }
            });
            e.put("Attributes", rest.isEmpty() ? null : rest);
            return e;
        }

        /** libpod's Event.ToHumanReadable. */
        static String human(Map<String, Object> e, boolean noTrunc) {
            String id = String.valueOf(e.get("ID"));
            if (!noTrunc) {
                id = shortId(id);
            }
            String head = Times.goString(Instant.parse(String.valueOf(e.get("Time")))) + " " + e.get("Type") + " " + e.get("Status") + " " + id;
            if ("container".equals(e.get("Type")) || "pod".equals(e.get("Type"))) {
                StringBuilder b = new StringBuilder(head).append(" (image=").append(e.getOrDefault("Image", ""))
                        .append(", name=").append(e.get("Name"));
                @SuppressWarnings("unchecked")
                Map<String, String> attrs = (Map<String, String>) e.get("Attributes");
                if (attrs != null) {
                    attrs.forEach((k, v) -> b.append(", ").append(k).append('=').append(v));
                }
                return b.append(')').toString();
            }
            return head + " " + e.get("Name");
        }
    }

    static ObjectNode object() {
        return Api.JSON.createObjectNode();
    }
}
