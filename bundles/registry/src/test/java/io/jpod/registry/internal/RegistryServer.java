package io.jpod.registry.internal;

import io.jpod.util.internal.HelperProcess;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's docker-registry (the CNCF distribution registry) on 127.0.0.1 and a free port, with its storage and its
 * config.yml in a directory of the test's; stopped by {@link #close()}.
 */
final class RegistryServer implements Closeable {
    static final String BINARY = "/usr/bin/docker-registry";

    final Path dir;
    final Path storage;
    final int port;
    private final Process process;

    private RegistryServer(Path dir, Path storage, int port, Process process) {
        this.dir = dir;
        this.storage = storage;
        this.port = port;
        this.process = process;
    }

    static boolean available() {
        return Files.isExecutable(Path.of(BINARY)) && Files.isExecutable(Path.of("/usr/bin/skopeo"));
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /**
     * Starts a registry; {@code extra} is YAML added at the top level of its config (an {@code auth:} section) and
     * {@code tls} the certificate and key for HTTPS, or null for plain HTTP.
     */
    static RegistryServer start(Path dir, String extra, Path[] tls) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path storage = Files.createDirectories(dir.resolve("storage"));
        int port = freePort();
        StringBuilder y = new StringBuilder();
        y.append("version: 0.1\n");
        y.append("log:\n  level: warn\n  accesslog:\n    disabled: true\n");
        y.append("storage:\n  filesystem:\n    rootdirectory: ").append(storage).append('\n');
        y.append("  delete:\n    enabled: true\n");
        y.append("http:\n  addr: 127.0.0.1:").append(port).append('\n');
        if (tls != null) {
            y.append("  tls:\n    certificate: ").append(tls[0]).append("\n    key: ").append(tls[1]).append('\n');
        }
        if (extra != null) {
            y.append(extra);
        }
        Path config = dir.resolve("config.yml");
        Files.writeString(config, y.toString());
        Process p = new ProcessBuilder(BINARY, "serve", config.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("registry.log").toFile()).start();
        RegistryServer s = new RegistryServer(dir, storage, port, p);
        s.awaitPort();
        return s;
    }

    /** Starts the registry again on the same port with its config.yml as it is now. */
    static RegistryServer restart(RegistryServer old) throws IOException, InterruptedException {
        old.close();
        Process p = new ProcessBuilder(BINARY, "serve", old.dir.resolve("config.yml").toString())
                .redirectErrorStream(true).redirectOutput(old.dir.resolve("registry.log").toFile()).start();
        RegistryServer s = new RegistryServer(old.dir, old.storage, old.port, p);
        s.awaitPort();
        return s;
    }

    private void awaitPort() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (true) {
            try (Socket sock = new Socket()) {
                sock.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException e) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    close();
                    throw new IOException("docker-registry did not start: "
                            + Files.readString(dir.resolve("registry.log")), e);
                }
                Thread.sleep(50);
            }
        }
    }

    String address() {
        return "127.0.0.1:" + port;
    }

    /** The blob file of {@code digest} in the registry's storage. */
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

    /** {@code skopeo copy} of an OCI layout's image into {@code dest} (docker://...), without TLS checks. */
    static void skopeoCopy(Path layout, String tag, String dest, String creds, boolean all)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("skopeo", "copy", "-q", "--preserve-digests",
                "--dest-tls-verify=false"));
        if (all) {
            cmd.add("--all");
        }
        if (creds != null) {
            cmd.add("--dest-creds");
            cmd.add(creds);
        }
        cmd.add("oci:" + layout + ":" + tag);
        cmd.add("docker://" + dest);
        run(cmd);
    }
}
