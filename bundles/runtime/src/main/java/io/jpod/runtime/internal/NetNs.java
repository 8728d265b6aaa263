package io.jpod.runtime.internal;

import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;
import io.jpod.linux.Linux;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Network namespaces the engine makes for its containers: bind-mounted on a file under the per-boot
 * dir ({@code unshare --net=FILE}), so they outlive a restart of the service, with lo up.
 */
final class NetNs {
    private NetNs() {
    }

    static Path create(Path tmpDir, String containerId) {
        Path file = tmpDir.resolve("netns").resolve("jpod-" + containerId.substring(0, 12));
        try {
            Files.createDirectories(file.getParent());
            if (!Files.exists(file)) {
                Files.createFile(file);
            }
            run(List.of("unshare", "--net=" + file, "true"));
            run(List.of("nsenter", "--net=" + file, "ip", "link", "set", "lo", "up"));
            return file;
        } catch (IOException | RuntimeException e) {
            remove(file);
            throw new JpodException(ErrorCode.INTERNAL, "cannot create the network namespace " + file + ": "
                    + e.getMessage());
        }
    }

    /** Unmounts and deletes a namespace file; quiet when it is already gone. */
    static void remove(Path file) {
        if (file == null || !Files.exists(file)) {
            return;
        }
        try {
            Linux.umount(file, 0);
        } catch (IOException e) {
            // not mounted (EINVAL): only the file is left
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a later cleanup will try again
        }
    }

    private static void run(List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", cmd) + " failed: "
                        + new String(out, StandardCharsets.UTF_8).trim());
            }
        } catch (IOException e) {
            throw new IllegalStateException(String.join(" ", cmd) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(String.join(" ", cmd) + " interrupted", e);
        }
    }
}
