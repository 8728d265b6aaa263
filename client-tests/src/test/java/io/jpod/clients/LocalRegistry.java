package io.jpod.clients;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jpod.util.internal.HelperProcess;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;

/**
 * Debian's docker-registry on 127.0.0.1 and a free port, its storage and config.yml in a directory of the test's
 * (optionally with htpasswd Basic auth); and OCI layouts the test writes and {@code skopeo copy}s into it. Stopped
 * by {@link #close()}. (The idea of the registry bundle's RegistryServer, for the client tests.)
 */
final class LocalRegistry implements Closeable {
    static final String BINARY = "/usr/bin/docker-registry";
    static final ObjectMapper JSON = new ObjectMapper();

    final Path dir;
    final Path storage;
    final String host;
    final int port;
    private final Process process;

    private LocalRegistry(Path dir, Path storage, String host, int port, Process process) {
        this.dir = dir;
        this.storage = storage;
        this.host = host;
        this.port = port;
        this.process = process;
    }

    static boolean available() {
        return Files.isExecutable(Path.of(BINARY)) && Files.isExecutable(Path.of("/usr/bin/skopeo"));
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** A registry; with {@code user} and {@code password} it wants them (htpasswd, bcrypt). */
    static LocalRegistry start(Path dir, String user, String password) throws IOException, InterruptedException {
        return start(dir, user, password, "127.0.0.1", null, false);
    }

    /**
     * A registry on {@code host}; with {@code tls} (certificate and key files) over HTTPS; with {@code accessLog}
     * its access log (one line a request, {@code "GET /v2/... HTTP/1.1" 200}) in {@link #log()}.
     */
    static LocalRegistry start(Path dir, String user, String password, String host, Path[] tls, boolean accessLog)
            throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path storage = Files.createDirectories(dir.resolve("storage"));
        int port = freePort();
        StringBuilder y = new StringBuilder();
        y.append("version: 0.1\n");
        y.append("log:\n  level: warn\n  accesslog:\n    disabled: ").append(!accessLog).append('\n');
        y.append("storage:\n  filesystem:\n    rootdirectory: ").append(storage).append('\n');
        y.append("  delete:\n    enabled: true\n");
        y.append("http:\n  addr: ").append(host).append(':').append(port).append('\n');
        if (tls != null) {
            y.append("  tls:\n    certificate: ").append(tls[0]).append("\n    key: ").append(tls[1]).append('\n');
        }
        if (user != null) {
            Path htpasswd = dir.resolve("htpasswd");
            Files.writeString(htpasswd, run(List.of("htpasswd", "-Bbn", user, password)).strip() + "\n");
            y.append("auth:\n  htpasswd:\n    realm: jpod-test\n    path: ").append(htpasswd).append('\n');
        }
        Path config = dir.resolve("config.yml");
        Files.writeString(config, y.toString());
        Process p = new ProcessBuilder(BINARY, "serve", config.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("registry.log").toFile()).start();
        LocalRegistry s = new LocalRegistry(dir, storage, host, port, p);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (true) {
            try (Socket sock = new Socket()) {
                sock.connect(new InetSocketAddress(host, port), 200);
                return s;
            } catch (IOException e) {
                if (!p.isAlive() || System.nanoTime() > deadline) {
                    s.close();
                    throw new IOException("docker-registry did not start: "
                            + Files.readString(dir.resolve("registry.log")), e);
                }
                Thread.sleep(50);
            }
        }
    }

    String address() {
        return host + ":" + port;
    }

    /** What the registry wrote: its errors, and its access log when started with one. */
    String log() throws IOException {
        return Files.readString(dir.resolve("registry.log"));
    }

    /** How many GETs of blob {@code digest} (in any repository) the access log holds. */
    long blobGets(String digest) throws IOException {
        return log().lines().filter(l -> l.contains("\"GET /v2/") && l.contains("/blobs/" + digest + " ")).count();
    }

