package io.jpod.rest.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jpod.api.ContainerConfig;
import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;
import io.jpod.api.Pod;
import io.jpod.api.PodSpec;
import io.jpod.api.Pods;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * libpod's Kubernetes routes: {@code POST /play/kube} (a pod per Pod or Deployment, started), {@code DELETE
 * /play/kube} (what play made, stopped and removed) and {@code GET /generate/kube} (a pod as YAML that play kube
 * reads back).
 */
final class KubeApi {
    private final Services services;
    private final Shapes shapes;

    KubeApi(Services services, Shapes shapes) {
        this.services = services;
        this.shapes = shapes;
    }

    void register(Router libpod) {
        libpod.add("POST", "/play/kube", this::play);
        libpod.add("DELETE", "/play/kube", this::down);
        libpod.add("GET", "/generate/kube", this::generate);
    }

    private void play(Exchange x) throws IOException {
        for (String q : List.of("userns", "seccompprofileroot", "signaturepolicy", "logdriver", "configmap",
                "build", "replace", "static_ip", "static_mac")) {
            String v = x.query(q);
            if (v != null && !v.isEmpty() && !v.equals("false")) {
                throw ApiException.badRequest("play kube " + q + " is not supported by jpod");
            }
        }
        List<KubePods.Plan> plans = KubePods.plans(KubeYaml.read(x.bodyStream()));
        List<String> networks = x.queryAll("network").stream().filter(s -> !s.isEmpty()).toList();
        boolean start = x.bool("start", true);
        Pods pods = services.engine().pods();
        ObjectNode report = shapes.object();
        ArrayNode reported = report.putArray("Pods");
        for (KubePods.Plan plan : plans) {
            reported.add(play(pods, plan, networks, start));
        }
        report.putNull("Volumes");
        report.putNull("StopReport");
        report.putNull("RmReport");
        report.putNull("Secrets");
        x.json(200, report);
    }

    /** One pod: made whole or not at all (a failure removes what was made of it). */
    private ObjectNode play(Pods pods, KubePods.Plan plan, List<String> networks, boolean start) {
        for (Map.Entry<String, KubePods.HostPath> hp : plan.hostPaths().entrySet()) {
            hostPath(hp.getKey(), hp.getValue());
        }
        Pod pod = pods.createPod(new PodSpec(plan.name(), plan.labels(), emptyToNull(plan.hostname()), null, true,
                plan.ports(), networks, "bridge", List.of()));
        List<String> ids = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        try {
            for (KubePods.Ctr c : plan.containers()) {
                ContainerConfig.Builder b = ContainerConfig.builder().name(c.name()).pod(pod.id()).image(c.image())
                        .env(c.env()).mounts(c.mounts()).restartPolicy(c.restartPolicy())
                        .terminal(c.tty()).stdin(c.stdin()).labels(plan.labels());
                if (!c.workingDir().isEmpty()) {
                    b.workingDir(c.workingDir());
                }
                if (c.options().resources() != null) {
                    b.resources(c.options().resources());
                }
                if (c.options().security() != null) {
                    b.security(c.options().security());
                }
                if (c.options().user() != null) {
                    b.user(c.options().user());
                }
                if (c.stopTimeout() > 0) {
                    b.stopTimeout(c.stopTimeout());
                }
                // Kubernetes' command is the entrypoint, its args the command; each the image's when not given
                if (!c.command().isEmpty()) {
                    b.entrypoint(c.command());
                }
                if (!c.args().isEmpty() || !c.command().isEmpty()) {
                    b.command(c.args());
                }
                ContainerConfig cfg = b.build();
                try {
                    cfg = withDefaults(cfg, !c.command().isEmpty());
                } catch (JpodException e) {
                    if (JpodException.is(e, ErrorCode.NO_SUCH_IMAGE)) {
                        throw ApiException.notFound("No such image: " + c.image() + " (pull it first)");
                    }
                    throw e;
                }
                ids.add(services.containers().createContainer(cfg).id());
            }
            if (start) {
                pods.podAction(pod.id(), "start", -1, 0).values().forEach(errors::add);
            }
        } catch (RuntimeException e) {
            try {
                pods.removePod(pod.id(), true);
            } catch (RuntimeException again) {
                e.addSuppressed(again);
            }
            throw e;
        }
        ObjectNode o = shapes.object();
        o.put("ID", pod.id());
        o.set("Containers", shapes.strings(ids));
        o.putNull("InitContainers");
        o.putNull("Logs");
        if (errors.isEmpty()) {
            o.putNull("ContainerErrors");
        } else {
            o.set("ContainerErrors", shapes.strings(errors));
        }
        return o;
    }

