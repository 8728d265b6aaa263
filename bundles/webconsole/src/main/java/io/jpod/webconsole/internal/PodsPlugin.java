package io.jpod.webconsole.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.jpod.api.Container;
import io.jpod.api.JpodException;
import io.jpod.api.Pod;
import io.jpod.api.Pods;

/** The "Pods" page of the Felix Web Console: the engine's pods with their containers, to start, stop and remove. */
@Component(service = Servlet.class, property = {
        "felix.webconsole.label=" + PodsPlugin.LABEL,
        "felix.webconsole.title=Pods",
        "felix.webconsole.category=jpod" })
public final class PodsPlugin extends ActionPlugin {
    private static final long serialVersionUID = 1L;
    static final String LABEL = "pods";
    private static final Logger LOG = LoggerFactory.getLogger(PodsPlugin.class);

    private transient volatile Pods engine;

    public PodsPlugin() {
        super(LABEL, "pod");
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void bindPods(Pods p) {
        engine = p;
    }

    void unbindPods(Pods p) {
        if (engine == p) {
            engine = null;
        }
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        HttpSession session = req.getSession(true);
        String token = token(session);
        Banner banner = takeBanner(session);
        List<PodsPage.Entry> entries = null;
        String listError = null;
        Pods p = engine;
        if (p != null) {
            try {
                entries = entries(p);
            } catch (RuntimeException ex) {
                LOG.warn("Web Console: listing the pods failed", ex);
                listError = "The pods could not be listed: " + message(ex);
            }
        }
        resp.setContentType("text/html;charset=UTF-8");
        resp.getWriter().write(new PodsPage(entries, listError, banner, token, action(req)).render());
    }

    /** Each pod with its containers, newest first; a pod removed while it is listed is left out. */
    static List<PodsPage.Entry> entries(Pods p) {
        List<PodsPage.Entry> all = new ArrayList<>();
        for (Pod pod : p.pods()) {
            try {
                all.add(new PodsPage.Entry(pod, p.podContainers(pod.id())));
            } catch (JpodException gone) {
                LOG.debug("Web Console: pod {} went while it was listed", pod.id(), gone);
            }
        }
        all.sort(Comparator.comparing((PodsPage.Entry e) -> e.pod().created(),
                Comparator.nullsLast(Comparator.reverseOrder())));
        return all;
    }

    @Override
    Outcome act(String verb, String id) {
        Pods p = engine;
        if (p == null) {
            return new Outcome(true, "Could not " + verb + " " + shortName(id)
                    + ": there is no engine (the pods cannot be reached until it is assembled).");
        }
        try {
            String name = p.pod(id).name();
            switch (verb) {
                case "start", "stop" -> {
                    Map<String, String> failed = p.podAction(id, verb, -1, 0);
                    String done = (verb.equals("start") ? "Started " : "Stopped ") + name;
                    return failed.isEmpty() ? new Outcome(false, done + ".")
                            : new Outcome(true, done + ", but not all of its containers: " + failures(failed) + ".");
                }
                case "remove" -> {
                    List<Container> members = p.podContainers(id);
                    p.removePod(id, true);
                    return new Outcome(false, "Removed " + name + " and its " + members.size()
                            + (members.size() == 1 ? " container." : " containers."));
                }
                default -> {
                    return new Outcome(true, "Nothing was done: unknown action \"" + verb + "\".");
                }
            }
        } catch (JpodException ex) {
            return new Outcome(true, "Could not " + verb + " " + shortName(id) + ": " + ex.getMessage());
        } catch (RuntimeException ex) {
            LOG.warn("Web Console: {} of pod {} failed", verb, id, ex);
            return new Outcome(true, "Could not " + verb + " " + shortName(id) + ": " + message(ex));
        }
    }

    private static String failures(Map<String, String> failed) {
        List<String> parts = new ArrayList<>();
        failed.forEach((ctr, why) -> parts.add(shortName(ctr) + " (" + why + ")"));
        return String.join(", ", parts);
    }
}
