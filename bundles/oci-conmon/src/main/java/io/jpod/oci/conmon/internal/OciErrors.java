package io.jpod.oci.conmon.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The runtime's errors as libpod reports them: its own message from its JSON log, classified by kind. */
final class OciErrors {
    private static final Logger LOG = LoggerFactory.getLogger(OciErrors.class);
    private static final Pattern PERMISSION = Pattern.compile("(?i).*permission denied.*|.*operation not permitted.*");
    private static final Pattern NOT_FOUND = Pattern.compile(
            "(?i).*executable file not found in.*|.*no such file or directory.*|.*open executable.*");

    private final String runtimeName;
    private final ObjectMapper json;

    OciErrors(String runtimeName, ObjectMapper json) {
        this.runtimeName = runtimeName;
        this.json = json;
    }

    /** libpod's getOCIRuntimeError: permission denied (126), not found (127), anything else. */
    JpodException ociError(String runtimeMsg) {
        String msg = runtimeMsg == null ? "" : runtimeMsg.strip();
        Matcher m = PERMISSION.matcher(msg);
        if (m.find()) {
            return new JpodException(ErrorCode.OCI_RUNTIME_PERMISSION_DENIED, runtimeName + ": " + m.group().strip()
                    + ": OCI permission denied");
        }
        m = NOT_FOUND.matcher(msg);
        if (m.find()) {
            return new JpodException(ErrorCode.OCI_RUNTIME_NOT_FOUND, runtimeName + ": " + m.group().strip()
                    + ": OCI runtime attempted to invoke a command that was not found");
        }
        return new JpodException(ErrorCode.OCI_RUNTIME, runtimeName + ": " + msg + ": OCI runtime error");
    }

    /** The runtime's own error from its JSON log ({@code oci-log} in {@code bundleDir}), else {@code fallback}. */
    String runtimeError(Path bundleDir, String fallback) {
        Path log = bundleDir.resolve("oci-log");
        String msg = null;
        try {
            if (Files.exists(log)) {
                for (String l : Files.readAllLines(log, StandardCharsets.UTF_8)) {
                    try {
                        JsonNode n = json.readTree(l);
                        if (n != null && "error".equals(n.path("level").asText()) && n.hasNonNull("msg")) {
                            msg = n.get("msg").asText();
                        }
                    } catch (IOException e) {
                        LOG.trace("not JSON in {}: {}", log, l);
                    }
                }
            }
        } catch (IOException e) {
            LOG.debug("reading {}: {}", log, e.getMessage());
        }
        return msg != null ? msg : fallback;
    }
}
