package io.jpod.rest.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.jpod.api.JpodException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpStream;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every API request: strips the {@code /vX.Y} prefix and {@code /libpod}, routes to the Docker or the
 * libpod handlers, and turns errors into {@code {"message": ...}} answers with libpod's statuses.
 */
final class ApiHandler extends Handler.Abstract {
    private static final Logger LOG = LoggerFactory.getLogger(ApiHandler.class);
    private static final Pattern VERSION = Pattern.compile("^/v(\\d+(?:\\.\\d+)*)(/.*)$");

    private final ObjectMapper json = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
    private final Router docker = new Router();
    private final Router libpod = new Router();
    private final Executor executor;

    ApiHandler(Services services, Executor executor) {
        this.executor = executor;
        Shapes shapes = new Shapes(json);
        new SystemApi(services, this, shapes).register(docker, libpod);
        new EventsApi(services, shapes).register(docker, libpod);
        new ContainerCreateApi(services, shapes).register(docker, libpod);
        new ContainersApi(services, shapes).register(docker, libpod);
        new HealthcheckApi(services, shapes).register(libpod);
        new WaitApi(services, shapes).register(docker, libpod);
        new UpdateApi(services, shapes).register(docker, libpod);
        new AttachApi(services, this).register(docker, libpod);
        new LogsApi(services).register(docker, libpod);
        new ArchiveApi(services).register(docker, libpod);
        new ChangesApi(services, shapes).register(docker, libpod);
        new CommitApi(services, shapes).register(docker, libpod);
        new ExecApi(services, this, shapes).register(docker, libpod);
        new ImagesApi(services, this, shapes).register(docker, libpod);
        new ImagePushApi(services, shapes).register(docker, libpod);
        new AuthApi(services, shapes).register(docker, libpod);
        new DistributionApi(services, shapes).register(docker, libpod);
        new ImageSearchApi(services, shapes).register(docker, libpod);
        new NetworksApi(services, shapes).register(docker, libpod);
        new VolumesApi(services, shapes).register(docker, libpod);
        new StatsApi(services, shapes).register(docker, libpod);
        new TopApi(services, shapes).register(docker, libpod);
        new RenameApi(services).register(docker, libpod);
        new PodsApi(services, shapes).register(libpod);
        new KubeApi(services, shapes).register(libpod);
        new BuildApi(services, shapes).register(docker, libpod);
    }

    ObjectMapper json() {
        return json;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String raw = request.getHttpURI().getPath();
        String path = raw == null || raw.isEmpty() ? "/" : raw;
        String version = null;
        Matcher m = VERSION.matcher(path);
        if (m.matches()) {
            version = m.group(1);
            path = m.group(2);
        }
        boolean isLibpod = path.startsWith("/libpod/") || path.equals("/libpod");
        if (isLibpod) {
            path = path.substring("/libpod".length());
            if (path.isEmpty()) {
                path = "/";
            }
        }
        var h = response.getHeaders();
        h.put("Api-Version", Versions.DOCKER_API);
        h.put("Docker-Experimental", "false");
        h.put("Ostype", "linux");
        h.put("Libpod-Api-Version", Versions.LIBPOD_API);
        h.put(HttpHeader.SERVER, isLibpod ? "Libpod/" + Versions.LIBPOD_API + " (linux)" : "jpod (linux)");
        if (version != null && !isLibpod && Versions.compare(version, Versions.DOCKER_API) > 0) {
            Exchange x = new Exchange(request, response, callback, path, false, version, json);
            answerError(x, new ApiException(400, "client version " + version + " is too new. Maximum supported API "
                    + "version is " + Versions.DOCKER_API));
            return true;
        }
        if (version != null && !isLibpod && Versions.compare(version, Versions.DOCKER_MIN_API) < 0) {
            Exchange x = new Exchange(request, response, callback, path, false, version, json);
            answerError(x, new ApiException(400, "client version " + version + " is too old. Minimum supported API "
                    + "version is " + Versions.DOCKER_MIN_API + ", please upgrade your client to a newer version"));
            return true;
        }
        Exchange x = new Exchange(request, response, callback, path, isLibpod, isLibpod ? null : version, json);
        boolean[] otherMethod = new boolean[1];
        Router.Match match = (isLibpod ? libpod : docker).match(request.getMethod(), path, otherMethod);
        try {
            if (match == null) {
                if (otherMethod[0]) {
                    throw new ApiException(405, request.getMethod() + " is not allowed on " + raw);
                }
                throw ApiException.notFound("page not found: " + request.getMethod() + " " + raw
                        + " is not part of jpod's API");
            }
            x.params = match.params();
            match.handler().handle(x);
            x.complete(null);
        } catch (Throwable t) {
            answerError(x, t);
        }
        return true;
    }

