package io.jpod.registry.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The registry's token service, as docker-registry's {@code auth: token:} expects one: JWTs (RS256, the signing
 * certificate in {@code x5c}, which the registry's {@code rootcertbundle} holds) granting what was asked to user
 * {@code alice} (password {@code s3cr3t-pw}), and only {@code pull} of {@code public/*} to anonymous callers.
 */
final class TokenServer implements Closeable {
    static final String SERVICE = "jpod-test-registry";
    static final String ISSUER = "jpod-test-issuer";
    static final String USER = "alice";
    static final String PASSWORD = "s3cr3t-pw";

    final AtomicInteger requests = new AtomicInteger();
    private final HttpServer server;
    private final PrivateKey key;
    private final X509Certificate cert;

    TokenServer(Path keyPem, Path certPem) throws Exception {
        this.key = CertsDir.privateKey(keyPem);
        this.cert = CertsDir.certificates(certPem).get(0);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        server.createContext("/token", this::token);
        server.start();
    }

    String realm() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/token";
    }

    private void token(HttpExchange ex) throws IOException {
        requests.incrementAndGet();
        try (ex) {
            String user = null;
            String h = ex.getRequestHeaders().getFirst("Authorization");
            if (h != null) {
                String plain = new String(Base64.getDecoder().decode(h.substring("Basic ".length())),
                        StandardCharsets.UTF_8);
                if (!plain.equals(USER + ":" + PASSWORD)) {
                    byte[] b = "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"bad credentials\"}]}".getBytes();
                    ex.sendResponseHeaders(401, b.length);
                    ex.getResponseBody().write(b);
                    return;
                }
                user = USER;
            }
            List<String> scopes = new ArrayList<>();
            String q = ex.getRequestURI().getRawQuery();
            if (q != null) {
                for (String kv : q.split("&")) {
                    int eq = kv.indexOf('=');
                    if (eq > 0 && kv.substring(0, eq).equals("scope")) {
                        scopes.add(URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
                    }
                }
            }
            long now = System.currentTimeMillis() / 1000;
            ObjectNode claims = TestImages.JSON.createObjectNode();
            claims.put("iss", ISSUER);
            claims.put("sub", user == null ? "" : user);
            claims.put("aud", SERVICE);
            claims.put("exp", now + 300);
            claims.put("nbf", now - 10);
            claims.put("iat", now - 10);
            claims.put("jti", UUID.randomUUID().toString());
            ArrayNode access = claims.putArray("access");
            for (String s : scopes) {
                String[] p = s.split(":");
                if (p.length != 3 || !p[0].equals("repository")) {
                    continue;
                }
                ObjectNode a = access.addObject();
                a.put("type", "repository");
                a.put("name", p[1]);
                ArrayNode actions = a.putArray("actions");
                for (String action : p[2].split(",")) {
                    if (user != null || action.equals("pull") && p[1].startsWith("public/")) {
                        actions.add(action);
                    }
                }
            }
            ObjectNode header = TestImages.JSON.createObjectNode();
            header.put("typ", "JWT");
            header.put("alg", "RS256");
            header.putArray("x5c").add(Base64.getEncoder().encodeToString(cert.getEncoded()));
            Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
            String signing = url.encodeToString(TestImages.JSON.writeValueAsBytes(header)) + "."
                    + url.encodeToString(TestImages.JSON.writeValueAsBytes(claims));
            Signature sig = Signature.getInstance("SHA256withRSA");
            sig.initSign(key);
            sig.update(signing.getBytes(StandardCharsets.US_ASCII));
            String jwt = signing + "." + url.encodeToString(sig.sign());
            ObjectNode answer = TestImages.JSON.createObjectNode();
            // half the answers say token, half access_token: both are the spec's
            answer.put(requests.get() % 2 == 0 ? "token" : "access_token", jwt);
            answer.put("expires_in", 300);
            byte[] b = TestImages.JSON.writeValueAsBytes(answer);
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders(200, b.length);
            ex.getResponseBody().write(b);
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
