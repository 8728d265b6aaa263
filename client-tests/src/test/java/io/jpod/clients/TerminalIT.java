package io.jpod.clients;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.jpod.clients.JpodService.Result;
import java.util.List;
import org.junit.Test;

/**
 * `-t` gets a terminal of the client's size: the docker CLI and bin/jpod send theirs through the resize calls,
 * and conmon passes it on. Each command runs on a pseudo-terminal of 27 rows and 91 columns made by script(1),
 * as from a user's shell; without the resize the container's terminal would be 0 by 0.
 */
public class TerminalIT extends ClientTestSupport {
    private static Result onTerminal(String command) throws Exception {
        return jpod.run(List.of("script", "-qec", "stty rows 27 cols 91; " + command, "/dev/null"), 90);
    }

    /** The container waits a little, so that the size the client sends after the start has arrived. */
    private static final String SIZE_SOON = "'sleep 1; stty size'";

    @Test
    public void dockerRunAndExecGetTheClientsTerminalSize() throws Exception {
        Result r = onTerminal("docker run --rm -t --network none busybox sh -c " + SIZE_SOON);
        assertEquals(r.toString(), 0, r.code());
        assertTrue(r.toString(), r.out().contains("27 91"));
        String id = ok("run", "-d", "--network", "none", "busybox", "sleep", "300").out();
        try {
            r = onTerminal("docker exec -t " + id + " sh -c " + SIZE_SOON);
            assertEquals(r.toString(), 0, r.code());
            assertTrue(r.toString(), r.out().contains("27 91"));
        } finally {
            ok("rm", "-f", id);
        }
    }

    @Test
    public void jpodRunAndExecGetTheClientsTerminalSize() throws Exception {
        String cli = jpod.home.resolve("bin/jpod") + " --url unix://" + jpod.socket;
        Result r = onTerminal(cli + " run --rm -t --network none busybox sh -c " + SIZE_SOON);
        assertEquals(r.toString(), 0, r.code());
        assertTrue(r.toString(), r.out().contains("27 91"));
        String id = ok("run", "-d", "--network", "none", "busybox", "sleep", "300").out();
        try {
            r = onTerminal(cli + " exec -t " + id + " sh -c " + SIZE_SOON);
            assertEquals(r.toString(), 0, r.code());
            assertTrue(r.toString(), r.out().contains("27 91"));
        } finally {
            ok("rm", "-f", id);
        }
    }

    @Test
    public void badResizesGetClearErrors() throws Exception {
        String id = ok("create", "--network", "none", "busybox", "true").out();
        try {
            Result r = jpod.curl("POST", "/v1.44/containers/" + id + "/resize?h=10&w=20");
            assertTrue(r.toString(), r.out().contains("can only be resized when created or running"));
            r = jpod.curl("POST", "/v1.44/containers/" + id + "/resize?h=10");
            assertTrue(r.toString(), r.out().contains("query parameter w"));
            r = jpod.curl("POST", "/v1.44/containers/" + id + "/resize?h=0&w=20");
            assertTrue(r.toString(), r.out().contains("between 1 and 65535"));
            r = jpod.curl("POST", "/v1.44/containers/no-such-container/resize?h=10&w=20");
            assertTrue(r.toString(), r.out().contains("no such container"));
        } finally {
            ok("rm", "-f", id);
        }
    }
}
