package io.jpod.runtime.internal;

import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;
import io.jpod.linux.Linux;
import io.jpod.util.internal.HelperProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

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
            HelperProcess.of(cmd).mergeErrors().timeout(java.time.Duration.ofSeconds(30)).runChecked();
        } catch (IOException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }
}
