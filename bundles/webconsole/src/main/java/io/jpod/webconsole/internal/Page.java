package io.jpod.webconsole.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import io.jpod.api.Container;
import io.jpod.api.ContainerState;
import io.jpod.api.ContainerStatus;
import io.jpod.api.EngineStatus;
import io.jpod.api.HealthState;
import io.jpod.api.ImageInfo;
import io.jpod.api.PortMapping;
import io.jpod.api.ProviderKind;
import io.jpod.api.text.HumanDuration;

/**
 * The Containers page's HTML, rendered inside the console's frame from a snapshot taken for the
 * request. Every value goes through {@link Html#esc}.
 *
 * @param version    jpod's version
 * @param status     the assembler's status, null when no assembler runs
 * @param containers the containers, null when there is no engine to ask
 * @param images     the images, null when there is no image service
 * @param listError  why the lists could not be read, or null
 * @param flash      the outcome of the last action, or null
 * @param flashError whether that outcome is a failure
 * @param token      the form token of this session
 * @param action     where the forms post to
 * @param health     the health of the containers that have a healthcheck, by container ID
 * @param now        the time the status column counts from
 */
record Page(String version, EngineStatus status, List<Container> containers, List<ImageInfo> images, String listError,
        String flash, boolean flashError, String token, String action, Map<String, HealthState> health, Instant now) {

    Page {
        health = health == null ? Map.of() : Map.copyOf(health);
        now = now == null ? Instant.now() : now;
    }

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    String render() {
        StringBuilder h = new StringBuilder(4096);
        h.append("<div id=\"jpod\">\n");
        if (flash != null) {
            h.append("<p id=\"jpod-message\" class=\"statline ").append(flashError ? "ui-state-error" : "ui-state-highlight")
             .append("\" role=\"status\">").append(Html.esc(flash)).append("</p>\n");
        }
        engine(h);
        containers(h);
        images(h);
        h.append("</div>\n");
        return h.toString();
    }

    private void engine(StringBuilder h) {
        h.append("<h2>Engine</h2>\n<table id=\"jpod-engine\" class=\"nicetable\">\n");
        row(h, "jpod version", "jpod-version", version);
        if (status == null) {
            row(h, "Status", "jpod-engine-status", "no assembler: the jpod-runtime bundle is not running");
            h.append("</table>\n");
            return;
        }
        row(h, "Status", "jpod-engine-status", status.assembled() ? "assembled" : "not assembled");
        for (ProviderKind k : ProviderKind.values()) {
            String selected = status.selected().getOrDefault(k, "");
            List<String> installed = status.installed().getOrDefault(k, List.of());
            h.append("<tr><th>").append(Html.esc(k.word())).append(" <small>(").append(Html.esc(k.configKey()))
             .append(")</small></th><td data-kind=\"").append(Html.esc(k.word())).append("\">")
             .append(Html.esc(selected.isEmpty() ? "(none selected)" : selected))
             .append(" <small>installed: ").append(Html.esc(installed.isEmpty() ? "(none)" : String.join(", ", installed)))
             .append("</small></td></tr>\n");
        }
        if (!status.missing().isEmpty()) {
            row(h, "Missing", "jpod-missing", String.join(", ", status.missing()));
        }
        List<String> amiss = new java.util.ArrayList<>(status.problems());
        amiss.addAll(status.notices());
        if (!amiss.isEmpty()) {
            row(h, "Problems", "jpod-problems", String.join("; ", amiss));
        }
        if (!status.assembled()) {
            row(h, "Why", "jpod-why", status.message());
        }
        h.append("</table>\n");
    }

    private static void row(StringBuilder h, String label, String id, String value) {
        h.append("<tr><th>").append(Html.esc(label)).append("</th><td id=\"").append(id).append("\">")
         .append(Html.esc(value)).append("</td></tr>\n");
    }

    private void containers(StringBuilder h) {
        h.append("<h2>Containers</h2>\n");
        if (containers == null) {
            h.append("<p id=\"jpod-no-containers\">").append(Html.esc(listError != null ? listError
                    : "There is no engine: the containers cannot be listed until it is assembled.")).append("</p>\n");
            return;
        }
        h.append("<table id=\"jpod-containers\" class=\"nicetable\">\n<thead><tr><th>Name</th><th>ID</th><th>Image</th>"
                + "<th>State</th><th>Status</th><th>Created</th><th>Ports</th><th>Actions</th></tr></thead>\n<tbody>\n");
        if (containers.isEmpty()) {
            h.append("<tr><td colspan=\"8\">No containers.</td></tr>\n");
        }
        for (Container c : containers) {
            String name = c.name();
            h.append("<tr class=\"jpod-container\" data-name=\"").append(Html.esc(name)).append("\" data-id=\"")
             .append(Html.esc(c.id())).append("\">")
             .append("<td class=\"name\">").append(Html.esc(name)).append("</td>")
             .append("<td class=\"id\"><code title=\"").append(Html.esc(c.id())).append("\">").append(Html.esc(shortId(c.id()))).append("</code></td>")
             .append("<td class=\"image\">").append(Html.esc(c.config().image())).append("</td>")
             .append("<td class=\"state\">").append(Html.esc(state(c))).append("</td>")
             .append("<td class=\"status\">").append(Html.esc(status(c, health.get(c.id()), now))).append("</td>")
             .append("<td class=\"created\">").append(Html.esc(time(c.config().created()))).append("</td>")
             .append("<td class=\"ports\">").append(Html.esc(ports(c.config().portMappings()))).append("</td>")
             .append("<td class=\"actions\">");
            ContainerStatus s = c.state().status();
            boolean up = s == ContainerStatus.RUNNING || s == ContainerStatus.PAUSED;
            if (!up) {
                button(h, "start", "Start", c, null);
            } else {
                button(h, "stop", "Stop", c, null);
                button(h, "restart", "Restart", c, null);
            }
            if (s == ContainerStatus.RUNNING) {
                button(h, "pause", "Pause", c, null);
            } else if (s == ContainerStatus.PAUSED) {
                button(h, "unpause", "Unpause", c, null);
            }
            button(h, "remove", "Remove", c, "Remove the container " + name + "?");
            h.append("</td></tr>\n");
        }
        h.append("</tbody></table>\n");
    }

    private void button(StringBuilder h, String verb, String label, Container c, String confirm) {
        Html.button(h, action, token, verb, label, c.id(), confirm);
    }

    private void images(StringBuilder h) {
        h.append("<h2>Images</h2>\n");
        if (images == null) {
            h.append("<p id=\"jpod-no-images\">There is no image service: the images cannot be listed until the engine is assembled.</p>\n");
            return;
        }
        h.append("<table id=\"jpod-images\" class=\"nicetable\">\n<thead><tr><th>Tags</th><th>ID</th><th>Size</th>"
                + "<th>Created</th></tr></thead>\n<tbody>\n");
        if (images.isEmpty()) {
            h.append("<tr><td colspan=\"4\">No images.</td></tr>\n");
        }
        for (ImageInfo i : images) {
            h.append("<tr class=\"jpod-image\"><td class=\"tags\">")
             .append(Html.esc(i.names().isEmpty() ? "<none>" : String.join(", ", i.names()))).append("</td>")
             .append("<td class=\"id\"><code title=\"").append(Html.esc(i.id())).append("\">").append(Html.esc(shortId(i.id()))).append("</code></td>")
             .append("<td class=\"size\">").append(Html.esc(size(i.size()))).append("</td>")
             .append("<td class=\"created\">").append(Html.esc(time(i.created()))).append("</td></tr>\n");
        }
        h.append("</tbody></table>\n");
    }

    static String shortId(String id) {
        if (id == null) {
            return "";
        }
        String s = id.startsWith("sha256:") ? id.substring(7) : id;
        return s.length() > 12 ? s.substring(0, 12) : s;
    }

    static String state(Container c) {
        ContainerStatus s = c.state().status();
        if (s == ContainerStatus.EXITED && c.state().exited()) {
            return "exited (" + c.state().exitCode() + ")";
        }
        return s.word();
    }

    /**
     * podman ps's STATUS: {@code Up 5 seconds}, {@code Exited (0) 3 minutes ago}, {@code Paused}, {@code Created},
     * with the health of a container that has a healthcheck after it, as {@code Up 5 seconds (healthy)}.
     */
    static String status(Container c, HealthState health, Instant now) {
        ContainerState st = c.state();
        String s = switch (st.status()) {
            case RUNNING -> "Up " + HumanDuration.of(Duration.between(st.startedAt() == null ? now : st.startedAt(), now));
            case STOPPED, EXITED -> st.finishedAt() == null ? "Exited (" + st.exitCode() + ")"
                    : "Exited (" + st.exitCode() + ") " + HumanDuration.ago(st.finishedAt(), now);
            // libpod's word for a configured container is "created" too
            case CONFIGURED, CREATED -> "Created";
            default -> {
                String w = st.status().word();
                yield Character.toUpperCase(w.charAt(0)) + w.substring(1);
            }
        };
        return health == null || health.status() == null || health.status().isEmpty() ? s
                : s + " (" + health.status() + ")";
    }


    static String time(Instant t) {
        return t == null ? "" : TIME.format(t);
    }

    /** Sizes as podman prints them: SI units, three significant digits. */
    static String size(long bytes) {
        if (bytes < 1000) {
            return bytes + " B";
        }
        String[] units = {"kB", "MB", "GB", "TB", "PB"};
        double v = bytes;
        int u = -1;
        while (v >= 1000 && u < units.length - 1) {
            v /= 1000;
            u++;
        }
        return String.format(Locale.ROOT, v >= 100 ? "%.0f %s" : v >= 10 ? "%.1f %s" : "%.2f %s", v, units[u]);
    }

    static String ports(List<PortMapping> ports) {
        return ports.stream().map(p -> {
            String host = p.hostIp().isEmpty() ? "0.0.0.0" : p.hostIp();
            String range = p.range() > 1 ? "-" + (p.hostPort() + p.range() - 1) : "";
            String crange = p.range() > 1 ? "-" + (p.containerPort() + p.range() - 1) : "";
            return host + ":" + p.hostPort() + range + "->" + p.containerPort() + crange + "/" + p.protocol();
        }).collect(Collectors.joining(", "));
    }
}
