package io.jpod.webconsole.internal;

import java.io.IOException;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.jpod.api.Container;
import io.jpod.api.ContainerHealth;
import io.jpod.api.Containers;
import io.jpod.api.EngineAssembler;
import io.jpod.api.EngineStatus;
import io.jpod.api.HealthState;
import io.jpod.api.Healthcheck;
import io.jpod.api.ImageInfo;
import io.jpod.api.Images;
import io.jpod.api.JpodException;

/**
 * The "Containers" page of the Felix Web Console: the engine's status, the containers with their health and
 * start, stop, restart, pause, unpause and remove, and the images.
 */
@Component(service = Servlet.class, property = {
        "felix.webconsole.label=" + ContainersPlugin.LABEL,
        "felix.webconsole.title=Containers",
        "felix.webconsole.category=jpod" })
public final class ContainersPlugin extends ActionPlugin {
    private static final long serialVersionUID = 1L;
    static final String LABEL = "containers";
    private static final Logger LOG = LoggerFactory.getLogger(ContainersPlugin.class);

    private final String version;
    private transient volatile EngineAssembler assembler;
    private transient volatile Containers engine;
    private transient volatile Images images;
    private transient volatile ContainerHealth health;

    @Activate
    public ContainersPlugin(BundleContext context) {
        super(LABEL, "container");
        version = context.getBundle().getVersion().toString();
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void bindAssembler(EngineAssembler a) {
        assembler = a;
    }

    void unbindAssembler(EngineAssembler a) {
        if (assembler == a) {
            assembler = null;
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void bindEngine(Containers e) {
        engine = e;
    }

    void unbindEngine(Containers e) {
        if (engine == e) {
            engine = null;
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void bindImages(Images i) {
        images = i;
    }

    void unbindImages(Images i) {
        if (images == i) {
            images = null;
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void bindHealth(ContainerHealth h) {
        health = h;
    }

    void unbindHealth(ContainerHealth h) {
        if (health == h) {
            health = null;
        }
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        HttpSession session = req.getSession(true);
        String token = token(session);
        Banner banner = takeBanner(session);

        EngineAssembler a = assembler;
        EngineStatus status = null;
        String listError = null;
        if (a != null) {
            try {
                status = a.status();
            } catch (RuntimeException e) {
                LOG.warn("Web Console: the assembler's status failed", e);
                listError = "The engine's status could not be read: " + message(e);
            }
        }
        List<Container> containers = null;
        List<ImageInfo> imageList = null;
        Containers e = engine;
        if (e != null) {
            try {
                containers = e.containers(c -> true).stream()
                        .sorted(Comparator.comparing((Container c) -> c.config().created(),
                                Comparator.nullsLast(Comparator.reverseOrder())))
                        .toList();
            } catch (RuntimeException ex) {
                LOG.warn("Web Console: listing the containers failed", ex);
                listError = "The containers could not be listed: " + message(ex);
            }
        } else if (listError == null && status != null && !status.assembled()) {
            listError = "There is no engine, so there are no containers to show: " + status.message();
        }
        Images i = images;
        if (i != null) {
            try {
                imageList = i.list();
            } catch (RuntimeException ex) {
                LOG.warn("Web Console: listing the images failed", ex);
            }
        }
        Page page = new Page(version, status, containers, imageList, listError, banner.message(), banner.error(), token,
                action(req), health(containers), Instant.now());
        resp.setContentType("text/html;charset=UTF-8");
        resp.getWriter().write(page.render());
    }

    /** The health of those containers whose healthcheck runs, as podman's list gives it; none without the service. */
    Map<String, HealthState> health(List<Container> containers) {
        ContainerHealth h = health;
        Map<String, HealthState> out = new HashMap<>();
        if (h == null || containers == null) {
            return out;
        }
        for (Container c : containers) {
            Healthcheck hc = c.config().healthcheck();
            if (hc == null || !hc.active()) {
                continue;
            }
            try {
                Optional<HealthState> s = h.health(c.id());
                s.ifPresent(v -> out.put(c.id(), v));
            } catch (RuntimeException ex) {
                // removed since it was listed, or the engine went away: the page shows it without its health
                LOG.debug("Web Console: the health of {} could not be read", c.id(), ex);
            }
        }
        return out;
    }

    @Override
    Outcome act(String verb, String id) {
        Containers e = engine;
        if (e == null) {
            EngineAssembler a = assembler;
            return new Outcome(true, "Could not " + verb + " " + id + ": there is no engine ("
                    + (a == null ? "the jpod-runtime bundle is not running" : a.status().message()) + ").");
        }
        try {
            switch (verb) {
                case "start" -> {
                    Container c = e.start(id);
                    return new Outcome(false, "Started " + c.name() + ".");
                }
                case "stop" -> {
                    Container c = e.container(id);
                    Container after = e.stop(id, c.config().stopTimeout());
                    return new Outcome(false, "Stopped " + c.name() + " (" + Page.state(after) + ").");
                }
                case "restart" -> {
                    Container c = e.restart(id, -1);
                    return new Outcome(false, "Restarted " + c.name() + ".");
                }
                case "pause" -> {
                    Container c = e.pause(id);
                    return new Outcome(false, "Paused " + c.name() + ".");
                }
                case "unpause" -> {
                    Container c = e.unpause(id);
                    return new Outcome(false, "Unpaused " + c.name() + ".");
                }
                case "remove" -> {
                    String name = e.container(id).name();
                    e.removeContainer(id, false);
                    return new Outcome(false, "Removed " + name + ".");
                }
                default -> {
                    return new Outcome(true, "Nothing was done: unknown action \"" + verb + "\".");
                }
            }
        } catch (JpodException ex) {
            return new Outcome(true, "Could not " + verb + " " + shortName(id) + ": " + ex.getMessage());
        } catch (RuntimeException ex) {
            LOG.warn("Web Console: {} {} failed", verb, id, ex);
            return new Outcome(true, "Could not " + verb + " " + shortName(id) + ": " + message(ex));
        }
    }
}
