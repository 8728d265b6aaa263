package io.jpod.build.internal;

import io.jpod.api.ImageConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Where a stage stands between its steps: its image so far and what the next steps see. */
final class StageState {
    final String name;
    final int index;
    String imageId;
    final Map<String, String> env = new LinkedHashMap<>();
    List<String> cmd = List.of();
    List<String> entrypoint = List.of();
    String workingDir = "";
    String user = "";
    final Set<String> exposedPorts = new LinkedHashSet<>();
    final Set<String> volumes = new LinkedHashSet<>();
    final Map<String, String> labels = new LinkedHashMap<>();
    String stopSignal;
    List<String> shell = List.of("/bin/sh", "-c");
    /** The ONBUILD triggers this stage registers (a base's are run, not inherited). */
    final List<String> onBuild = new java.util.ArrayList<>();
    /** The ARGs declared in this stage, with their values (null: declared without one). */
    final Map<String, String> args = new LinkedHashMap<>();
    boolean cmdSetHere;
    String author;

    StageState(String name, int index) {
        this.name = name;
        this.index = index;
    }

    void inherit(ImageConfig c) {
        for (String e : c.env()) {
            int eq = e.indexOf('=');
            env.put(eq < 0 ? e : e.substring(0, eq), eq < 0 ? "" : e.substring(eq + 1));
        }
        cmd = c.cmd();
        entrypoint = c.entrypoint();
        workingDir = c.workingDir() == null ? "" : c.workingDir();
        user = c.user() == null ? "" : c.user();
        exposedPorts.addAll(c.exposedPorts());
        volumes.addAll(c.volumes());
        labels.putAll(c.labels());
        stopSignal = c.stopSignal();
    }

    /** A variable as the step's words see it: ENV before ARG. */
    String variable(String name) {
        if (env.containsKey(name)) {
            return env.get(name);
        }
        return args.get(name);
    }

    List<String> envList() {
        List<String> out = new ArrayList<>();
        env.forEach((k, v) -> out.add(k + "=" + v));
        return out;
    }

    /** The environment of a RUN: the image's, and the ARGs that no ENV overrides. */
    List<String> runEnv() {
        List<String> out = envList();
        args.forEach((k, v) -> {
            if (v != null && !env.containsKey(k)) {
                out.add(k + "=" + v);
            }
        });
        return out;
    }

    /**
     * The config as the cache keys it: the same for the same config in every run of the service (a map's or a
     * set's own order is not), labels and ports sorted.
     */
    String cacheText() {
        return String.join("\0", envList()) + "\n" + String.join("\0", cmd) + "\n" + String.join("\0", entrypoint)
                + "\n" + workingDir + "\n" + user + "\n" + new java.util.TreeSet<>(exposedPorts) + "\n"
                + new java.util.TreeSet<>(volumes) + "\n" + new java.util.TreeMap<>(labels) + "\n" + stopSignal + "\n"
                + String.join("\0", shell) + "\n" + String.join("\0", onBuild);
    }

    ImageConfig config() {
        return new ImageConfig(envList(), cmd, entrypoint, workingDir, user, List.copyOf(exposedPorts),
                List.copyOf(volumes), labels, stopSignal, null, onBuild);
    }
}
