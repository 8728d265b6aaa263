package io.jpod.clients;

import static org.junit.Assert.assertEquals;

import io.jpod.clients.JpodService.Result;
import org.junit.AfterClass;
import org.junit.BeforeClass;

/** One service per test class, on the socket the build's DOCKER_HOST names. */
abstract class ClientTestSupport {
    static JpodService jpod;

    @BeforeClass
    public static void startService() throws Exception {
        jpod = new JpodService();
    }

    @AfterClass
    public static void stopService() throws Exception {
        if (jpod != null) {
            jpod.close();
            jpod = null;
        }
    }

    /** A docker CLI command that must succeed. */
    static Result ok(String... args) throws Exception {
        Result r = jpod.docker(args);
        assertEquals("docker " + String.join(" ", args) + ": " + r, 0, r.code());
        return r;
    }
}
