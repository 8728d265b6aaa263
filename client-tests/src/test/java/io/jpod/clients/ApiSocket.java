package io.jpod.clients;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * HTTP spoken byte by byte over the service's socket, as a client would, for the tests that send what no
 * well-behaved client library sends: one request per connection, each with a deadline that closes it.
 */
final class ApiSocket {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "api-socket-watchdog");
        t.setDaemon(true);
        return t;
    });

    private static final java.util.concurrent.ExecutorService WRITERS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "api-socket-writer");
        t.setDaemon(true);
        return t;
    });

    private ApiSocket() {
    }

    /** An answer: its status, head and (de-chunked) body. */
    record Answer(int status, String head, String body) {
        String header(String name) {
            for (String l : head.split("\r\n")) {
                int colon = l.indexOf(':');
                if (colon > 0 && l.substring(0, colon).trim().equalsIgnoreCase(name)) {
                    return l.substring(colon + 1).trim();
                }
            }
            return null;
        }

        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + this, e);
            }
        }

        @Override
        public String toString() {
            return status + " " + (body.length() > 500 ? body.substring(0, 500) + "..." : body);
        }
    }

    /**
     * An error answer as clients read it: the status (-1: any 4xx), Content-Type application/json exactly, a
     * body {@code {"message": ...}} that contains {@code names} (case-insensitive; null: anything) and no
     * trace of the service's insides.
     */
    static void assertError(String what, Answer a, int status, String names) {
        assertNotNull(what + ": no answer", a);
        if (status < 0) {
            assertTrue(what + ": " + a, a.status() >= 400 && a.status() < 500);
        } else {
            assertEquals(what + ": " + a, status, a.status());
        }
        assertEquals(what + ": " + a.head(), "application/json", a.header("Content-Type"));
        JsonNode body = a.json();
        assertTrue(what + ": " + a, body.isObject() && body.path("message").isTextual());
        String message = body.path("message").asText();
        if (names != null) {
            assertTrue(what + ": the message names " + names + ": " + message,
                    message.toLowerCase(Locale.ROOT).contains(names.toLowerCase(Locale.ROOT)));
        }
        for (String inside : List.of("Exception", "\tat ", "java.", "jetty", "jackson", "NullPointer")) {
            assertFalse(what + ": the message shows the service's insides: " + message, message.contains(inside));
        }
    }

    static SocketChannel connect() throws IOException {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        ch.connect(UnixDomainSocketAddress.of(ClientTestSupport.jpod.socket));
        return ch;
    }

    static byte[] request(String method, String path, byte[] body, List<String> headers) {
        StringBuilder head = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: d\r\n");
        for (String h : headers) {
            head.append(h).append("\r\n");
        }
        if (headers.stream().noneMatch(h -> h.startsWith("Connection:"))) {
            head.append("Connection: close\r\n");
        }
        if (body != null) {
            head.append("Content-Type: application/json\r\nContent-Length: ").append(body.length).append("\r\n");
        }
        head.append("\r\n");
        byte[] h = head.toString().getBytes(StandardCharsets.UTF_8);
        if (body == null) {
            return h;
        }
        byte[] all = Arrays.copyOf(h, h.length + body.length);
        System.arraycopy(body, 0, all, h.length, body.length);
        return all;
    }

    /** One call on its own connection, answered within 120 s. */
    static Answer call(String method, String path, String body) throws IOException {
        Answer a = exchange(request(method, path, body == null ? null : body.getBytes(StandardCharsets.UTF_8),
                List.of()), 120);
        if (a == null) {
            throw new AssertionError(method + " " + path + ": the service closed the connection without an answer");
        }
        return a;
    }

    /**
     * Sends the bytes and reads the answer to the end of the connection; null if the service closed it
     * without one (as it may, mid-way through a body it refuses).
     */
    static Answer exchange(byte[] bytes, int seconds) throws IOException {
        try (SocketChannel ch = connect()) {
            var timeout = WATCHDOG.schedule(closer(ch), seconds, TimeUnit.SECONDS);
            try {
                try {
                    write(ch, bytes);
                } catch (IOException refused) {
                    // the service may answer and close before the whole body is sent: its answer is still there
                }
                ByteArrayOutputStream got = new ByteArrayOutputStream();
                ByteBuffer buf = ByteBuffer.allocate(65536);
                try {
                    while (ch.read(buf.clear()) >= 0) {
                        got.write(buf.array(), 0, buf.position());
                    }
                } catch (IOException reset) {
                    if (timeout.isDone()) {
                        throw new AssertionError("no answer within " + seconds + " s to " + firstLine(bytes));
                    }
                }
                return got.size() == 0 ? null : parse(got.toByteArray());
            } finally {
                timeout.cancel(false);
            }
        }
    }

    /** An answer, or the part of it that came before it was cut: a stream that goes on (events, a followed log). */
    record Timed(Answer answer, boolean cut) {
    }

    /**
     * Sends the bytes and reads the answer: its head must come within {@code headSeconds} (else an
     * AssertionError: the service hangs), its body within {@code tailMillis} after the head, or it is cut
     * there. A null answer: the service closed the connection without one.
     */
    static Timed exchange(byte[] bytes, int headSeconds, int tailMillis) throws IOException {
        try (SocketChannel ch = connect()) {
            var deadline = new java.util.concurrent.atomic.AtomicReference<java.util.concurrent.Future<?>>(
                    WATCHDOG.schedule(closer(ch), headSeconds, TimeUnit.SECONDS));
            boolean head = false;
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            // written while the answer is read: a service may answer before it reads a body, or never read it
            var writing = WRITERS.submit(() -> {
                try {
                    write(ch, bytes);
                } catch (IOException refused) {
                    // the service answered and closed before the whole body was sent: its answer is still there
                }
            });
            try {
                ByteBuffer buf = ByteBuffer.allocate(65536);
                while (ch.read(buf.clear()) >= 0) {
                    got.write(buf.array(), 0, buf.position());
                    if (!head && got.toString(StandardCharsets.ISO_8859_1).contains("\r\n\r\n")) {
                        head = true;
                        deadline.getAndSet(WATCHDOG.schedule(closer(ch), tailMillis, TimeUnit.MILLISECONDS))
                                .cancel(false);
                    }
                }
            } catch (IOException closed) {
                if (!head && deadline.get().isDone()) {
                    throw new AssertionError("no answer within " + headSeconds + " s to " + firstLine(bytes));
                }
                if (head && deadline.get().isDone()) {
                    return new Timed(parseCut(got.toByteArray()), true);
                }
            } finally {
                deadline.get().cancel(false);
                writing.cancel(true);
            }
            return new Timed(got.size() == 0 ? null : parse(got.toByteArray()), false);
        }
    }

    /** The head of an answer cut short and what of its body came, as sent (chunks and all). */
    private static Answer parseCut(byte[] raw) {
        String all = new String(raw, StandardCharsets.ISO_8859_1);
        int end = all.indexOf("\r\n\r\n");
        String head = all.substring(0, end);
        return new Answer(Integer.parseInt(head.split(" ", 3)[1]), head,
                new String(raw, end + 4, raw.length - end - 4, StandardCharsets.UTF_8));
    }

    /** Closes the connection when a deadline passes: a blocked read then ends. */
    private static Callable<Void> closer(SocketChannel ch) {
        return () -> {
            ch.close();
            return null;
        };
    }

    private static String firstLine(byte[] bytes) {
        String s = new String(bytes, 0, Math.min(bytes.length, 200), StandardCharsets.ISO_8859_1);
        int nl = s.indexOf('\r');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private static Answer parse(byte[] raw) {
        String all = new String(raw, StandardCharsets.ISO_8859_1);
        int end = all.indexOf("\r\n\r\n");
        if (end < 0) {
            throw new AssertionError("not an HTTP answer: " + all);
        }
        String head = all.substring(0, end);
        int status = Integer.parseInt(head.split(" ", 3)[1]);
        byte[] body = Arrays.copyOfRange(raw, end + 4, raw.length);
        Answer a = new Answer(status, head, "");
        if ("chunked".equalsIgnoreCase(a.header("Transfer-Encoding"))) {
            body = dechunk(body);
        }
        return new Answer(status, head, new String(body, StandardCharsets.UTF_8));
    }

    private static byte[] dechunk(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int i = 0;
        while (i < body.length) {
            int nl = i;
            while (nl + 1 < body.length && !(body[nl] == '\r' && body[nl + 1] == '\n')) {
                nl++;
            }
            String size = new String(body, i, nl - i, StandardCharsets.US_ASCII).split(";")[0].trim();
            int n = size.isEmpty() ? 0 : Integer.parseInt(size, 16);
            if (n == 0) {
                break;
            }
            out.write(body, nl + 2, Math.min(n, body.length - nl - 2));
            i = nl + 2 + n + 2;
        }
        return out.toByteArray();
    }

    static void write(SocketChannel ch, byte[] bytes) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    /** Reads until the text has been seen (or the connection ends, or the deadline passes); what was read. */
    static String readUntil(SocketChannel ch, String text, int seconds) throws IOException {
        var timeout = WATCHDOG.schedule(closer(ch), seconds, TimeUnit.SECONDS);
        StringBuilder got = new StringBuilder();
        ByteBuffer buf = ByteBuffer.allocate(8192);
        try {
            while (!got.toString().contains(text) && ch.read(buf.clear()) >= 0) {
                got.append(new String(buf.array(), 0, buf.position(), StandardCharsets.ISO_8859_1));
            }
        } catch (IOException closed) {
            throw new AssertionError("\"" + text + "\" not seen within " + seconds + " s; got: " + got);
        } finally {
            timeout.cancel(false);
        }
        assertTrue("\"" + text + "\" not seen before the end; got: " + got, got.toString().contains(text));
        return got.toString();
    }
}
