package io.jpod.cli;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.After;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** The log the CLI gives a service it starts is root's only: the service writes what it knows there. */
public class ServiceLogTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();
    private final String savedHome = System.getProperty("jpod.home");

    @After
    public void restoreHome() {
        if (savedHome == null) {
            System.clearProperty("jpod.home");
        } else {
            System.setProperty("jpod.home", savedHome);
        }
    }

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    /** An install whose bin/jpod-service says something and exits, as a service that fails to start does. */
    private Path installThatSays(String line) throws Exception {
        Path home = tmp.newFolder("home").toPath();
        Path service = Files.createDirectories(home.resolve("bin")).resolve("jpod-service");
        Files.writeString(service, "#!/bin/sh\necho '" + line + "'\nexit 3\n");
        Files.setPosixFilePermissions(service, PosixFilePermissions.fromString("rwx------"));
        return home;
    }

    @Test
    public void theServicesOutputGoesToAnOwnerOnlyLog() throws Exception {
        System.setProperty("jpod.home", installThatSays("what the service says").toString());
        Path socket = tmp.getRoot().toPath().resolve("run/jpod.sock");
        ApiException e = assertThrows(ApiException.class, () -> ServiceStarter.start(socket, new Api(socket)));
        Path log = socket.getParent().resolve("jpod-service.log");
        assertTrue(e.getMessage(), e.getMessage().contains("exited with 3") && e.getMessage().contains(log.toString()));
        assertEquals("what the service says\n", Files.readString(log));
        assertEquals("rw-------", mode(log));
    }

    @Test
    public void theServiceIsToldTheSocketTheClientWaitsOn() throws Exception {
        // a JPOD_SOCKET of this shell naming another socket must not send the service there
        System.setProperty("jpod.home", installThatSays("listening on '\"$JPOD_SOCKET\"'").toString());
        Path socket = tmp.getRoot().toPath().resolve("run/jpod.sock");
        assertThrows(ApiException.class, () -> ServiceStarter.start(socket, new Api(socket)));
        assertEquals("listening on " + socket + "\n", Files.readString(socket.getParent().resolve("jpod-service.log")));
    }

    @Test
    public void aWorldReadableLogOfAnEarlierStartIsClosedAndKept() throws Exception {
        System.setProperty("jpod.home", installThatSays("second start").toString());
        Path socket = tmp.getRoot().toPath().resolve("run/jpod.sock");
        Path log = Files.createDirectories(socket.getParent()).resolve("jpod-service.log");
        Files.writeString(log, "first start\n");
        Files.setPosixFilePermissions(log, PosixFilePermissions.fromString("rw-r--r--"));
        assertThrows(ApiException.class, () -> ServiceStarter.start(socket, new Api(socket)));
        assertEquals("first start\nsecond start\n", Files.readString(log));
        assertEquals("rw-------", mode(log));
    }
}
