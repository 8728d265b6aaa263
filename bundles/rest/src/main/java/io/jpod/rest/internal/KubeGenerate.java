package io.jpod.rest.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jpod.api.Container;
import io.jpod.api.ContainerConfig;
import io.jpod.api.Mount;
import io.jpod.api.Pod;
import io.jpod.api.PortMapping;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * A pod as a Kubernetes Pod, as podman's generate kube writes it, in the fields play kube reads back: its
 * containers (not the infra container) with image, command, args, the environment beyond the image's, working
 * directory and mounts; the pod's host ports on its first container; bind mounts as hostPath volumes, named
 * volumes as persistentVolumeClaims, anonymous ones as emptyDirs.
 */
final class KubeGenerate {
    private KubeGenerate() {
    }

    /**
     * @param imageEnv an image's environment, left out of the YAML as play kube gets it from the image again
     */
    static ObjectNode pod(Pod pod, List<Container> ctrs, Function<String, List<String>> imageEnv) {
        ObjectNode doc = KubeYaml.object();
        doc.put("apiVersion", "v1");
        doc.put("kind", "Pod");
        ObjectNode meta = doc.putObject("metadata");
        if (pod.created() != null) {
            meta.put("creationTimestamp", pod.created().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
        }
        ObjectNode labels = meta.putObject("labels");
        labels.put("app", pod.name());
        pod.labels().forEach(labels::put);
        meta.put("name", pod.name());
        ObjectNode spec = doc.putObject("spec");
        ArrayNode containers = spec.putArray("containers");
        Map<String, ObjectNode> volumes = new LinkedHashMap<>();
        Container infra = ctrs.stream().filter(c -> c.id().equals(pod.infraContainerId())).findFirst().orElse(null);
        String restart = "Always";
        boolean first = true;
        for (Container c : ctrs) {
            if (c == infra) {
                continue;
            }
            ContainerConfig cfg = c.config();
            ObjectNode k = containers.addObject();
            if (!cfg.command().isEmpty()) {
                cfg.command().forEach(k.putArray("args")::add);
            }
            if (!cfg.entrypoint().isEmpty()) {
                cfg.entrypoint().forEach(k.putArray("command")::add);
            }
            Set<String> fromImage = Set.copyOf(cfg.image() == null ? List.of() : imageEnv.apply(cfg.image()));
            List<String> env = cfg.env().stream().filter(e -> !fromImage.contains(e)).toList();
            if (!env.isEmpty()) {
                ArrayNode a = k.putArray("env");
                for (String kv : env) {
                    int eq = kv.indexOf('=');
                    a.addObject().put("name", eq < 0 ? kv : kv.substring(0, eq)).put("value",
                            eq < 0 ? "" : kv.substring(eq + 1));
                }
            }
            k.put("image", cfg.image() == null ? "" : cfg.image());
            String prefix = pod.name() + "-";
            k.put("name", c.name().startsWith(prefix) && c.name().length() > prefix.length()
                    ? c.name().substring(prefix.length()) : c.name());
            if (first && infra != null && !infra.config().portMappings().isEmpty()) {
                ArrayNode ports = k.putArray("ports");
                for (PortMapping m : infra.config().portMappings()) {
                    for (int i = 0; i < Math.max(1, m.range()); i++) {
                        ObjectNode p = ports.addObject().put("containerPort", m.containerPort() + i)
                                .put("hostPort", m.hostPort() + i);
                        if (!m.hostIp().isEmpty()) {
                            p.put("hostIP", m.hostIp());
                        }
                        if (!m.protocol().equals("tcp")) {
                            p.put("protocol", m.protocol().toUpperCase(java.util.Locale.ROOT));
                        }
                    }
                }
            }
            if (!cfg.mounts().isEmpty()) {
                ArrayNode vms = k.putArray("volumeMounts");
                for (Mount m : cfg.mounts()) {
                    String name = volume(m, volumes);
                    ObjectNode vm = vms.addObject().put("mountPath", m.destination()).put("name", name);
                    if (m.options().contains("ro")) {
                        vm.put("readOnly", true);
                    }
                }
            }
            if (cfg.workingDir() != null && !cfg.workingDir().isEmpty() && !cfg.workingDir().equals("/")) {
                k.put("workingDir", cfg.workingDir());
            }
            if (first) {
                restart = switch (cfg.restartPolicy()) {
                    case "on-failure" -> "OnFailure";
                    case "no" -> "Never";
                    default -> "Always";
                };
            }
            first = false;
        }
        if (pod.hostname() != null && !pod.hostname().isEmpty()) {
            spec.put("hostname", pod.hostname());
        }
        spec.put("restartPolicy", restart);
        if (!volumes.isEmpty()) {
            ArrayNode vs = spec.putArray("volumes");
            volumes.values().forEach(vs::add);
        }
        return doc;
    }

    /** The volume of spec.volumes a mount uses: one per host path and per named volume, one per anonymous one. */
    private static String volume(Mount m, Map<String, ObjectNode> volumes) {
        boolean anonymous = m.type().equals("volume") && (m.source().isEmpty() || m.source().matches("[0-9a-f]{64}"));
        String key = anonymous ? "emptydir:" + volumes.size() : m.type() + ":" + m.source();
        ObjectNode known = volumes.get(key);
        if (known != null) {
            return known.path("name").asText();
        }
        ObjectNode v = KubeYaml.object();
        String name;
        if (m.type().equals("bind")) {
            name = "hostpath-" + volumes.size();
            v.put("name", name);
            v.putObject("hostPath").put("path", m.source()).put("type",
                    Files.isRegularFile(Path.of(m.source())) ? "File" : "Directory");
        } else if (!anonymous) {
            name = "pvc-" + volumes.size();
            v.put("name", name);
            v.putObject("persistentVolumeClaim").put("claimName", m.source());
        } else {
            name = "emptydir-" + volumes.size();
            v.put("name", name);
            v.putObject("emptyDir");
        }
        volumes.put(key, v);
        return name;
    }
}
