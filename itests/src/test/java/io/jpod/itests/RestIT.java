package io.jpod.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;

/**
 * The REST bundle in Felix: it answers on its socket whether or not an engine is assembled, follows
 * the engine as it comes and goes, listens on TCP only when configured, and takes its socket away
 * when it stops. (Real clients against a real engine: client-tests.)
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class RestIT extends ItestSupport {
    private static final String REST_PID = "io.jpod.rest";

    private Path socket() {
        return Path.of(context.getProperty("jpod.socket"));
    }

    record Answer(int status, String body) {
    }

    /** curl: a well-kept HTTP client that speaks unix sockets. */
    private Answer curl(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "--max-time", "20", "-w", "\n%{http_code}"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        int nl = out.lastIndexOf('\n');
        return new Answer(Integer.parseInt(out.substring(nl + 1).trim()), out.substring(0, nl));
    }

    private Answer get(String path) throws Exception {
        return curl("--unix-socket", socket().toString(), "http://d" + path);
    }

    private void awaitSocket(boolean present) throws Exception {
        long end = System.currentTimeMillis() + TIMEOUT_MS;
        while (Files.exists(socket()) != present) {
            if (System.currentTimeMillis() > end) {
                throw new AssertionError("the socket " + socket() + (present ? " never came" : " never went"));
            }
            Thread.sleep(50);
        }
    }

    @Test
    public void withoutAnEngineTheApiSaysWhichProvidersAreMissing() throws Exception {
        awaitSocket(true);
        assertEquals("rw-rw----", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(socket())));
        Answer ping = get("/_ping");
        assertEquals(200, ping.status());
        assertEquals("OK", ping.body());
        Answer list = get("/v1.44/containers/json");
        assertEquals(503, list.status());
        assertTrue(list.body(), list.body().contains("missing providers state:" + PARKED));
    }

    @Test
    public void followsTheEngineAsItComesAndGoes() throws Exception {
        configure("memory", "file", "none", "", Map.of());
        awaitEngine();
        Answer list = get("/v1.44/containers/json?all=1");
        assertEquals(list.body(), 200, list.status());
        assertEquals("[]", list.body());
        Answer info = get("/v4.3.1/libpod/info");
        assertEquals(info.body(), 200, info.status());
        assertTrue(info.body(), info.body().contains("\"databaseBackend\":\"memory\""));
        Answer missing = get("/v1.44/containers/nosuch/json");
        assertEquals(404, missing.status());
        assertTrue(missing.body(), missing.body().contains("no such container"));
        // the engine goes: the next call is answered 503, not hung
        configAdmin.getConfiguration(PID, "?").delete();
        awaitStatus(s -> !s.assembled());
        assertEquals(503, get("/v1.44/containers/json").status());
    }

    @Test
    public void tcpOnlyWhenConfigured() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("tcp.address", "127.0.0.1:" + port);
        configAdmin.getConfiguration(REST_PID, "?").update(props);
        try {
            long end = System.currentTimeMillis() + TIMEOUT_MS;
            Answer a = null;
            while (System.currentTimeMillis() < end) {
                a = curl("http://127.0.0.1:" + port + "/_ping");
                if (a.status() == 200) {
                    break;
                }
                Thread.sleep(100);
            }
            assertEquals(200, a.status());
            assertEquals("OK", a.body());
        } finally {
            configAdmin.getConfiguration(REST_PID, "?").delete();
        }
        long end = System.currentTimeMillis() + TIMEOUT_MS;
        while (curl("http://127.0.0.1:" + port + "/_ping").status() == 200) {
            if (System.currentTimeMillis() > end) {
                throw new AssertionError("still listening on TCP after the configuration went");
            }
            Thread.sleep(100);
        }
        awaitSocket(true);
        assertEquals(200, get("/_ping").status());
    }

    @Test
    public void stoppingTheBundleTakesTheSocketAway() throws Exception {
        Bundle rest = bundle("jpod-rest");
        awaitSocket(true);
        rest.stop();
        try {
            awaitSocket(false);
        } finally {
            rest.start();
        }
        awaitSocket(true);
        assertEquals(200, get("/_ping").status());
        assertFalse(get("/v1.44/containers/json").body().isEmpty());
    }

}
