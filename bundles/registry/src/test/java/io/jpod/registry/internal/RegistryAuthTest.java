package io.jpod.registry.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.junit.Assume.assumeTrue;

import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;
import io.jpod.api.registry.Descriptor;
import io.jpod.api.registry.ImageManifest;
import io.jpod.api.registry.ImageReference;
import io.jpod.api.registry.Platform;
import io.jpod.api.registry.RegistryAuth;
import io.jpod.api.registry.RegistryOptions;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.After;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Credentials and TLS against real docker-registry servers: htpasswd Basic auth over plain HTTP, HTTPS with a CA
 * and client certificates the test makes with openssl, and the token flow with the test's own token service.
 */
public class RegistryAuthTest {
    @ClassRule
    public static TemporaryFolder tmp = new TemporaryFolder();

    private static final Platform AMD64 = new Platform("linux", "amd64", null);
    private static final RegistryAuth ALICE = new RegistryAuth(TokenServer.USER, TokenServer.PASSWORD, null);
    private static final RegistryAuth WRONG = new RegistryAuth(TokenServer.USER, "not-the-password", null);
    private static RegistryServer basic;
    private static RegistryServer tls;
    private static RegistryServer token;
    private static TokenServer tokens;
    private static TestImages.Layout layout;
    private static Path pki;
    private final List<RegistryService> services = new ArrayList<>();

