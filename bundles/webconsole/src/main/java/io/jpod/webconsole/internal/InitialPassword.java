package io.jpod.webconsole.internal;

import io.jpod.util.internal.AtomicFiles;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

import org.osgi.framework.BundleContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a generated console password is handed to the operator: a file only its owner (root) reads, in a
 * directory only its owner enters, instead of the log. {@code <jpod.home>/data/webconsole/initial-password}
 * in the distribution (beside the bundle cache, which is cleaned at each start); elsewhere (Karaf) the
 * bundle's data area. The file is removed once the console's password is another one.
 */
final class InitialPassword {
    static final String FILE_NAME = "initial-password";
    private static final Set<PosixFilePermission> OWNER_ONLY_DIR = Set.copyOf(PosixFilePermissions.fromString("rwx------"));
    private static final Logger LOG = LoggerFactory.getLogger(InitialPassword.class);

    private final Path file;

    InitialPassword(Path dir) {
        this.file = dir.resolve(FILE_NAME);
    }

    static InitialPassword of(BundleContext context) throws IOException {
        String home = context.getProperty("jpod.home");
        if (home != null && !home.isBlank()) {
            return new InitialPassword(Path.of(home, "data", "webconsole"));
        }
        File data = context.getDataFile("webconsole");
        if (data == null) {
            throw new IOException("the framework gives the bundle no data area for the Web Console's initial password; "
                    + "set the framework property jpod.home");
        }
        return new InitialPassword(data.toPath());
    }

    Path file() {
        return file;
    }

    /** Writes {@code password}, the file 0600 from its first byte, its directory 0700. */
    void write(String password) throws IOException {
        Path dir = file.getParent();
        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIR));
        // an existing directory (an older install's, or made under another umask) is closed too
        Files.setPosixFilePermissions(dir, OWNER_ONLY_DIR);
        AtomicFiles.writeString(file, password + "\n", AtomicFiles.OWNER_ONLY);
    }

    /** Removes the file when {@code stored} (a hash or a plain password) is not the password it holds. */
    void dropUnless(String stored) throws IOException {
        if (!Files.isRegularFile(file)) {
            return;
        }
        String password = Files.readString(file, StandardCharsets.UTF_8).strip();
        if (!Passwords.matches(stored, password)) {
            Files.delete(file);
            LOG.info("Web Console: removed {}: the console's password is another one now", file);
        }
    }
}
