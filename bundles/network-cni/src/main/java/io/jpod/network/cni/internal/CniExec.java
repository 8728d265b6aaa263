package io.jpod.network.cni.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Runs one CNI plugin binary with the spec's environment and its config on stdin. */
final class CniExec {
    static final long TIMEOUT_SECONDS = 60;
    private static final Pattern PLUGIN_TYPE = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]*");

    private final ObjectMapper json;
    private final List<Path> pluginDirs;
    private final String cniPath;

    CniExec(ObjectMapper json, List<Path> pluginDirs) {
        this.json = json;
        this.pluginDirs = List.copyOf(pluginDirs);
        this.cniPath = pluginDirs.stream().map(Path::toString).collect(Collectors.joining(":"));
    }

    /**
     * Runs the plugin {@code config.type} for {@code command}.
     *
     * @param cniArgs {@code CNI_ARGS} ({@code K=V;K=V}), or null for none
     * @return the result it printed (an empty object for DEL)
     * @throws JpodException naming the plugin and the error it reported
     */
    JsonNode run(String command, JsonNode config, String containerId, String netNs, String ifName, String network) {
        return run(command, config, containerId, netNs, ifName, network, null);
    }

    JsonNode run(String command, JsonNode config, String containerId, String netNs, String ifName, String network,
            String cniArgs) {
        String type = config.path("type").asText("");
        Path binary = find(type, network);
        ProcessBuilder pb = new ProcessBuilder(binary.toString());
        Map<String, String> env = pb.environment();
        env.put("CNI_COMMAND", command);
        env.put("CNI_CONTAINERID", containerId);
        env.put("CNI_NETNS", netNs == null ? "" : netNs);
        env.put("CNI_IFNAME", ifName);
        env.put("CNI_PATH", cniPath);
        if (cniArgs == null || cniArgs.isEmpty()) {
            env.remove("CNI_ARGS");
        } else {
            env.put("CNI_ARGS", cniArgs);
        }
        byte[] stdin;
        try {
            stdin = json.writeValueAsBytes(config);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String what = "CNI plugin " + type + " (" + command + " on network " + network + ", container "
                + containerId + ")";
        byte[] out;
        String err;
        int exit;
        try {
            Process p = pb.start();
            CompletableFuture<byte[]> stderr = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
            try (OutputStream os = p.getOutputStream()) {
                os.write(stdin);
            } catch (IOException e) {
                // The plugin may exit without reading its config; its exit status tells.
            }
            CompletableFuture<byte[]> stdout = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new JpodException(ErrorCode.INTERNAL, what + " did not finish in " + TIMEOUT_SECONDS
                        + " seconds");
            }
            exit = p.exitValue();
            out = stdout.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            err = new String(stderr.get(TIMEOUT_SECONDS, TimeUnit.SECONDS), StandardCharsets.UTF_8).strip();
        } catch (IOException | ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new JpodException(ErrorCode.INTERNAL, what + " could not be run: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JpodException(ErrorCode.INTERNAL, what + " was interrupted", e);
        }
        String text = new String(out, StandardCharsets.UTF_8).strip();
        if (exit != 0) {
            throw new JpodException(ErrorCode.INTERNAL, what + " failed: " + errorMessage(text, err, exit));
        }
        if (text.isEmpty()) {
            return json.createObjectNode();
        }
        try {
            return json.readTree(text);
        } catch (IOException e) {
            throw new JpodException(ErrorCode.INTERNAL, what + " printed a result that is not JSON: " + text, e);
        }
    }

    /** The spec's error: {@code {"code", "msg", "details"}} on stdout; else stderr or the exit status. */
    private String errorMessage(String stdout, String stderr, int exit) {
        try {
            JsonNode e = stdout.isEmpty() ? null : json.readTree(stdout);
            if (e != null && e.hasNonNull("msg")) {
                String msg = e.get("msg").asText();
                String details = e.path("details").asText("");
                return msg + (details.isEmpty() ? "" : ": " + details) + " (CNI error code " + e.path("code").asInt()
                        + ")";
            }
        } catch (IOException notJson) {
            // fall through to the raw output
        }
        String raw = !stdout.isEmpty() ? stdout : stderr;
        return (raw.isEmpty() ? "no message" : raw) + " (exit status " + exit + ")";
    }

    /** The plugin's binary; CONFIG_INVALID naming the plugin and the directories when it is missing. */
    Path require(String type, String network) {
        return find(type, network);
    }

    private Path find(String type, String network) {
        if (!PLUGIN_TYPE.matcher(type).matches()) {
            throw new JpodException(ErrorCode.CONFIG_INVALID, "network " + network + " names an invalid CNI plugin"
                    + " type \"" + type + "\"");
        }
        for (Path d : pluginDirs) {
            Path p = d.resolve(type);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return p;
            }
        }
        throw new JpodException(ErrorCode.CONFIG_INVALID, "CNI plugin " + type + " of network " + network
                + " was not found in cni_plugin_dirs " + pluginDirs + ": install it (Debian's"
                + " containernetworking-plugins) or fix the network's definition");
    }

    private static byte[] readAll(InputStream in) {
        try (in) {
            return in.readAllBytes();
        } catch (IOException e) {
            return new byte[0];
        }
    }
}
