package io.jpod.storage.common.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/** Runs the few host tools the drivers need (mount, umount, mknod, setfattr, cp), without a shell. */
public final class Exec {
    private Exec() {
    }

    /** Runs {@code command} in {@code dir} (null: the current one); throws with its output when it fails. */
    public static String run(Path dir, List<String> command) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        if (dir != null) {
            pb.directory(dir.toFile());
        }
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new IOException("cannot run " + command.get(0) + ": " + e.getMessage(), e);
        }
        p.getOutputStream().close();
        String out;
        try (InputStream in = p.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        }
        int rc;
        try {
            rc = p.waitFor();
        } catch (InterruptedException e) {
            p.destroy();
            Thread.currentThread().interrupt();
            throw new IOException(String.join(" ", command) + ": interrupted", e);
        }
        if (rc != 0) {
            throw new IOException(String.join(" ", command) + " failed (exit " + rc + ")" + (out.isEmpty() ? "" : ": "
                    + out));
        }
        return out;
    }
}
