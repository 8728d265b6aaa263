package io.jpod.rest.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.jpod.api.EngineAssembler;
import io.jpod.api.EngineStatus;
import io.jpod.api.ProviderKind;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * The HTTP face without an engine: what clients get while providers are missing, for unknown paths and
 * versions, and from _ping. (Calls with an engine run against the distribution in client-tests.)
 */
public class ApiHandlerTest {
    private Server server;
    private String base;
    private final HttpClient http = HttpClient.newHttpClient();

    @Before
    public void start() throws Exception {
        EngineStatus missing = new EngineStatus(false, Map.of(ProviderKind.STATE, "nosuch"), List.of("state:nosuch"),
                Map.of(ProviderKind.STATE, List.of("mapdb", "memory")), List.of());
        EngineAssembler assembler = new EngineAssembler() {
            @Override
            public EngineStatus status() {
                return missing;
            }

            @Override
            public EngineStatus reload() {
                return missing;
            }
        };
        QueuedThreadPool pool = new QueuedThreadPool();
        server = new Server(pool);
        ServerConnector c = new ServerConnector(server);
        c.setHost("127.0.0.1");
        c.setPort(0);
        server.addConnector(c);
        server.setHandler(new ApiHandler(new Services(() -> null, () -> null, assembler), pool));
        server.start();
        base = "http://127.0.0.1:" + c.getLocalPort();
    }

    @After
    public void stop() throws Exception {
        server.stop();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    public void pingAnswersWithTheVersionHeadersEvenWithoutAnEngine() throws Exception {
        HttpResponse<String> r = get("/_ping");
        assertEquals(200, r.statusCode());
        assertEquals("OK", r.body());
        assertEquals("1.44", r.headers().firstValue("Api-Version").orElse(""));
        assertEquals("4.3.1", r.headers().firstValue("Libpod-Api-Version").orElse(""));
        assertEquals(200, get("/v4.3.1/libpod/_ping").statusCode());
    }

    @Test
    public void withoutAnEngineCallsGet503SayingWhatIsMissing() throws Exception {
        HttpResponse<String> r = get("/v1.44/containers/json");
        assertEquals(503, r.statusCode());
        assertEquals("application/json", r.headers().firstValue("Content-Type").orElse(""));
        assertTrue(r.body(), r.body().contains("missing providers state:nosuch"));
        assertTrue(r.body(), r.body().contains("installed: state=mapdb|memory"));
        HttpResponse<String> lp = get("/v4.3.1/libpod/containers/json");
        assertEquals(503, lp.statusCode());
        assertTrue(lp.body(), lp.body().contains("\"response\":503"));
    }

    @Test
    public void unknownPathsMethodsAndVersions() throws Exception {
        HttpResponse<String> r = get("/v1.44/no/such/thing");
        assertEquals(404, r.statusCode());
        assertTrue(r.body(), r.body().contains("\"message\""));
        HttpResponse<String> m = http.send(HttpRequest.newBuilder(URI.create(base + "/v1.44/containers/json"))
                .PUT(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(405, m.statusCode());
        HttpResponse<String> tooNew = get("/v1.99/containers/json");
        assertEquals(400, tooNew.statusCode());
        assertTrue(tooNew.body(), tooNew.body().contains("Maximum supported API version is 1.44"));
        assertEquals(400, get("/v1.12/containers/json").statusCode());
    }
}
