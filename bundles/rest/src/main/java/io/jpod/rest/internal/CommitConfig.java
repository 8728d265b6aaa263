package io.jpod.rest.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.jpod.api.ContainerConfig;
import io.jpod.api.ImageConfig;
import io.jpod.api.PortMapping;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a committed image's config says about containers: the container's own (its command, entrypoint,
 * environment, working directory, user, labels, published ports) over its image's, and over both the config
 * given in the request's body, merged as docker's daemon merges it (the body's fields win; its Env, Labels,
 * ExposedPorts and Volumes are added to).
 */
final class CommitConfig {
    private static final Set<String> MERGED = Set.of("User", "ExposedPorts", "Env", "Labels", "Entrypoint", "Cmd",
            "WorkingDir", "Volumes", "StopSignal");
    /** What a client sends from a container's config that says nothing about the image. */
    private static final Set<String> IGNORED = Set.of("Hostname", "Domainname", "AttachStdin", "AttachStdout",
            "AttachStderr", "Tty", "OpenStdin", "StdinOnce", "Image", "ArgsEscaped", "NetworkDisabled",
            "MacAddress", "StopTimeout");

    static final String DEFAULT_PATH = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private CommitConfig() {
    }

    /**
     * @param processCwd podman's: a container without a working directory of its own ran in {@code /}, and the
     *                   image says so; docker's image keeps it empty
     */
    static ImageConfig of(ContainerConfig c, ImageConfig image, JsonNode body, boolean processCwd) {
        ImageConfig base = image == null ? new ImageConfig(null, null, null, null, null, null, null, null, null)
                : image;
        Map<String, String> labels = new LinkedHashMap<>(base.labels());
        labels.putAll(c.labels());
        Set<String> ports = new LinkedHashSet<>(base.exposedPorts());
        for (PortMapping p : c.portMappings()) {
            for (int i = 0; i < Math.max(1, p.range()); i++) {
                ports.add((p.containerPort() + i) + "/" + p.protocol());
            }
        }
        String workdir = c.workingDir() == null || c.workingDir().isEmpty() ? processCwd ? "/" : null
                : c.workingDir();
        List<String> env0 = new ArrayList<>(c.env());
        if (env0.stream().noneMatch(e -> e.startsWith("PATH="))) {
            // the PATH the container ran with, as docker and podman keep it in the image
            env0.add(0, DEFAULT_PATH);
        }
        ImageConfig ctr = new ImageConfig(env0, c.command(), c.entrypoint(), workdir, c.user(),
                List.copyOf(ports), base.volumes(), labels, base.stopSignal());
        if (body == null || body.isNull() || body.isEmpty()) {
            return ctr;
        }
        if (!body.isObject()) {
            throw ApiException.badRequest("the commit's body must be a container config (a JSON object)");
        }
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            JsonNode v = body.get(f);
            boolean empty = v.isNull() || v.isContainerNode() && v.isEmpty() || v.isTextual() && v.asText().isEmpty()
                    || v.isBoolean() && !v.asBoolean() || v.isNumber() && v.asLong() == 0;
            if (!MERGED.contains(f) && !IGNORED.contains(f) && !empty) {
                throw ApiException.badRequest(f + " in the commit's config is not supported by jpod: give it as a "
                        + "change (" + String.join(", ", CommitInstructions.ACCEPTED) + ") or leave it out");
            }
        }
        List<String> env = strings(body, "Env");
        if (env.isEmpty()) {
            env = ctr.env();
        } else {
            env = new ArrayList<>(env);
            for (String e : ctr.env()) {
                String key = e.split("=", 2)[0];
                if (env.stream().noneMatch(u -> u.split("=", 2)[0].equals(key))) {
                    env.add(e);
                }
            }
        }
        List<String> entrypoint = strings(body, "Entrypoint");
        List<String> cmd = strings(body, "Cmd");
        if (entrypoint.isEmpty()) {
            if (cmd.isEmpty()) {
                cmd = ctr.cmd();
            }
            if (!body.has("Entrypoint") || body.get("Entrypoint").isNull()) {
                entrypoint = ctr.entrypoint();
            }
        }
        Map<String, String> mergedLabels = new LinkedHashMap<>(ctr.labels());
        body.path("Labels").fields().forEachRemaining(e -> mergedLabels.put(e.getKey(), e.getValue().asText()));
        Set<String> mergedPorts = new LinkedHashSet<>(ctr.exposedPorts());
        body.path("ExposedPorts").fieldNames().forEachRemaining(mergedPorts::add);
        Set<String> volumes = new LinkedHashSet<>(ctr.volumes());
        body.path("Volumes").fieldNames().forEachRemaining(volumes::add);
        return new ImageConfig(env, cmd, entrypoint, text(body, "WorkingDir", ctr.workingDir()),
                text(body, "User", ctr.user()), List.copyOf(mergedPorts), List.copyOf(volumes), mergedLabels,
                text(body, "StopSignal", ctr.stopSignal()));
    }

    private static List<String> strings(JsonNode body, String field) {
        JsonNode n = body.get(field);
        List<String> out = new ArrayList<>();
        if (n == null || n.isNull()) {
            return out;
        }
        if (n.isTextual()) {
            out.add(n.asText());
            return out;
        }
        if (!n.isArray()) {
            throw ApiException.badRequest(field + " in the commit's config must be an array of strings");
        }
        for (JsonNode e : n) {
            if (!e.isTextual()) {
                throw ApiException.badRequest(field + " in the commit's config must be an array of strings");
            }
            out.add(e.asText());
        }
        return out;
    }

    private static String text(JsonNode body, String field, String dflt) {
        String v = body.path(field).asText("");
        return v.isEmpty() ? dflt : v;
    }
}
