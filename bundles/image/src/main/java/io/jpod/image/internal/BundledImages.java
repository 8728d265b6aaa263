package io.jpod.image.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The images an install ships as root filesystem tarballs, {@code <dir>/<name>.tar}: what a pull of
 * {@code name}, {@code name:latest}, {@code localhost/name} or {@code docker.io/library/name} finds.
 */
final class BundledImages {
    /** A repository name of one component: nothing that could leave the directory. */
    private static final Pattern NAME = Pattern.compile("[a-z0-9]+(?:[._-][a-z0-9]+)*");
    private static final List<String> PREFIXES = List.of("docker.io/library/", "docker.io/", "localhost/", "library/");

    record Found(String name, Path tar) {
    }

    private BundledImages() {
    }

    static Optional<Found> find(Path dir, String reference) {
        String r = reference == null ? "" : reference.strip();
        for (String p : PREFIXES) {
            if (r.startsWith(p)) {
                r = r.substring(p.length());
                break;
            }
        }
        if (r.endsWith(":latest")) {
            r = r.substring(0, r.length() - ":latest".length());
        }
        if (!NAME.matcher(r).matches()) {
            return Optional.empty();
        }
        Path tar = dir.resolve(r + ".tar");
        return Files.isRegularFile(tar) ? Optional.of(new Found(r, tar)) : Optional.empty();
    }
}
