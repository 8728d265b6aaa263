package io.jpod.cli;

import java.io.File;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts bin/jpod-service of this install in the background when no service answers on the default
 * socket, and waits (bounded) for its _ping. Its output goes to a log file in the socket's directory, its
 * process ID to {@code jpod-service.pid} there.
 */
final class ServiceStarter {
    private static final Logger LOG = LoggerFactory.getLogger(ServiceStarter.class);
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    static final long WAIT_MILLIS = Long.getLong("jpod.cli.serviceWaitMillis", 90_000);

    private ServiceStarter() {
    }

    static void start(Path socket, Api api) {
        String home = System.getProperty("jpod.home");
        if (home == null) {
            throw new ApiException("unable to connect to jpod service: nothing answers on " + socket
                    + " (and no install directory to start bin/jpod-service from)", null);
        }
        Path service = Path.of(home, "bin", "jpod-service");
        Path dir = socket.toAbsolutePath().getParent();
        Path log = dir.resolve("jpod-service.log");
        try {
            Files.createDirectories(dir);
            openLog(log);
            List<String> cmd = new ArrayList<>();
            // its own session: a Ctrl-C in this terminal must not stop the service
            if (new File("/usr/bin/setsid").canExecute()) {
                cmd.add("/usr/bin/setsid");
            }
            cmd.add(service.toString());
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            // where this client waits, whatever JPOD_SOCKET this shell has
            pb.environment().put("JPOD_SOCKET", socket.toAbsolutePath().toString());
            LOG.info("starting {} (log {})", service, log);
            Process p = pb.start();
            // for whoever stops it: kill "$(cat <socket dir>/jpod-service.pid)"
            Files.writeString(dir.resolve("jpod-service.pid"), p.pid() + "\n");
            long deadline = System.currentTimeMillis() + WAIT_MILLIS;
            while (System.currentTimeMillis() < deadline) {
                if (api.ping()) {
                    return;
                }
                if (!p.isAlive() && p.exitValue() != 0) {
                    throw new ApiException("the jpod service (" + service + ") exited with " + p.exitValue()
                            + " before answering on " + socket + ": see " + log, null);
                }
                Thread.sleep(200);
            }
            // a service that never answers is of no use to anyone: it must not stay behind
            p.destroy();
        } catch (IOException e) {
            throw new ApiException("unable to start the jpod service " + service + ": " + e.getMessage()
                    + " (log " + log + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throw new ApiException("the jpod service (" + service + ") did not answer on " + socket + " within "
                + WAIT_MILLIS / 1000 + "s: see " + log, null);
    }

    /**
     * Makes the service's log owner-only (0600) before anything is written to it: it holds what the service
     * says about itself, which is root's business. A log an older CLI made world-readable is closed too.
     */
    static void openLog(Path log) throws IOException {
        try {
            Files.createFile(log, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        } catch (FileAlreadyExistsException e) {
            // appended to, as before
        }
        Files.setPosixFilePermissions(log, OWNER_ONLY);
    }
}
