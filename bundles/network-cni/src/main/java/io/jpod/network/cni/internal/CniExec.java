package io.jpod.network.cni.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;
import io.jpod.util.internal.HelperProcess;
import io.jpod.util.internal.HelperTimeoutException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Runs one CNI plugin binary with the spec's environment and its config on stdin. */
final class CniExec {
    static final Duration TIMEOUT = Duration.ofSeconds(60);
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
        byte[] stdin;
        try {
            stdin = json.writeValueAsBytes(config);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String what = "CNI plugin " + type + " (" + command + " on network " + network + ", container "
                + containerId + ")";
        HelperProcess.Result r;
        try {
            r = HelperProcess.of(binary.toString())
                    .environment("CNI_COMMAND", command)
                    .environment("CNI_CONTAINERID", containerId)
                    .environment("CNI_NETNS", netNs == null ? "" : netNs)
                    .environment("CNI_IFNAME", ifName)
                    .environment("CNI_PATH", cniPath)
                    .environment("CNI_ARGS", cniArgs == null || cniArgs.isEmpty() ? null : cniArgs)
                    .input(stdin)
                    .timeout(TIMEOUT)
                    .run();
        } catch (HelperTimeoutException e) {
            throw new JpodException(ErrorCode.INTERNAL, what + " did not finish in " + TIMEOUT.toSeconds()
                    + " seconds", e);
        } catch (InterruptedIOException e) {
            throw new JpodException(ErrorCode.INTERNAL, what + " was interrupted", e);
        } catch (IOException e) {
            throw new JpodException(ErrorCode.INTERNAL, what + " could not be run: " + e.getMessage(), e);
        }
        int exit = r.exitCode();
        String err = r.err();
        String text = r.out();
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
}