    /** The file the registry keeps a blob in. */
    Path blobFile(String digest) {
        String hex = digest.substring(digest.indexOf(':') + 1);
        return storage.resolve("docker/registry/v2/blobs/sha256/" + hex.substring(0, 2) + "/" + hex + "/data");
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Runs a command through jpod-util's helper process, whose timeout fires even while the command holds its
     * output open; its output when it fails is in the exception.
     */
    static String run(List<String> cmd) throws IOException, InterruptedException {
        HelperProcess.Result r = HelperProcess.of(cmd).mergeErrors().timeout(Duration.ofSeconds(120)).run();
        String s = new String(r.stdout(), StandardCharsets.UTF_8);
        if (!r.ok()) {
            throw new IOException(cmd + " exited " + r.exitCode() + ": " + s);
        }
        return s;
    }

    /** {@code skopeo copy} of a layout's tag into this registry as {@code repo:tag}, over plain HTTP. */
    void put(Image image, String repoTag, String creds) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("skopeo", "copy", "-q", "--all", "--preserve-digests",
                "--dest-tls-verify=false"));
        if (creds != null) {
            cmd.add("--dest-creds");
            cmd.add(creds);
        }
        cmd.add("oci:" + image.layout() + ":" + image.tag());
        cmd.add("docker://" + address() + "/" + repoTag);
        run(cmd);
    }

    /** An image written as an OCI layout: its manifest's digest, its layers' blob digests (base first). */
    record Image(Path layout, String tag, String manifestDigest, List<String> layerDigests, String configDigest) {
    }

    static String sha256(byte[] b) throws IOException {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IOException(e);
        }
    }

    static String arch() {
        String a = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        return a.equals("x86_64") || a.equals("amd64") ? "amd64" : a.equals("aarch64") ? "arm64" : a;
    }

    /**
     * An OCI layout at {@code layout} with tag {@code tag}: the busybox root filesystem {@code rootfsTar} as a gzip
     * layer, then a small uncompressed layer holding {@code /marker} with {@code marker} in it (so that each image
     * of a test has a layer no other has), Cmd {@code sh}.
     */
    static Image write(Path layout, String tag, Path rootfsTar, String marker) throws IOException,
            InterruptedException {
        return write(layout, tag, rootfsTar, marker, false);
    }

    /**
     * An image of the busybox root filesystem and one big layer of {@code megabytes} of random bytes (a file
     * {@code /big}, uncompressed): a pull of it takes long enough to be interrupted.
     */
    static Image writeBig(Path layout, String tag, Path rootfsTar, int megabytes) throws IOException,
            InterruptedException {
        Path src = Files.createDirectories(layout.getParent().resolve("big-" + tag));
        run(List.of("sh", "-c", "head -c " + megabytes + "M /dev/urandom > " + src.resolve("big")));
        Path big = layout.getParent().resolve("big-" + tag + ".tar");
        run(List.of("tar", "--sort=name", "--mtime=@0", "--owner=0", "--group=0", "-C", src.toString(), "-cf",
                big.toString(), "big"));
        Image i = write(layout, tag, rootfsTar, "big-" + tag, false, Files.readAllBytes(big));
        Files.delete(big);
        return i;
    }

    /** {@link #write(Path, String, Path, String)}, the small layer zstd-compressed when {@code zstd}. */
    static Image write(Path layout, String tag, Path rootfsTar, String marker, boolean zstd) throws IOException,
            InterruptedException {
        return write(layout, tag, rootfsTar, marker, zstd, null);
    }

    private static Image write(Path layout, String tag, Path rootfsTar, String marker, boolean zstd,
            byte[] topTar) throws IOException, InterruptedException {
        return write(layout, tag, rootfsTar, marker, zstd, topTar, arch(), false);
    }

    /**
     * An image for {@code architecture} (linux) only, under an OCI index listing just it: {@code skopeo copy --all}
     * puts the index and the image. Its manifestDigest is the index's.
     */
    static Image writeForArchitecture(Path layout, String tag, Path rootfsTar, String marker, String architecture)
            throws IOException, InterruptedException {
        return write(layout, tag, rootfsTar, marker, false, null, architecture, true);
    }

    private static Image write(Path layout, String tag, Path rootfsTar, String marker, boolean zstd,
            byte[] topTar, String architecture, boolean asIndex) throws IOException, InterruptedException {
        Files.createDirectories(layout.resolve("blobs/sha256"));
        Files.writeString(layout.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        byte[] base = Files.readAllBytes(rootfsTar);
        Path src = Files.createDirectories(layout.getParent().resolve("src-" + tag));
        Files.writeString(src.resolve("marker"), marker + "\n");
        Path small = layout.getParent().resolve("small-" + tag + ".tar");
        run(List.of("tar", "--sort=name", "--mtime=@0", "--owner=0", "--group=0", "-C", src.toString(), "-cf",
                small.toString(), "marker"));
        byte[] top = topTar != null ? topTar : Files.readAllBytes(small);
        byte[] baseGz = gzip(base);
        byte[] topBlob = top;
        if (zstd) {
            Path z = layout.getParent().resolve("small-" + tag + ".tar.zst");
            run(List.of("zstd", "-q", "-f", small.toString(), "-o", z.toString()));
            topBlob = Files.readAllBytes(z);
        }
        List<String> layerDigests = List.of(blob(layout, baseGz), blob(layout, topBlob));
        ObjectNode cfg = JSON.createObjectNode();
        cfg.put("architecture", architecture);
        cfg.put("os", "linux");
        ObjectNode c = cfg.putObject("config");
        c.putArray("Env").add("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        c.putArray("Cmd").add("sh");
        ObjectNode rootfs = cfg.putObject("rootfs");
        rootfs.put("type", "layers");
        rootfs.putArray("diff_ids").add(sha256(base)).add(sha256(top));
        byte[] config = JSON.writeValueAsBytes(cfg);
        String configDigest = blob(layout, config);
        ObjectNode m = JSON.createObjectNode();
        m.put("schemaVersion", 2);
        m.put("mediaType", "application/vnd.oci.image.manifest.v1+json");
        m.set("config", desc("application/vnd.oci.image.config.v1+json", configDigest, config.length));
        ArrayNode layers = m.putArray("layers");
        layers.add(desc("application/vnd.oci.image.layer.v1.tar+gzip", layerDigests.get(0), baseGz.length));
        layers.add(desc("application/vnd.oci.image.layer.v1.tar" + (zstd ? "+zstd" : ""), layerDigests.get(1),
                topBlob.length));
        byte[] manifest = JSON.writeValueAsBytes(m);
        String manifestDigest = blob(layout, manifest);
        ObjectNode index = JSON.createObjectNode();
        index.put("schemaVersion", 2);
        ObjectNode d = desc("application/vnd.oci.image.manifest.v1+json", manifestDigest, manifest.length);
        if (asIndex) {
            ObjectNode list = JSON.createObjectNode();
            list.put("schemaVersion", 2);
            list.put("mediaType", "application/vnd.oci.image.index.v1+json");
            list.putArray("manifests").add(d);
            d.putObject("platform").put("architecture", architecture).put("os", "linux");
            byte[] listBytes = JSON.writeValueAsBytes(list);
            manifestDigest = blob(layout, listBytes);
            d = desc("application/vnd.oci.image.index.v1+json", manifestDigest, listBytes.length);
        }
        d.putObject("annotations").put("org.opencontainers.image.ref.name", tag);
        index.putArray("manifests").add(d);
        Files.write(layout.resolve("index.json"), JSON.writeValueAsBytes(index));
        return new Image(layout, tag, manifestDigest, layerDigests, configDigest);
    }

    private static ObjectNode desc(String type, String digest, long size) {
        ObjectNode n = JSON.createObjectNode();
        n.put("mediaType", type);
        n.put("digest", digest);
        n.put("size", size);
        return n;
    }

    private static String blob(Path layout, byte[] b) throws IOException {
        String d = sha256(b);
        Files.write(layout.resolve("blobs/sha256/" + d.substring(7)), b);
        return d;
    }

    private static byte[] gzip(byte[] b) throws IOException {
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bo)) {
            gz.write(b);
        }
        return bo.toByteArray();
    }
}
