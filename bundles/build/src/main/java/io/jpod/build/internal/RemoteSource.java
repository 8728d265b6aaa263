package io.jpod.build.internal;

import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * ADD of an http(s) URL, as Docker's classic builder fetches it: the file is named by the URL's last path segment,
 * given mode 0600 and the server's Last-Modified time, and copied as it is (a remote archive is not extracted). The
 * server's answer is input like any other: the name it implies is checked, and the body is bounded.
 */
final class RemoteSource {
    /** Larger downloads are refused: a build's context has bounds too. */
    static final long MAX_BYTES = 8L << 30;
    private static final HttpClient CLIENT = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
            .connectTimeout(Duration.ofSeconds(30)).build();

    private RemoteSource() {
    }

    /** Downloads {@code url} into a directory of its own under {@code work}; returns the file. */
    static Path fetch(String url, Path work, int line) throws IOException {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw DockerfileException.at(line, "ADD of " + url + ": not a URL: " + e.getReason());
        }
        String name = fileName(uri);
        if (name == null) {
            throw DockerfileException.at(line, "ADD of " + url + ": cannot determine a file name from the URL: name "
                    + "the destination file, or add a path to the URL");
        }
        HttpResponse<InputStream> r;
        try {
            r = CLIENT.send(HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(10)).GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JpodException(ErrorCode.INVALID_ARG, "ADD of " + url + " was interrupted", e);
        } catch (IOException | IllegalArgumentException e) {
            throw new JpodException(ErrorCode.INVALID_ARG, "ADD failed: GET " + url + ": " + e.getMessage(), e);
        }
        Path dir = Files.createTempDirectory(work, "url-");
        Path file = dir.resolve(name);
        try (InputStream in = r.body()) {
            if (r.statusCode() / 100 != 2) {
                throw new JpodException(ErrorCode.INVALID_ARG, "ADD failed: GET " + url + ": the server answered "
                        + r.statusCode());
            }
            try (OutputStream out = Files.newOutputStream(file)) {
                byte[] buf = new byte[1 << 16];
                long total = 0;
                for (int n; (n = in.read(buf)) > 0;) {
                    total += n;
                    if (total > MAX_BYTES) {
                        throw new JpodException(ErrorCode.INVALID_ARG, "ADD failed: " + url + " is larger than "
                                + (MAX_BYTES >> 30) + " GiB");
                    }
                    out.write(buf, 0, n);
                }
            }
        }
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        r.headers().firstValue("Last-Modified").ifPresent(v -> {
            try {
                Files.setLastModifiedTime(file, FileTime.from(ZonedDateTime.parse(v,
                        DateTimeFormatter.RFC_1123_DATE_TIME).toInstant()));
            } catch (DateTimeParseException | IOException ignored) {
                // a time the server spells otherwise leaves the download's own
            }
        });
        return file;
    }

    /** The URL's last path segment, when it is a plain file name. */
    static String fileName(URI uri) {
        String path = uri.getPath();
        if (path == null) {
            return null;
        }
        String last = path.substring(path.lastIndexOf('/') + 1);
        return last.isEmpty() || last.equals(".") || last.equals("..") || last.indexOf('\0') >= 0 ? null : last;
    }
}
