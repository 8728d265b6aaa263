package io.jpod.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A stand-in for the service on a unix socket: answers each "METHOD /path" (the query left out) with the
 * status and JSON it was given (else 404 as libpod's "no such" answer), and records every request with its
 * query, in order.
 */
final class StandInService implements AutoCloseable {
    record Answer(int status, String json) {
    }

    final Path socket;
    final List<String> requests = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, Answer> answers = new LinkedHashMap<>();
    private final ServerSocketChannel server;
    private final Thread acceptor;

    StandInService() throws IOException {
        Path dir = Files.createTempDirectory("jpod-cli-standin");
        socket = dir.resolve("s.sock");
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        answer("GET", "_ping", 200, "\"OK\"");
        acceptor = new Thread(this::accept, "stand-in");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** The answer to "METHOD /v4.0.0/libpod/path" (the path without a query). */
    StandInService answer(String method, String path, int status, String json) {
        answers.put(method + " " + Api.PREFIX + path, new Answer(status, json));
        return this;
    }

    String url() {
        return "unix://" + socket;
    }

    private void accept() {
        while (server.isOpen()) {
            try {
                SocketChannel c = server.accept();
                Thread t = new Thread(() -> serve(c), "stand-in-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void serve(SocketChannel c) {
        try (c; InputStream in = Channels.newInputStream(c); OutputStream out = Channels.newOutputStream(c)) {
            while (true) {
                String line = line(in);
                if (line == null || line.isEmpty()) {
                    return;
                }
                int length = 0;
                String h;
                while ((h = line(in)) != null && !h.isEmpty()) {
                    if (h.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                        length = Integer.parseInt(h.substring(15).trim());
                    }
                }
                in.readNBytes(length);
                String[] parts = line.split(" ");
                String target = parts[1];
                if (!target.endsWith("/_ping")) {
                    requests.add(parts[0] + " " + target.replace(Api.PREFIX, ""));
                }
                int q = target.indexOf('?');
                String key = parts[0] + " " + (q < 0 ? target : target.substring(0, q));
                Answer a = answers.getOrDefault(key, new Answer(404,
                        "{\"cause\":\"no such object\",\"message\":\"no such object: " + key + "\",\"response\":404}"));
                byte[] body = a.json().getBytes(StandardCharsets.UTF_8);
                out.write(("HTTP/1.1 " + a.status() + " X\r\nContent-Type: application/json\r\nContent-Length: "
                        + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(body);
                out.flush();
            }
        } catch (IOException gone) {
            // the client closed
        }
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            if (c != '\r') {
                b.write(c);
            }
        }
        return c < 0 && b.size() == 0 ? null : b.toString(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() throws IOException {
        server.close();
        Files.deleteIfExists(socket);
        Files.deleteIfExists(socket.getParent());
    }
}