    private void answerError(Exchange x, Throwable t) {
        if (x.isCommitted()) {
            // too late for a status (often the client went away mid-stream): the stream is cut
            LOG.debug("{} {} ended after its answer began: {}", x.method(), x.request.getHttpURI().getPath(),
                    t.toString());
            x.complete(t);
            return;
        }
        int status;
        String message;
        if (t instanceof ApiException a) {
            status = a.status;
            message = a.getMessage();
        } else if (t instanceof JpodException j) {
            status = ApiException.statusOf(j);
            message = j.getMessage();
        } else {
            status = 500;
            message = t.getClass().getSimpleName() + ": " + t.getMessage();
            LOG.warn("{} {} failed", x.method(), x.request.getHttpURI().getPath(), t);
        }
        try {
            x.response.getHeaders().remove(HttpHeader.CONTENT_LENGTH);
            if (x.libpod) {
                x.json(status, Map.of("cause", cause(status), "message", message, "response", status));
            } else {
                x.json(status, Map.of("message", message));
            }
            x.complete(null);
        } catch (IOException e) {
            x.complete(e);
        }
    }

    private static String cause(int status) {
        return switch (status) {
            case 400 -> "invalid argument";
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 404 -> "no such object";
            case 409 -> "conflict";
            case 503 -> "engine unavailable";
            default -> "internal error";
        };
    }

    /**
     * Answers with a hijacked stream: {@code 101 UPGRADED} and raw bytes both ways when the client asked
     * for {@code Upgrade: tcp}, else a 200 whose body is the output (stdin then comes from the request body).
     */
    void hijack(Exchange x, String contentType, String what, Hijack.Session session) throws Exception {
        String upgrade = x.header("Upgrade");
        boolean upgraded = upgrade != null && !upgrade.isBlank();
        // podman's exec start asks for no upgrade yet, as podman's server hijacks it anyway, writes stdin
        // to and reads the frames from the socket after a 200's head: the connection is taken over then too
        if (upgraded || x.libpod) {
            x.response.setStatus(upgraded ? 101 : 200);
            x.response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
            if (upgraded) {
                x.response.getHeaders().put(HttpHeader.CONNECTION, "Upgrade");
                x.response.getHeaders().put(HttpHeader.UPGRADE, "tcp");
            } else {
                // a head with neither length nor chunks: the client takes the rest of the connection as
                // the answer's body (podman's server answers so), and the hijacked stream follows it
                x.response.getHeaders().put(HttpHeader.CONNECTION, "close");
                x.startStream(200, contentType);
            }
            EndPoint ep = x.request.getConnectionMetaData().getConnection().getEndPoint();
            // an empty stdout frame shows a multiplexed stream's reader nothing; a raw stream has no such bytes
            byte[] heartbeat = Frames.MULTIPLEXED.equals(contentType) ? Frames.empty(Frames.STDOUT) : null;
            Hijack hijack = new Hijack(ep, executor, x.request.getComponents().getScheduler(), heartbeat, what,
                    session);
            x.request.setAttribute(HttpStream.UPGRADE_CONNECTION_ATTRIBUTE, hijack);
            x.complete(null);
            hijack.watchOpening();
            return;
        }
        x.noIdleTimeout();
        InputStream in = x.bodyStream();
        try (OutputStream out = x.startStream(200, contentType)) {
            session.run(in, out);
        }
    }
}