    /** The image's defaults, but a command given in the YAML replaces the image's Cmd along with its Entrypoint. */
    private ContainerConfig withDefaults(ContainerConfig cfg, boolean ownEntrypoint) {
        ContainerConfig merged = services.images().withImageDefaults(cfg);
        if (ownEntrypoint && cfg.command().isEmpty()) {
            merged = merged.toBuilder().command(List.of()).build();
        }
        return merged;
    }

    private static void hostPath(String volume, KubePods.HostPath hp) {
        Path p = Path.of(hp.path());
        switch (hp.type()) {
            case "DirectoryOrCreate" -> {
                try {
                    Files.createDirectories(p);
                } catch (IOException e) {
                    throw ApiException.badRequest("volume " + volume + ": cannot create hostPath " + p + ": "
                            + e.getMessage());
                }
            }
            case "Directory" -> {
                if (!Files.isDirectory(p)) {
                    throw ApiException.badRequest("volume " + volume + ": hostPath " + p + " is not a directory");
                }
            }
            case "File" -> {
                if (!Files.isRegularFile(p)) {
                    throw ApiException.badRequest("volume " + volume + ": hostPath " + p + " is not a file");
                }
            }
            default -> {
                if (!Files.exists(p)) {
                    throw ApiException.badRequest("volume " + volume + ": hostPath " + p + " does not exist: "
                            + "create it or give type DirectoryOrCreate");
                }
            }
        }
    }

    private void down(Exchange x) throws IOException {
        List<String> names = KubePods.names(KubeYaml.read(x.bodyStream()));
        Pods pods = services.engine().pods();
        ObjectNode report = shapes.object();
        report.putNull("Pods");
        report.putNull("Volumes");
        ArrayNode stopped = report.putArray("StopReport");
        ArrayNode removed = report.putArray("RmReport");
        for (String name : names) {
            Pod pod;
            try {
                pod = pods.pod(name);
            } catch (JpodException e) {
                if (JpodException.is(e, ErrorCode.NO_SUCH_POD)) {
                    continue; // as podman: what is not there is not an error
                }
                throw e;
            }
            Map<String, String> errs = pods.podAction(pod.id(), "stop", -1, 0);
            ObjectNode s = stopped.addObject();
            if (errs.isEmpty()) {
                s.putNull("Errs");
            } else {
                s.set("Errs", shapes.strings(List.copyOf(errs.values())));
            }
            s.put("Id", pod.id());
            pods.removePod(pod.id(), true);
            removed.addObject().putNull("Err").put("Id", pod.id());
        }
        report.putNull("Secrets");
        x.json(200, report);
    }

    private void generate(Exchange x) throws IOException {
        if (x.bool("service", false)) {
            throw ApiException.badRequest("generate kube service is not supported by jpod: generate the pod only");
        }
        List<String> names = x.queryAll("names");
        if (names.isEmpty()) {
            throw ApiException.badRequest("names is missing: name the pods to generate");
        }
        Pods pods = services.engine().pods();
        List<ObjectNode> docs = new ArrayList<>();
        for (String n : names) {
            Pod pod = pods.pod(n);
            docs.add(KubeGenerate.pod(pod, pods.podContainers(pod.id()), this::imageEnv));
        }
        x.text(200, "application/x-tar", KubeYaml.write(docs));
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    /** An image's environment; none when the image is gone. */
    private List<String> imageEnv(String image) {
        try {
            return services.images().inspect(image).config().env();
        } catch (JpodException e) {
            return List.of();
        }
    }
}
