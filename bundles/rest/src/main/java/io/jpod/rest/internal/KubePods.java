package io.jpod.rest.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.jpod.api.Mount;
import io.jpod.api.PortMapping;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Kubernetes Pods and Deployments (replicas 1) read into what play kube makes, as podman 4.3's kube.go reads
 * them: a pod named as the Pod (a Deployment's {@code <name>-pod}), its containers {@code <pod>-<container>},
 * the containers' host ports on the pod. A field jpod does not support is refused by its path, with the line
 * of its document.
 */
final class KubePods {
    /** A container of the plan. */
    record Ctr(String name, String image, List<String> command, List<String> args, List<String> env,
            String workingDir, List<Mount> mounts, String restartPolicy, long stopTimeout, boolean tty,
            boolean stdin, KubeContainerOptions.Options options) {
    }

    /** A hostPath volume's directory and type, checked when it is played. */
    record HostPath(String path, String type) {
    }

    /** One pod to make. */
    record Plan(String name, Map<String, String> labels, String hostname, List<PortMapping> ports, List<Ctr> containers,
            Map<String, HostPath> hostPaths) {
    }

    private static final Set<String> POD_FIELDS = Set.of("containers", "volumes", "hostname", "restartPolicy",
            "terminationGracePeriodSeconds");
    private static final Set<String> POD_IGNORED = Set.of("automountServiceAccountToken", "enableServiceLinks",
            "dnsPolicy", "schedulerName", "serviceAccountName", "serviceAccount");
    private static final Set<String> CTR_FIELDS = Set.of("name", "image", "command", "args", "env", "envFrom",
            "workingDir", "ports", "volumeMounts", "tty", "stdin", "resources", "securityContext");
    private static final Set<String> CTR_IGNORED = Set.of("imagePullPolicy", "terminationMessagePath",
            "terminationMessagePolicy");

    private KubePods() {
    }

    /** The pods of the documents; an unsupported kind is refused with its line. */
    static List<Plan> plans(List<KubeYaml.Document> docs) {
        List<Plan> out = new ArrayList<>();
        Map<String, Map<String, String>> configMaps = configMaps(docs);
        for (KubeYaml.Document d : docs) {
            String kind = d.node().path("kind").asText("");
            At at = new At(d.line());
            switch (kind) {
                case "Pod" -> {
                    at.fields(d.node(), "", Set.of("apiVersion", "kind", "metadata", "spec"), Set.of("status"));
                    out.add(pod(d.node().path("metadata"), d.node().path("spec"), null, configMaps, at));
                }
                case "Deployment" -> {
                    at.fields(d.node(), "", Set.of("apiVersion", "kind", "metadata", "spec"), Set.of("status"));
                    JsonNode spec = d.node().path("spec");
                    at.fields(spec, "spec.", Set.of("replicas", "template", "selector"), Set.of("strategy"));
                    JsonNode replicas = spec.get("replicas");
                    if (replicas != null && !replicas.isNull() && (!replicas.isInt() || replicas.asInt() != 1)) {
                        throw at.bad("spec.replicas " + replicas + " is not supported: jpod plays a Deployment "
                                + "with one replica");
                    }
                    String name = name(d.node().path("metadata"), at);
                    JsonNode template = spec.path("template");
                    at.fields(template, "spec.template.", Set.of("metadata", "spec"), Set.of());
                    out.add(pod(template.path("metadata"), template.path("spec"), name + "-pod", configMaps, at));
                }
                case "ConfigMap" -> {
                    // read by configMaps(): the containers' env takes from it
                }
                case "" -> throw at.bad("kind is missing: give Pod or Deployment");
                default -> throw at.bad("kind " + kind + " is not supported by jpod: use Pod, Deployment or ConfigMap");
            }
        }
        return out;
    }

    /** The pods' names alone, for play kube --down. */
    static List<String> names(List<KubeYaml.Document> docs) {
        List<String> out = new ArrayList<>();
        for (KubeYaml.Document d : docs) {
            At at = new At(d.line());
            String kind = d.node().path("kind").asText("");
            String name = name(d.node().path("metadata"), at);
            switch (kind) {
                case "Pod" -> out.add(name);
                case "Deployment" -> out.add(name + "-pod");
                default -> throw at.bad("kind " + (kind.isEmpty() ? "(missing)" : kind)
                        + " is not supported by jpod: use Pod or Deployment");
            }
        }
        return out;
    }

    private static String name(JsonNode metadata, At at) {
        String name = metadata.path("name").asText("");
        if (name.isEmpty()) {
            throw at.bad("metadata.name is missing: the pod needs a name");
        }
        return name;
    }

    /** The ConfigMaps of the documents by name: their data, which containers' env may take from. */
    private static Map<String, Map<String, String>> configMaps(List<KubeYaml.Document> docs) {
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        for (KubeYaml.Document d : docs) {
            if (d.node().path("kind").asText("").equals("ConfigMap")) {
                At at = new At(d.line());
                at.fields(d.node(), "", Set.of("apiVersion", "kind", "metadata", "data"), Set.of());
                at.fields(d.node().path("metadata"), "metadata.", Set.of("name"), Set.of("labels", "annotations",
                        "namespace", "creationTimestamp", "uid", "resourceVersion"));
                String name = d.node().path("metadata").path("name").asText("");
                if (name.isEmpty()) {
                    throw at.bad("metadata.name is missing: the ConfigMap needs a name");
                }
                out.put(name, strings(d.node().get("data"), "data", at));
            }
        }
        return out;
    }

    /** One {@code env} entry: a value, or one key of a ConfigMap of the documents ({@code valueFrom.configMapKeyRef}). */
    private static String envEntry(JsonNode kv, String ew, Map<String, Map<String, String>> configMaps, At at) {
        at.fields(kv, ew, Set.of("name", "value", "valueFrom"), Set.of());
        String name = kv.path("name").asText("");
        if (name.isEmpty()) {
            throw at.bad(ew + "name is missing");
        }
        if (!kv.has("valueFrom")) {
            return name + "=" + kv.path("value").asText("");
        }
        at.fields(kv.path("valueFrom"), ew + "valueFrom.", Set.of("configMapKeyRef"), Set.of());
        JsonNode ref = kv.path("valueFrom").path("configMapKeyRef");
        at.fields(ref, ew + "valueFrom.configMapKeyRef.", Set.of("name", "key", "optional"), Set.of());
        String map = ref.path("name").asText("");
        String key = ref.path("key").asText("");
        Map<String, String> data = configMaps.get(map);
        if (data == null || !data.containsKey(key)) {
            if (ref.path("optional").asBoolean(false)) {
                return null;
            }
            throw at.bad(ew + "valueFrom.configMapKeyRef names " + (data == null ? "ConfigMap " + map
                    + ", which is not among the documents" : "key " + key + ", which ConfigMap " + map + " has not")
                    + ": add it, or mark the reference optional");
        }
        return name + "=" + data.get(key);
    }

    /** {@code envFrom}: every key of the named ConfigMaps, with their prefix. */
    private static List<String> envFrom(JsonNode list, String where, Map<String, Map<String, String>> configMaps, At at) {
        List<String> env = new ArrayList<>();
        int i = 0;
        for (JsonNode from : list) {
            String fw = where + "envFrom[" + i++ + "].";
            at.fields(from, fw, Set.of("configMapRef", "prefix"), Set.of());
            JsonNode ref = from.path("configMapRef");
            at.fields(ref, fw + "configMapRef.", Set.of("name", "optional"), Set.of());
            Map<String, String> data = configMaps.get(ref.path("name").asText(""));
            if (data == null) {
                if (ref.path("optional").asBoolean(false)) {
                    continue;
                }
                throw at.bad(fw + "configMapRef names ConfigMap " + ref.path("name").asText("") + ", which is not "
                        + "among the documents: add it, or mark the reference optional");
            }
            String prefix = from.path("prefix").asText("");
            data.forEach((k, v) -> env.add(prefix + k + "=" + v));
        }
        return env;
    }

    private static Plan pod(JsonNode metadata, JsonNode spec, String podName, Map<String, Map<String, String>> configMaps,
            At at) {
        String name = podName != null ? podName : name(metadata, at);
        at.fields(metadata, "metadata.", Set.of("name", "labels"),
                Set.of("annotations", "creationTimestamp", "namespace", "uid", "resourceVersion", "generation"));
        Map<String, String> labels = strings(metadata.get("labels"), "metadata.labels", at);
        if (!spec.isObject()) {
            throw at.bad("spec is missing: the pod needs spec.containers");
        }
        at.fields(spec, "spec.", POD_FIELDS, POD_IGNORED);
        String restart = switch (spec.path("restartPolicy").asText("Always")) {
            case "Always" -> "always";
            case "OnFailure" -> "on-failure";
            case "Never" -> "no";
            default -> throw at.bad("spec.restartPolicy " + spec.path("restartPolicy").asText()
                    + " is not one of Always, OnFailure, Never");
        };
        long grace = spec.path("terminationGracePeriodSeconds").asLong(0);
        Map<String, JsonNode> volumes = new LinkedHashMap<>();
        Map<String, HostPath> hostPaths = new LinkedHashMap<>();
        int i = 0;
        for (JsonNode v : spec.path("volumes")) {
            String where = "spec.volumes[" + i++ + "].";
            at.fields(v, where, Set.of("name", "hostPath", "emptyDir", "persistentVolumeClaim"), Set.of());
            String vn = v.path("name").asText("");
            if (vn.isEmpty()) {
                throw at.bad(where + "name is missing");
            }
            if (v.has("hostPath")) {
                at.fields(v.path("hostPath"), where + "hostPath.", Set.of("path", "type"), Set.of());
                String path = v.path("hostPath").path("path").asText("");
                String type = v.path("hostPath").path("type").asText("");
                if (!path.startsWith("/")) {
                    throw at.bad(where + "hostPath.path must be an absolute path on the host");
                }
                if (!Set.of("", "Directory", "DirectoryOrCreate", "File").contains(type)) {
                    throw at.bad(where + "hostPath.type " + type + " is not supported by jpod: use Directory, "
                            + "DirectoryOrCreate or File");
                }
                hostPaths.put(vn, new HostPath(path, type));
            } else if (v.has("persistentVolumeClaim")) {
                at.fields(v.path("persistentVolumeClaim"), where + "persistentVolumeClaim.", Set.of("claimName"),
                        Set.of("readOnly"));
                if (v.path("persistentVolumeClaim").path("claimName").asText("").isEmpty()) {
                    throw at.bad(where + "persistentVolumeClaim.claimName is missing");
                }
            } else if (!v.has("emptyDir")) {
                throw at.bad(where + " has no hostPath, emptyDir or persistentVolumeClaim: jpod supports those");
            }
            volumes.put(vn, v);
        }
        List<PortMapping> ports = new ArrayList<>();
        List<Ctr> ctrs = new ArrayList<>();
        i = 0;
        JsonNode containers = spec.path("containers");
        if (!containers.isArray() || containers.isEmpty()) {
            throw at.bad("spec.containers is missing: the pod needs a container");
        }
        for (JsonNode c : containers) {
            String where = "spec.containers[" + i++ + "].";
            at.fields(c, where, CTR_FIELDS, CTR_IGNORED);
            KubeContainerOptions.Options options = KubeContainerOptions.of(c.get("resources"),
                    c.get("securityContext"), where, at::bad);
            String cn = c.path("name").asText("");
            String image = c.path("image").asText("");
            if (cn.isEmpty() || image.isEmpty()) {
                throw at.bad(where + (cn.isEmpty() ? "name" : "image") + " is missing");
            }
            // envFrom first: an env entry of the same name wins, as in Kubernetes
            List<String> env = new ArrayList<>(envFrom(c.path("envFrom"), where, configMaps, at));
            int e = 0;
            for (JsonNode kv : c.path("env")) {
                String entry = envEntry(kv, where + "env[" + e++ + "].", configMaps, at);
                if (entry != null) {
                    env.add(entry);
                }
            }
            Map<String, String> byName = new LinkedHashMap<>();
            env.forEach(kv -> byName.put(kv.substring(0, kv.indexOf('=')), kv));
            env = new ArrayList<>(byName.values());
            int p = 0;
            for (JsonNode port : c.path("ports")) {
                String pw = where + "ports[" + p++ + "].";
                at.fields(port, pw, Set.of("containerPort", "hostPort", "hostIP", "protocol"), Set.of("name"));
                int cp = port.path("containerPort").asInt(0);
                int hp = port.path("hostPort").asInt(0);
                if (cp < 1 || cp > 65535 || hp < 0 || hp > 65535) {
                    throw at.bad(pw + "containerPort and hostPort must be port numbers");
                }
                if (hp > 0) {
                    ports.add(new PortMapping(port.path("hostIP").asText(""), hp, cp,
                            port.path("protocol").asText("TCP").toLowerCase(java.util.Locale.ROOT), 1));
                }
            }
            List<Mount> mounts = new ArrayList<>();
            int m = 0;
            for (JsonNode vm : c.path("volumeMounts")) {
                String mw = where + "volumeMounts[" + m++ + "].";
                at.fields(vm, mw, Set.of("name", "mountPath", "readOnly"), Set.of());
                String vn = vm.path("name").asText("");
                JsonNode v = volumes.get(vn);
                if (v == null) {
                    throw at.bad(mw + "name " + vn + " names no volume of spec.volumes");
                }
                String dest = vm.path("mountPath").asText("");
                List<String> opts = vm.path("readOnly").asBoolean(false) ? List.of("ro") : List.of();
                if (hostPaths.containsKey(vn)) {
                    mounts.add(new Mount("bind", hostPaths.get(vn).path(), dest, opts));
                } else if (v.has("persistentVolumeClaim")) {
                    mounts.add(new Mount("volume", v.path("persistentVolumeClaim").path("claimName").asText(), dest,
                            opts));
                } else {
                    mounts.add(new Mount("volume", "", dest, opts));
                }
            }
            ctrs.add(new Ctr(name + "-" + cn, image, list(c.get("command"), where + "command", at),
                    list(c.get("args"), where + "args", at), env, c.path("workingDir").asText(""), mounts, restart,
                    grace, c.path("tty").asBoolean(false), c.path("stdin").asBoolean(false), options));
        }
        return new Plan(name, labels, spec.path("hostname").asText(""), ports, ctrs, hostPaths);
    }

    private static List<String> list(JsonNode n, String where, At at) {
        List<String> out = new ArrayList<>();
        if (n == null || n.isNull()) {
            return out;
        }
        if (!n.isArray()) {
            throw at.bad(where + " must be a list of strings");
        }
        n.forEach(x -> out.add(x.asText()));
        return out;
    }

    private static Map<String, String> strings(JsonNode n, String where, At at) {
        Map<String, String> out = new LinkedHashMap<>();
        if (n == null || n.isNull()) {
            return out;
        }
        if (!n.isObject()) {
            throw at.bad(where + " must be a mapping of strings");
        }
        n.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }

    /** Errors that name the document's line. */
    private record At(int line) {
        ApiException bad(String message) {
            return ApiException.badRequest(message + " (in the document at line " + line + ")");
        }

        void fields(JsonNode obj, String prefix, Set<String> read, Set<String> ignored) {
            if (obj == null || obj.isMissingNode() || obj.isNull()) {
                return;
            }
            if (!obj.isObject()) {
                throw bad((prefix.isEmpty() ? "the document" : prefix.substring(0, prefix.length() - 1))
                        + " must be a mapping");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = obj.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> f = it.next();
                if (!read.contains(f.getKey()) && !ignored.contains(f.getKey())
                        && !PodCreateRequest.empty(f.getValue())) {
                    throw bad(prefix + f.getKey() + " is not supported by jpod");
                }
            }
        }
    }
}
