package io.jpod.events.journald.internal;

import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;
import io.jpod.spi.JpodName;
import io.jpod.spi.ProviderContext;
import io.jpod.spi.events.Eventer;
import io.jpod.spi.events.EventerProvider;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.osgi.service.component.annotations.Component;

/**
 * The events logger {@code journald}, as libpod's EventJournalD. It opens only where systemd-journald
 * listens ({@value #JOURNAL_SOCKET} is a socket) and {@code logger} and {@code journalctl} are on the
 * PATH; otherwise {@link #open} fails with {@link ErrorCode#CONFIG_INVALID}: the configuration asks for
 * something this host cannot do, and the message says which other logger to choose.
 */
@Component(service = EventerProvider.class)
@JpodName("journald")
public class JournaldEventerProvider implements EventerProvider {
    static final String JOURNAL_SOCKET = "/run/systemd/journal/socket";
    private static final int S_IFMT = 0170000;
    private static final int S_IFSOCK = 0140000;

    @Override
    public Eventer open(ProviderContext context) {
        return open(Path.of(JOURNAL_SOCKET), System.getenv("PATH"));
    }

    static Eventer open(Path socket, String searchPath) {
        checkSocket(socket);
        String logger = find("logger", searchPath).orElseThrow(() -> missingTool("logger",
                "util-linux's logger (with --journald) to write to the journal"));
        String journalctl = find("journalctl", searchPath).orElseThrow(() -> missingTool("journalctl",
                "journalctl to read the journal"));
        return new JournaldEventer(List.of(logger, "--journald"), List.of(journalctl));
    }

    static void checkSocket(Path socket) {
        if (!Files.exists(socket, LinkOption.NOFOLLOW_LINKS) && !Files.exists(socket)) {
            throw new JpodException(ErrorCode.CONFIG_INVALID, "events_logger \"journald\" needs systemd-journald, but "
                    + socket + " does not exist: set engine.events_logger to \"file\" or \"none\"");
        }
        if (!isSocket(socket)) {
            throw new JpodException(ErrorCode.CONFIG_INVALID, "events_logger \"journald\" needs systemd-journald, but "
                    + socket + " is not a socket: set engine.events_logger to \"file\" or \"none\"");
        }
    }

    private static boolean isSocket(Path p) {
        try {
            Object mode = Files.getAttribute(p, "unix:mode");
            return mode instanceof Integer m && (m & S_IFMT) == S_IFSOCK;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException ex) {
            // no unix attribute view: trust that it exists and is neither a directory nor a file
            return !Files.isDirectory(p) && !Files.isRegularFile(p);
        }
    }

    private static JpodException missingTool(String tool, String what) {
        return new JpodException(ErrorCode.CONFIG_INVALID, "events_logger \"journald\" needs " + what + ", but "
                + tool + " is not on the PATH: install it or set engine.events_logger to \"file\" or \"none\"");
    }

    static Optional<String> find(String tool, String searchPath) {
        String path = searchPath == null || searchPath.isEmpty() ? "/usr/bin:/bin:/usr/sbin:/sbin" : searchPath;
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, tool);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate.toString());
            }
        }
        return Optional.empty();
    }
}
