package io.jpod.registry.internal;

import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * TLS settings per registry, as podman and dockerd read them: trust is the system's CAs plus every
 * {@code <root>/<host:port>/*.crt}; a {@code *.cert} with the {@code *.key} of the same base name is a client
 * certificate. The roots are {@code /etc/containers/certs.d} and {@code /etc/docker/certs.d}, in that order.
 */
public final class CertsDir {
    public static final List<Path> DEFAULT_ROOTS = List.of(Path.of("/etc/containers/certs.d"),
            Path.of("/etc/docker/certs.d"));
    private static final Pattern PEM = Pattern.compile(
            "-----BEGIN ([A-Z ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");

    private final List<Path> roots;

    public CertsDir(List<Path> roots) {
        this.roots = List.copyOf(roots);
    }

    /** The directories that hold {@code registry}'s files ({@code host:port}, and {@code host} for port 443). */
    /** Where a registry's certificates go: its directory under the first root. */
    Path dirFor(String registry) {
        return roots.isEmpty() ? DEFAULT_ROOTS.get(0).resolve(registry) : roots.get(0).resolve(registry);
    }

    List<Path> dirsOf(String registry) {
        List<Path> dirs = new ArrayList<>();
        for (Path root : roots) {
            Path d = root.resolve(registry);
            if (Files.isDirectory(d)) {
                dirs.add(d);
            }
            if (registry.endsWith(":443")) {
                Path h = root.resolve(registry.substring(0, registry.length() - 4));
                if (Files.isDirectory(h)) {
                    dirs.add(h);
                }
            }
        }
        return dirs;
    }

    /** The SSLContext for {@code registry}: verifying with the system's CAs and certs.d's, or not verifying at all. */
    public SSLContext context(String registry, boolean verify) {
        List<Path> dirs = dirsOf(registry);
        try {
            List<X509Certificate> cas = new ArrayList<>();
            List<Path[]> pairs = new ArrayList<>();
            for (Path d : dirs) {
                try (Stream<Path> s = Files.list(d)) {
                    for (Path f : s.sorted().toList()) {
                        String n = f.getFileName().toString();
                        if (n.endsWith(".crt")) {
                            cas.addAll(certificates(f));
                        } else if (n.endsWith(".cert")) {
                            Path key = f.resolveSibling(n.substring(0, n.length() - 5) + ".key");
                            if (!Files.isRegularFile(key)) {
                                throw new JpodException(ErrorCode.CONFIG_INVALID, "client certificate " + f
                                        + " has no key " + key.getFileName());
                            }
                            pairs.add(new Path[] {f, key});
                        } else if (n.endsWith(".key")) {
                            Path cert = f.resolveSibling(n.substring(0, n.length() - 4) + ".cert");
                            if (!Files.isRegularFile(cert)) {
                                throw new JpodException(ErrorCode.CONFIG_INVALID, "client key " + f
                                        + " has no certificate " + cert.getFileName());
                            }
                        }
                    }
                }
            }
            TrustManager[] tms = verify ? trust(cas) : new TrustManager[] {new TrustingManager()};
            KeyManagerFactory kmf = null;
            if (!pairs.isEmpty()) {
                KeyStore ks = KeyStore.getInstance("PKCS12");
                ks.load(null, null);
                int i = 0;
                for (Path[] p : pairs) {
                    List<X509Certificate> chain = certificates(p[0]);
                    ks.setKeyEntry("client" + i++, privateKey(p[1]), new char[0], chain.toArray(new Certificate[0]));
                }
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(ks, new char[0]);
            }
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf == null ? null : kmf.getKeyManagers(), tms, null);
            return ctx;
        } catch (IOException | GeneralSecurityException e) {
            throw new JpodException(ErrorCode.CONFIG_INVALID, "TLS files for " + registry + " in " + dirs
                    + " cannot be used: " + e.getMessage(), e);
        }
    }

    private static TrustManager[] trust(List<X509Certificate> extra) throws GeneralSecurityException, IOException {
        TrustManagerFactory sys = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        sys.init((KeyStore) null);
        if (extra.isEmpty()) {
            return sys.getTrustManagers();
        }
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        int i = 0;
        for (TrustManager tm : sys.getTrustManagers()) {
            if (tm instanceof X509TrustManager x) {
                for (X509Certificate c : x.getAcceptedIssuers()) {
                    ks.setCertificateEntry("sys" + i++, c);
                }
            }
        }
        for (X509Certificate c : extra) {
            ks.setCertificateEntry("certsd" + i++, c);
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        return tmf.getTrustManagers();
    }

    static List<X509Certificate> certificates(Path f) throws IOException, GeneralSecurityException {
        CertificateFactory cf = CertificateFactory.getInstance("X.509");
        List<X509Certificate> out = new ArrayList<>();
        try (InputStream in = Files.newInputStream(f)) {
            for (Certificate c : cf.generateCertificates(in)) {
                out.add((X509Certificate) c);
            }
        }
        if (out.isEmpty()) {
            throw new GeneralSecurityException(f + " holds no certificate");
        }
        return out;
    }

    /** A PEM private key: PKCS#8 ({@code PRIVATE KEY}) or PKCS#1 RSA ({@code RSA PRIVATE KEY}). */
    static PrivateKey privateKey(Path f) throws IOException, GeneralSecurityException {
        String text = Files.readString(f, StandardCharsets.US_ASCII);
        Matcher m = PEM.matcher(text);
        while (m.find()) {
            String type = m.group(1);
            byte[] der = Base64.getMimeDecoder().decode(m.group(2));
            if (type.equals("PRIVATE KEY")) {
                for (String alg : List.of("RSA", "EC", "Ed25519")) {
                    try {
                        return KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(der));
                    } catch (GeneralSecurityException e) {
                        // next algorithm
                    }
                }
                throw new GeneralSecurityException(f + ": a PKCS#8 key of no algorithm this JDK knows");
            }
            if (type.equals("RSA PRIVATE KEY")) {
                return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(pkcs1ToPkcs8(der)));
            }
        }
        throw new GeneralSecurityException(f + " holds no PEM private key (PKCS#8 \"PRIVATE KEY\" or \"RSA PRIVATE KEY\";"
                + " convert others with openssl pkcs8 -topk8 -nocrypt)");
    }

    /** Wraps a PKCS#1 RSAPrivateKey in a PKCS#8 PrivateKeyInfo. */
    private static byte[] pkcs1ToPkcs8(byte[] pkcs1) {
        byte[] algId = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01,
            0x01, 0x05, 0x00};
        byte[] version = {0x02, 0x01, 0x00};
        byte[] octet = der(0x04, pkcs1);
        byte[] body = new byte[version.length + algId.length + octet.length];
        System.arraycopy(version, 0, body, 0, version.length);
        System.arraycopy(algId, 0, body, version.length, algId.length);
        System.arraycopy(octet, 0, body, version.length + algId.length, octet.length);
        return der(0x30, body);
    }

    private static byte[] der(int tag, byte[] content) {
        byte[] len;
        if (content.length < 128) {
            len = new byte[] {(byte) content.length};
        } else {
            byte[] n = BigInteger.valueOf(content.length).toByteArray();
            int skip = n[0] == 0 ? 1 : 0;
            len = new byte[n.length - skip + 1];
            len[0] = (byte) (0x80 | (n.length - skip));
            System.arraycopy(n, skip, len, 1, n.length - skip);
        }
        byte[] out = new byte[1 + len.length + content.length];
        out[0] = (byte) tag;
        System.arraycopy(len, 0, out, 1, len.length);
        System.arraycopy(content, 0, out, 1 + len.length, content.length);
        return out;
    }

    /**
     * {@code insecure}: accepts every certificate and host name. An X509ExtendedTrustManager, so that JSSE does not add
     * its own host name check around it.
     */
    static final class TrustingManager extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
