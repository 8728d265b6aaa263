package io.jpod.clients;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * Long calls whose clients go away without a word: 220 waits (more than the API has threads), follows of a
 * quiet container's log, event streams, and attaches and exec starts of a quiet container. Once their
 * connections are closed the API answers at once, no API thread is left serving them, and the service's
 * threads and open files come back near where they were.
 */
public class AbandonedStreamsIT extends ClientTestSupport {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** More than the API's pool has threads (200). */
    private static final int CLIENTS = 220;
    /** Threads and fds the service may hold beyond its baseline once the clients are gone. */
    private static final int SLACK = 8;

    private String quiet;
    private Usage baseline;

    @Before
    public void quietContainer() throws Exception {
        quiet = ok("run", "-d", "--network", "none", "busybox", "sleep", "3600").out();
        baseline = settledUsage();
    }

    @After
    public void removeIt() throws Exception {
        if (quiet != null) {
            jpod.docker("rm", "-f", "-t", "0", quiet);
        }
    }

    @Test(timeout = 600_000)
    public void abandonedWaitsEnd() throws Exception {
        abandon("POST", "/v1.44/containers/" + quiet + "/wait", List.of(), "WaitApi");
        abandon("POST", "/v4.3.1/libpod/containers/" + quiet + "/wait?condition=exited", List.of(), "WaitApi");
        // the pool's workers the burst started are idle again, and go after the pool's idle timeout (60 s)
        Usage[] now = {usage()};
        boolean back = poll(150, () -> {
            try {
                now[0] = usage();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            return now[0].allThreads() <= baseline.allThreads() + SLACK;
        });
        assertTrue("all the service's threads back near " + baseline + " within 150 s, but " + now[0], back);
    }

    @Test(timeout = 600_000)
    public void abandonedLogFollowsEnd() throws Exception {
        abandon("GET", "/v1.44/containers/" + quiet + "/logs?follow=1&stdout=1&stderr=1", List.of(), "LogsApi");
    }

    @Test(timeout = 600_000)
    public void abandonedEventStreamsEnd() throws Exception {
        abandon("GET", "/v1.44/events", List.of(), "EventsApi");
        abandon("GET", "/v4.3.1/libpod/events", List.of(), "EventsApi");
    }

    @Test(timeout = 600_000)
    public void abandonedAttachesEnd() throws Exception {
        // the docker CLI's way: an upgraded connection, and no stdin (it half-closes its side at once)
        abandon("POST", "/v1.44/containers/" + quiet + "/attach?stream=1&stdout=1&stderr=1",
                List.of("Connection: Upgrade", "Upgrade: tcp"), "AttachApi");
    }

    @Test(timeout = 600_000)
    public void abandonedExecStartsEnd() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String body = jpod.run(List.of("curl", "-sS", "--unix-socket", jpod.socket.toString(), "-X", "POST",
                    "-H", "Content-Type: application/json", "-d",
                    "{\"Cmd\": [\"sleep\", \"3600\"], \"AttachStdout\": true, \"AttachStderr\": true}",
                    "http://d/v1.44/containers/" + quiet + "/exec"), 30).out();
            ids.add(JSON.readTree(body).path("Id").asText());
        }
        List<SocketChannel> open = new ArrayList<>();
        try {
            for (String id : ids) {
                SocketChannel ch = connect();
                open.add(ch);
                write(ch, "POST /v1.44/exec/" + id + "/start HTTP/1.1\r\nHost: d\r\nConnection: Upgrade\r\n"
                        + "Upgrade: tcp\r\nContent-Type: application/json\r\nContent-Length: 17\r\n\r\n"
                        + "{\"Detach\": false}");
                assertTrue(readHead(ch).startsWith("HTTP/1.1 101"));
            }
            assertServing("ExecApi", true);
        } finally {
            closeAll(open);
        }
        assertBackNearBaseline("ExecApi");
    }

    /**
     * Opens {@link #CLIENTS} calls, sees them served, closes them without reading, and checks that the API
     * answers a ping at once and lets go of all of them.
     */
    private void abandon(String method, String path, List<String> headers, String handler) throws Exception {
        List<SocketChannel> open = new ArrayList<>();
        try {
            for (int i = 0; i < CLIENTS; i++) {
                SocketChannel ch = connect();
                open.add(ch);
                StringBuilder req = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: d\r\n");
                for (String h : headers) {
                    req.append(h).append("\r\n");
                }
                write(ch, req.append(method.equals("POST") ? "Content-Length: 0\r\n" : "").append("\r\n").toString());
            }
            // the first ones are answered with their head; the rest may wait for a thread
            assertTrue(readHead(open.get(0)).startsWith("HTTP/1.1 "));
            assertServing(handler, true);
        } finally {
            closeAll(open);
        }
        // a hijacked stream sees its client gone at its next heartbeat (2 s); the others at once
        long start = System.nanoTime();
        JpodService.Result ping = jpod.curl("GET", "/_ping");
        if (!"OK".equals(ping.out())) {
            ping = jpod.curl("GET", "/_ping");
        }
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertEquals("a ping right after " + CLIENTS + " abandoned " + path + " (" + ms + " ms): " + ping, "OK",
                ping.out());
        assertTrue("the ping after " + CLIENTS + " abandoned " + path + " took " + ms + " ms", ms < 6000);
        assertBackNearBaseline(handler);
    }

    private static void closeAll(List<SocketChannel> open) throws IOException {
        for (SocketChannel ch : open) {
            ch.close();
        }
    }

    // ------------------------------------------------------------------------------------ the service's health

    /**
     * The service's threads outside the API's pool (its workers go once idle for a minute), all its threads,
     * and its fds.
     */
    record Usage(int threads, int allThreads, int fds) {
    }

    private static Usage usage() throws IOException {
        Path proc = Path.of("/proc", Long.toString(jpod.pid()));
        int others = 0;
        int all = 0;
        try (Stream<Path> s = Files.list(proc.resolve("task"))) {
            for (Path t : s.toList()) {
                try {
                    all++;
                    if (!Files.readString(t.resolve("comm")).trim().startsWith("jpod-api-")) {
                        others++;
                    }
                } catch (IOException gone) {
                    // ended meanwhile
                }
            }
        }
        try (Stream<Path> s = Files.list(proc.resolve("fd"))) {
            return new Usage(others, all, (int) s.count());
        }
    }

    /** The usage once it has held still for a second. */
    private static Usage settledUsage() throws Exception {
        threadsIn("io.jpod."); // the first thread dump starts the JVM's attach listener for good
        Usage last = usage();
        for (int i = 0; i < 20; i++) {
            Thread.sleep(1000);
            Usage now = usage();
            if (now.equals(last)) {
                return now;
            }
            last = now;
        }
        return last;
    }

    /** The service's threads whose stack is in {@code code} now, from the JVM's own thread dump. */
    private static List<String> threadsIn(String code) throws Exception {
        JpodService.Result dump = jpod.run(List.of("jcmd", Long.toString(jpod.pid()), "Thread.print"), 60);
        assertEquals("jcmd: " + dump, 0, dump.code());
        List<String> in = new ArrayList<>();
        for (String thread : dump.out().split("\n\\s*\n")) {
            if (thread.startsWith("\"") && thread.contains(code)) {
                in.add(thread.lines().findFirst().orElse(thread));
            }
        }
        return in;
    }

    private static void assertServing(String handler, boolean some) throws Exception {
        boolean seen = poll(30, () -> {
            try {
                return threadsIn("rest.internal." + handler).isEmpty() != some;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertTrue(handler + (some ? " serves the calls" : " serves none"), seen);
    }

    private void assertBackNearBaseline(String handler) throws Exception {
        Usage[] now = {usage()};
        List<List<String>> serving = new ArrayList<>(List.of(List.of()));
        boolean back = poll(60, () -> {
            try {
                now[0] = usage();
                serving.set(0, threadsIn("rest.internal." + handler));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            return serving.get(0).isEmpty() && now[0].threads() <= baseline.threads() + SLACK
                    && now[0].fds() <= baseline.fds() + SLACK;
        });
        assertTrue("no thread in " + handler + " and threads outside the API's pool and fds back near " + baseline
                + " within 60 s of the clients' going, but " + now[0] + "; " + serving.get(0).size()
                + " threads still in " + handler + ", e.g. " + serving.get(0).stream().limit(3).toList(), back);
    }

    private static boolean poll(int seconds, BooleanSupplier ok) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!ok.getAsBoolean()) {
            if (System.nanoTime() > end) {
                return false;
            }
            Thread.sleep(500);
        }
        return true;
    }

    // ------------------------------------------------------------------------------------ HTTP over the socket

    private static SocketChannel connect() throws IOException {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        ch.connect(UnixDomainSocketAddress.of(jpod.socket));
        return ch;
    }

    private static void write(SocketChannel ch, String s) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    /** Reads up to the end of the answer's head (blocking: the head comes at once). */
    private static String readHead(SocketChannel ch) throws IOException {
        StringBuilder got = new StringBuilder();
        ByteBuffer one = ByteBuffer.allocate(1);
        while (!got.toString().endsWith("\r\n\r\n")) {
            if (ch.read(one.clear()) < 0) {
                break;
            }
            got.append((char) one.get(0));
        }
        return got.toString();
    }
}