    private static void openssl(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("openssl"));
        cmd.addAll(List.of(args));
        RegistryServer.run(cmd);
    }

    /** A key and a certificate signed by the test's CA, for {@code usage} (serverAuth or clientAuth). */
    private static void signed(String name, String subject, String ext) throws Exception {
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", pki.resolve(name + ".key").toString(), "-out",
                pki.resolve(name + ".csr").toString(), "-subj", subject);
        Files.writeString(pki.resolve(name + ".ext"), ext);
        openssl("x509", "-req", "-in", pki.resolve(name + ".csr").toString(), "-CA", pki.resolve("ca.crt").toString(),
                "-CAkey", pki.resolve("ca.key").toString(), "-CAcreateserial", "-days", "2", "-out",
                pki.resolve(name + ".crt").toString(), "-extfile", pki.resolve(name + ".ext").toString());
    }

    @BeforeClass
    public static void start() throws Exception {
        assumeTrue("docker-registry, skopeo, htpasswd, openssl are installed", RegistryServer.available()
                && Files.isExecutable(Path.of("/usr/bin/htpasswd")) && Files.isExecutable(Path.of("/usr/bin/openssl")));
        Path root = tmp.getRoot().toPath();
        layout = TestImages.write(root.resolve("layout"));
        pki = Files.createDirectories(root.resolve("pki"));
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", pki.resolve("ca.key").toString(), "-out",
                pki.resolve("ca.crt").toString(), "-days", "2", "-subj", "/CN=jpod-test-ca");
        signed("server", "/CN=127.0.0.1", "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n");
        signed("client", "/CN=jpod-test-client", "extendedKeyUsage=clientAuth\n");
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", pki.resolve("token.key").toString(),
                "-out", pki.resolve("token.crt").toString(), "-days", "2", "-subj", "/CN=jpod-test-token");

        // Basic: htpasswd over plain HTTP
        String htpasswd = RegistryServer.run(List.of("htpasswd", "-Bbn", TokenServer.USER, TokenServer.PASSWORD));
        Files.writeString(root.resolve("htpasswd"), htpasswd.trim() + "\n");
        basic = RegistryServer.start(root.resolve("basic"), "auth:\n  htpasswd:\n    realm: jpod-test\n    path: "
                + root.resolve("htpasswd") + "\n", null);
        RegistryServer.skopeoCopy(layout.dir(), "v1", basic.address() + "/test/img:v1",
                TokenServer.USER + ":" + TokenServer.PASSWORD, false);

        // TLS with the test's CA, client certificates required
        tls = RegistryServer.start(root.resolve("tls"), null, new Path[] {pki.resolve("server.crt"),
            pki.resolve("server.key")});
        Path tlsYaml = root.resolve("tls/config.yml");
        tls.close();
        Files.writeString(tlsYaml, Files.readString(tlsYaml).replace("    key: " + pki.resolve("server.key"),
                "    key: " + pki.resolve("server.key") + "\n    clientcas:\n      - " + pki.resolve("ca.crt")));
        tls = RegistryServer.restart(tls);
        Path skopeoCerts = certsDir(root.resolve("skopeo-certs"), tls, true, true).resolve(tls.address());
        RegistryServer.run(List.of("skopeo", "copy", "-q", "--preserve-digests", "--dest-cert-dir",
                skopeoCerts.toString(), "oci:" + layout.dir() + ":v1", "docker://" + tls.address() + "/test/img:v1"));

        // the token flow
        tokens = new TokenServer(pki.resolve("token.key"), pki.resolve("token.crt"));
        token = RegistryServer.start(root.resolve("token"), "auth:\n  token:\n    realm: " + tokens.realm()
                + "\n    service: " + TokenServer.SERVICE + "\n    issuer: " + TokenServer.ISSUER
                + "\n    rootcertbundle: " + pki.resolve("token.crt") + "\n", null);
        for (String repo : List.of("public/img", "private/img")) {
            RegistryServer.skopeoCopy(layout.dir(), "v1", token.address() + "/" + repo + ":v1",
                    TokenServer.USER + ":" + TokenServer.PASSWORD, false);
        }
    }

    @AfterClass
    public static void stop() {
        for (RegistryServer s : new RegistryServer[] {basic, tls, token}) {
            if (s != null) {
                s.close();
            }
        }
        if (tokens != null) {
            tokens.close();
        }
    }

    @After
    public void closeServices() {
        services.forEach(RegistryService::close);
    }

    /** {@code <root>/<host:port>/} with the CA and/or the client pair. */
    private static Path certsDir(Path root, RegistryServer s, boolean ca, boolean client) throws IOException {
        Path d = Files.createDirectories(root.resolve(s.address()));
        if (ca) {
            Files.copy(pki.resolve("ca.crt"), d.resolve("ca.crt"));
        }
        if (client) {
            Files.copy(pki.resolve("client.crt"), d.resolve("client.cert"));
            Files.copy(pki.resolve("client.key"), d.resolve("client.key"));
        }
        return root;
    }

    private RegistryService service(Path certs, Map<String, String> env, boolean root) throws IOException {
        RegistryService s = new RegistryService(new RegistryService.Settings(null, null, null,
                List.of(certs == null ? tmp.getRoot().toPath().resolve("no-certs") : certs), Duration.ofSeconds(10),
                Duration.ofSeconds(30), env, root));
        services.add(s);
        return s;
    }

    private RegistryService service() throws IOException {
        Path dir = Files.createTempDirectory(tmp.getRoot().toPath(), "auth");
        return service(null, Map.of("REGISTRY_AUTH_FILE", dir.resolve("auth.json").toString()), true);
    }

    private static ImageReference ref(RegistryServer s, String r) {
        return ReferenceParser.parse(s.address() + "/" + r);
    }

    private static RegistryOptions authFile(Path f) {
        return new RegistryOptions(null, null, f.toString());
    }

    private static void assertUnauthorized(Runnable r, String... parts) {
        try {
            r.run();
            fail("no error");
        } catch (JpodException e) {
            assertEquals(e.getMessage(), ErrorCode.UNAUTHORIZED, e.code());
            for (String p : parts) {
                assertTrue(e.getMessage(), e.getMessage().contains(p));
            }
            assertFalse("the password is in " + e.getMessage(), e.getMessage().contains(TokenServer.PASSWORD)
                    || e.getMessage().contains("not-the-password"));
        }
    }

    @Test
    public void basicAnonymousIsUnauthorizedRunJpodLogin() throws IOException {
        RegistryService s = service();
        assertUnauthorized(() -> s.manifest(ref(basic, "test/img:v1"), AMD64, null), "unauthorized",
                "run jpod login " + basic.address());
        assertUnauthorized(() -> s.manifest(ref(basic, "test/img:v1"), AMD64, new RegistryOptions(WRONG, null, null)),
                "run jpod login", "user alice");
    }

    @Test
    public void basicLoginStoresAuthJson0600AndPullsWithIt() throws IOException {
        RegistryService s = service();
        Path f = tmp.getRoot().toPath().resolve("login/auth.json");
        s.login(basic.address(), ALICE, true, authFile(f));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
        String json = Files.readString(f);
        assertTrue(json, json.contains("\"" + basic.address() + "\""));
        assertTrue(json, json.contains(Base64.getEncoder().encodeToString((TokenServer.USER + ":"
                + TokenServer.PASSWORD).getBytes(StandardCharsets.UTF_8))));
        ImageManifest m = s.manifest(ref(basic, "test/img:v1"), AMD64, authFile(f));
        assertEquals(layout.manifestDigest(), m.reference().digest());
        try (InputStream in = s.blob(m.reference(), m.layers().get(0), authFile(f))) {
            assertEquals(m.layers().get(0).size(), in.readAllBytes().length);
        }
        assertTrue(s.logout(basic.address(), authFile(f)));
        assertFalse(s.logout(basic.address(), authFile(f)));
        assertUnauthorized(() -> s.manifest(ref(basic, "test/img:v1"), AMD64, authFile(f)), "run jpod login");
    }

    @Test
    public void basicLoginWithAWrongPasswordIsRefusedAndNotStored() throws IOException {
        RegistryService s = service();
        Path f = tmp.getRoot().toPath().resolve("bad/auth.json");
        assertUnauthorized(() -> s.login(basic.address(), WRONG, true, authFile(f)), basic.address());
        assertFalse(Files.exists(f));
    }

    @Test
    public void credentialsWithTheCall() throws IOException {
        RegistryService s = service();
        ImageManifest m = s.manifest(ref(basic, "test/img:v1"), AMD64, new RegistryOptions(ALICE, null, null));
        assertEquals(layout.manifestDigest(), m.reference().digest());
    }

    @Test
    public void dockersConfigJsonIsReadAsPodmanDoes() throws IOException {
        Path home = Files.createTempDirectory(tmp.getRoot().toPath(), "home");
        Files.createDirectories(home.resolve(".docker"));
        Files.writeString(home.resolve(".docker/config.json"), "{\"auths\":{\"http://" + basic.address() + "\":{\"auth\":\""
                + Base64.getEncoder().encodeToString(("alice:" + TokenServer.PASSWORD).getBytes(StandardCharsets.UTF_8)) + "\"}}}");
        Map<String, String> env = new HashMap<>();
        env.put("HOME", home.toString());
        env.put("XDG_RUNTIME_DIR", home.resolve("run").toString());
        RegistryService s = service(null, env, false);
        assertEquals(layout.manifestDigest(), s.manifest(ref(basic, "test/img:v1"), AMD64, null).reference().digest());
        AuthFiles files = new AuthFiles(env, false);
        assertEquals(home.resolve("run/containers/auth.json"), files.writePath(null));
        RegistryAuth a = files.lookup(basic.address(), "test/img", null);
        assertEquals("alice", a.username());
        assertFalse(a.toString(), a.toString().contains(TokenServer.PASSWORD));
        assertNull(files.lookup("other.example", "x", null));
        assertEquals(Path.of("/run/containers/0/auth.json"), new AuthFiles(env, true).writePath(null));
    }

    @Test
    public void tlsVerifiedWithTheCaAndClientCertificateOfCertsD() throws IOException {
        Path certs = certsDir(Files.createTempDirectory(tmp.getRoot().toPath(), "certs"), tls, true, true);
        RegistryService s = service(certs, Map.of(), true);
        // loopback is insecure by default: ask for verification explicitly
        ImageManifest m = s.manifest(ref(tls, "test/img:v1"), AMD64, new RegistryOptions(null, true, null));
        assertEquals(layout.manifestDigest(), m.reference().digest());
    }

    @Test
    public void tlsWithoutTheCaIsRefusedNamingTheAddress() throws IOException {
        Path certs = certsDir(Files.createTempDirectory(tmp.getRoot().toPath(), "certs"), tls, false, true);
        try {
            service(certs, Map.of(), true).manifest(ref(tls, "test/img:v1"), AMD64, new RegistryOptions(null, true, null));
            fail();
        } catch (JpodException e) {
            assertEquals(ErrorCode.REGISTRY_UNREACHABLE, e.code());
            assertTrue(e.getMessage(), e.getMessage().contains(tls.address()) && e.getMessage().contains("TLS"));
        }
    }

    @Test
    public void tlsVerifyFalseSkipsTheCheck() throws IOException {
        Path certs = certsDir(Files.createTempDirectory(tmp.getRoot().toPath(), "certs"), tls, false, true);
        ImageManifest m = service(certs, Map.of(), true).manifest(ref(tls, "test/img:v1"), AMD64,
                new RegistryOptions(null, false, null));
        assertEquals(layout.manifestDigest(), m.reference().digest());
    }

    @Test
    public void tlsWithoutTheClientCertificateIsRefused() throws IOException {
        Path certs = certsDir(Files.createTempDirectory(tmp.getRoot().toPath(), "certs"), tls, true, false);
        try {
            service(certs, Map.of(), true).manifest(ref(tls, "test/img:v1"), AMD64, new RegistryOptions(null, true, null));
            fail();
        } catch (JpodException e) {
            assertEquals(ErrorCode.REGISTRY_UNREACHABLE, e.code());
            assertTrue(e.getMessage(), e.getMessage().contains(tls.address()));
        }
    }

    @Test
    public void anHttpsOnlyRegistryIsNotMistakenForPlainHttp() throws IOException {
        // loopback: HTTPS without verification is tried first, then plain HTTP; this one speaks HTTPS only and
        // wants a client certificate, so its TLS failure is what is reported, not a plain-HTTP 400
        Path certs = certsDir(Files.createTempDirectory(tmp.getRoot().toPath(), "certs"), tls, true, false);
        try {
            service(certs, Map.of(), true).manifest(ref(tls, "test/img:v1"), AMD64, null);
            fail();
        } catch (JpodException e) {
            assertEquals(e.getMessage(), ErrorCode.REGISTRY_UNREACHABLE, e.code());
            assertTrue(e.getMessage(), e.getMessage().contains(tls.address() + " (https)"));
        }
        // with its client certificate, the default (loopback: unverified HTTPS) works
        Path ok = certsDir(Files.createTempDirectory(tmp.getRoot().toPath(), "certs"), tls, false, true);
        assertEquals(layout.manifestDigest(), service(ok, Map.of(), true).manifest(ref(tls, "test/img:v1"), AMD64,
                null).reference().digest());
    }

    @Test
    public void tokenAnonymousPullOfAPublicRepository() throws IOException {
        RegistryService s = service();
        ImageManifest m = s.manifest(ref(token, "public/img:v1"), AMD64, null);
        assertEquals(layout.manifestDigest(), m.reference().digest());
        int before = tokens.requests.get();
        // the token for this scope is cached: no new token request
        s.manifest(ref(token, "public/img:v1"), AMD64, null);
        try (InputStream in = s.blob(m.reference(), m.config(), null)) {
            assertEquals(m.config().size(), in.readAllBytes().length);
        }
        assertEquals(before, tokens.requests.get());
    }

    @Test
    public void tokenPrivateRepositoryNeedsALogin() throws IOException {
        RegistryService s = service();
        assertUnauthorized(() -> s.manifest(ref(token, "private/img:v1"), AMD64, null), "run jpod login "
                + token.address());
        assertUnauthorized(() -> s.manifest(ref(token, "private/img:v1"), AMD64, new RegistryOptions(WRONG, null, null)),
                "run jpod login", "refused");
    }

    @Test
    public void tokenLoginPullAndPush() throws IOException {
        RegistryService s = service();
        Path f = tmp.getRoot().toPath().resolve("token-login/auth.json");
        assertUnauthorized(() -> s.login(token.address(), WRONG, true, authFile(f)), token.address());
        assertFalse(Files.exists(f));
        s.login(token.address(), ALICE, true, authFile(f));
        ImageManifest m = s.manifest(ref(token, "private/img:v1"), AMD64, authFile(f));
        assertEquals(layout.manifestDigest(), m.reference().digest());
        byte[] data = "pushed with a token".getBytes(StandardCharsets.UTF_8);
        Descriptor d = new Descriptor("application/octet-stream", Digests.sha256(data), data.length, null);
        ImageReference dest = ref(token, "private/pushed:v1");
        assertFalse(s.hasBlob(dest, d.digest(), authFile(f)));
        s.putBlob(dest, d, new ByteArrayInputStream(data), authFile(f));
        assertTrue(s.hasBlob(dest, d.digest(), authFile(f)));
        try (InputStream in = s.blob(dest, d, authFile(f))) {
            assertEquals(new String(data, StandardCharsets.UTF_8), new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }
}
