package io.jpod.webconsole.internal;

import java.util.List;
import java.util.stream.Collectors;

import io.jpod.api.Container;
import io.jpod.api.Pod;
import io.jpod.api.PodStatus;

/**
 * The Pods page's HTML, rendered inside the console's frame from a snapshot taken for the request. Every value
 * goes through {@link Html#esc}.
 *
 * @param pods      the pods with their containers, null when there is no engine to ask
 * @param listError why the pods could not be read, or null
 * @param banner    the outcome of the last action
 * @param token     the form token of this session
 * @param action    where the forms post to
 */
record PodsPage(List<Entry> pods, String listError, ActionPlugin.Banner banner, String token, String action) {

    /** A pod and its containers, the infra container among them. */
    record Entry(Pod pod, List<Container> containers) {
    }

    String render() {
        StringBuilder h = new StringBuilder(4096);
        h.append("<div id=\"jpod\">\n");
        if (banner.message() != null) {
            h.append("<p id=\"jpod-message\" class=\"statline ").append(banner.error() ? "ui-state-error" : "ui-state-highlight")
             .append("\" role=\"status\">").append(Html.esc(banner.message())).append("</p>\n");
        }
        h.append("<h2>Pods</h2>\n");
        if (pods == null) {
            h.append("<p id=\"jpod-no-pods\">").append(Html.esc(listError != null ? listError
                    : "There is no engine: the pods cannot be listed until it is assembled.")).append("</p>\n</div>\n");
            return h.toString();
        }
        h.append("<table id=\"jpod-pods\" class=\"nicetable\">\n<thead><tr><th>Name</th><th>ID</th><th>Status</th>"
                + "<th>Containers</th><th>Created</th><th>Actions</th></tr></thead>\n<tbody>\n");
        if (pods.isEmpty()) {
            h.append("<tr><td colspan=\"6\">No pods.</td></tr>\n");
        }
        for (Entry e : pods) {
            Pod p = e.pod();
            String status = PodStatus.of(e.containers());
            h.append("<tr class=\"jpod-pod\" data-name=\"").append(Html.esc(p.name())).append("\" data-id=\"")
             .append(Html.esc(p.id())).append("\">")
             .append("<td class=\"name\">").append(Html.esc(p.name())).append("</td>")
             .append("<td class=\"id\"><code title=\"").append(Html.esc(p.id())).append("\">")
             .append(Html.esc(Page.shortId(p.id()))).append("</code></td>")
             .append("<td class=\"status\">").append(Html.esc(status)).append("</td>")
             .append("<td class=\"containers\">").append(Html.esc(members(p, e.containers()))).append("</td>")
             .append("<td class=\"created\">").append(Html.esc(Page.time(p.created()))).append("</td>")
             .append("<td class=\"actions\">");
            if (!status.equals("Running")) {
                Html.button(h, action, token, "start", "Start", p.id(), null);
            }
            if (status.equals("Running") || status.equals("Degraded") || status.equals("Paused")) {
                Html.button(h, action, token, "stop", "Stop", p.id(), null);
            }
            int n = e.containers().size();
            Html.button(h, action, token, "remove", "Remove", p.id(), "Remove the pod " + p.name() + (n == 0 ? "?"
                    : " and its " + n + (n == 1 ? " container?" : " containers?")));
            h.append("</td></tr>\n");
        }
        h.append("</tbody></table>\n</div>\n");
        return h.toString();
    }

    /** {@code web (running), db (exited (0)), 0123456789ab-infra (running) [infra]}: the infra container marked. */
    static String members(Pod p, List<Container> containers) {
        return containers.stream().map(c -> c.name() + " (" + Page.state(c) + ")"
                + (c.id().equals(p.infraContainerId()) ? " [infra]" : "")).collect(Collectors.joining(", "));
    }
}
