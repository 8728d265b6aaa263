package io.jpod.clients;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The distribution's service (bin/jpod-service) as a user runs it, on a private configuration and the
 * socket the test JVM's DOCKER_HOST names, with the bundled busybox image imported.
 */
@SuppressWarnings("try") // close() waits for the service to stop, so it may be interrupted
final class JpodService implements AutoCloseable {
    final Path home = Path.of(System.getProperty("jpod.home"));
    final Path socket = Path.of(System.getProperty("jpod.test.socket"));
    final Path dir;
    private Process process;
    /** More environment of bin/jpod-service, e.g. JAVA_OPTS with -Djpod.* properties. */
    private final Map<String, String> serviceEnv;
    /** Mount points under {@link #dir} the test made; close() unmounts them once the service is stopped. */
    final List<Path> testMounts = new ArrayList<>();

    JpodService() throws Exception {
        this("");
    }

    /** What a test does in the service's directory before the service starts (e.g. mount a small tmpfs). */
    interface Prepare {
        void in(JpodService service) throws Exception;
    }

    /** A jpod.conf whose every directory of the engine is under {@code dir}. */
    static String privateConf(Path dir) {
        return """
                [engine]
                static_dir = "%1$s/engine"
                tmp_dir = "%1$s/run"
                volume_path = "%1$s/volumes"
                [network]
                network_config_dir = "%1$s/networks"
                [storage]
                graphroot = "%1$s/storage"
                runroot = "%1$s/run/storage"
                """.formatted(dir);
    }

    /** With more of jpod.conf after the private directories, e.g. {@code [engine.runtimes]} entries. */
    JpodService(String moreConf) throws Exception {
        this(moreConf, Map.of(), s -> { });
    }

    /** With {@code env} for bin/jpod-service, and {@code prepare} done before it starts. */
    JpodService(String moreConf, Map<String, String> env, Prepare prepare) throws Exception {
        serviceEnv = Map.copyOf(env);
        Files.createDirectories(socket.getParent());
        dir = Files.createTempDirectory("jpod-clients-");
        Files.writeString(dir.resolve("jpod.conf"), privateConf(dir) + moreConf);
        run(List.of(home.resolve("bin/jpod-busybox-image").toString()), 60);
        try {
            prepare.in(this);
            // a service left by an earlier run would answer in this one's place
            assertTrue("a service already answers on " + socket + ": stop it first",
                    !"OK".equals(curl("GET", "/_ping").out()));
            startService();
            Result imported = run(List.of("curl", "-sS", "--unix-socket", socket.toString(), "-X", "POST",
                    "--data-binary", "@" + home.resolve("etc/busybox.tar"),
                    "http://d/v4.3.1/libpod/images/import?reference=busybox&changes=CMD%20%5B%22sh%22%5D"), 60);
            assertTrue("import: " + imported + "; the service's log: " + logTail(), imported.out().contains("\"Id\""));
        } catch (Exception | AssertionError e) {
            if (process != null) {
                stopService();
            }
            unmountTestMounts();
            throw e;
        }
    }

    /** The last lines of the service's log, for a failure's message. */
    private String logTail() throws IOException {
        List<String> lines = Files.readAllLines(dir.resolve("service.log"));
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }

    record Result(int code, String out, String err) {
    }

    /** Starts bin/jpod-service and waits until its API answers. */
    void startService() throws Exception {
        // with SIGHUP ignored, as nohup and some CI runners start it: bin/jpod-service must restore it for reloads
        ProcessBuilder pb = new ProcessBuilder("env", "--ignore-signal=HUP", home.resolve("bin/jpod-service").toString());
        pb.environment().put("JPOD_CONF", dir.resolve("jpod.conf").toString());
        pb.environment().put("JPOD_SOCKET", socket.toString());
        pb.environment().putAll(serviceEnv);
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("service.out").toFile()));
        pb.redirectError(ProcessBuilder.Redirect.appendTo(dir.resolve("service.log").toFile()));
        process = pb.start();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        // the API answers before the engine and the image service are there (a 503 meanwhile): wait for both
        while (!"OK".equals(curl("GET", "/_ping").out()) || !curl("GET", "/images/json").out().startsWith("[")) {
            if (!process.isAlive() || System.nanoTime() > end) {
                throw new IllegalStateException("the service did not answer on " + socket + "; its log: "
                        + Files.readString(dir.resolve("service.log")));
            }
            Thread.sleep(200);
        }
    }

    /** The service's process ID (bin/jpod-service execs the JVM): its threads and fds are under /proc/PID. */
    long pid() {
        return process.pid();
    }

    /** Kills the service as a crash would (SIGKILL): no shutdown hook, no clean stop. */
    void crash() throws Exception {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** Stops the service cleanly (SIGTERM). */
    void stopService() throws Exception {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    Result curl(String method, String path) throws Exception {
        return run(List.of("curl", "-sS", "--max-time", "5", "--unix-socket", socket.toString(), "-X", method,
                "http://d" + path), 10);
    }

    /** Runs a client command with DOCKER_HOST and CONTAINER_HOST on jpod's socket. */
    Result run(List<String> command, int timeoutSeconds) throws Exception {
        return run(command, null, timeoutSeconds);
    }

    Result run(List<String> command, String stdin, int timeoutSeconds) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command);
        Map<String, String> env = pb.environment();
        env.put("DOCKER_HOST", "unix://" + socket);
        env.put("CONTAINER_HOST", "unix://" + socket);
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        pb.redirectOutput(out.toFile());
        pb.redirectError(err.toFile());
        if (stdin == null) {
            pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        }
        Process p = pb.start();
        if (stdin != null) {
            try (var in = p.getOutputStream()) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        }
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish within " + timeoutSeconds
                    + " s; it wrote: " + Files.readString(out) + Files.readString(err));
        }
        Result r = new Result(p.exitValue(), Files.readString(out).trim(), Files.readString(err).trim());
        Files.delete(out);
        Files.delete(err);
        return r;
    }

    /** The distribution's own CLI, bin/jpod, on the service's socket. */
    Result jpod(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(home.resolve("bin/jpod").toString(), "--url", "unix://" + socket));
        cmd.addAll(List.of(args));
        return run(cmd, 60);
    }

    /** Sends the service SIGHUP: it reads its configuration again, as podman's service does. */
    void hangup() throws Exception {
        Result r = run(List.of("kill", "-HUP", Long.toString(process.pid())), 10);
        assertEquals("kill -HUP: " + r, 0, r.code());
    }

    /**
     * podman itself on this host, the reference jpod is compared with (not a client of the service's socket:
     * the test's DOCKER_HOST and CONTAINER_HOST are left out), on cgroupfs and runc as jpod runs.
     */
    Result reference(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("env", "-u", "CONTAINER_HOST", "-u", "DOCKER_HOST", "podman",
                "--cgroup-manager", "cgroupfs", "--runtime", "runc"));
        cmd.addAll(List.of(args));
        return run(cmd, 120);
    }

    /** podman-remote on the service's socket. */
    Result podman(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("podman", "--remote"));
        cmd.addAll(List.of(args));
        return run(cmd, 120);
    }

    Result docker(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("docker"));
        cmd.addAll(List.of(args));
        return run(cmd, 60);
    }

    private void unmountTestMounts() throws Exception {
        for (Path m : testMounts) {
            Result r = run(List.of("umount", m.toString()), 30);
            if (r.code() != 0) {
                run(List.of("umount", "-l", m.toString()), 30);
            }
        }
        testMounts.clear();
    }

    /**
     * What a service that is gone leaves: its containers in runc (killed and deleted, so that their conmon
     * processes exit) and the mounts under its directory.
     */
    private void removeLeftovers() throws Exception {
        Path runtimes = dir.resolve("run/runtime");
        if (Files.isDirectory(runtimes)) {
            try (Stream<Path> roots = Files.list(runtimes)) {
                for (Path root : roots.toList()) {
                    Result ids = run(List.of("runc", "--root", root.toString(), "list", "-q"), 30);
                    for (String id : ids.out().split("\\s+")) {
                        if (!id.isBlank()) {
                            run(List.of("runc", "--root", root.toString(), "kill", id, "KILL"), 30);
                            run(List.of("runc", "--root", root.toString(), "delete", "-f", id), 30);
                        }
                    }
                }
            }
        }
        List<String> targets = new ArrayList<>(Files.readAllLines(Path.of("/proc/mounts")).stream()
                .map(l -> l.split(" ")[1]).filter(t -> t.contains(dir.toString())).toList());
        targets.sort(Comparator.reverseOrder());
        for (String t : targets) {
            run(List.of("umount", "-l", t), 30);
        }
    }

    /** Removes every container, stops the service, and checks that nothing of it is left on the host. */
    @Override
    public void close() throws IOException {
        try {
            closeService();
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while stopping the service", e);
        } catch (Exception e) {
            throw new IOException(e);
        }
    }

    private void closeService() throws Exception {
        try {
            Result ids = docker("ps", "-aq", "--no-trunc");
            for (String id : ids.out().split("\\s+")) {
                if (!id.isBlank()) {
                    docker("rm", "-f", id);
                }
            }
        } finally {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            unmountTestMounts();
        }
        List<String> mounts = Files.readAllLines(Path.of("/proc/mounts")).stream()
                .filter(l -> l.contains(dir.toString())).toList();
        byte[] h = MessageDigest.getInstance("SHA-256")
                .digest(dir.resolve("run").toString().getBytes(StandardCharsets.UTF_8));
        Files.deleteIfExists(Path.of("/dev/shm", "jpod_locks_" + HexFormat.of().formatHex(h, 0, 6)));
        List<String> conmons = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                try {
                    String cmdline = Files.readString(p.resolve("cmdline")).replace('\0', ' ');
                    if (cmdline.startsWith("/usr/bin/conmon") && cmdline.contains(dir.toString())) {
                        conmons.add(cmdline);
                    }
                } catch (IOException gone) {
                    // exited meanwhile
                }
            }
        }
        if (!mounts.isEmpty() || !conmons.isEmpty()) {
            // the service left them (it died, or a removal failed): the host is cleaned before the test fails
            removeLeftovers();
        }
        assertEquals("mounts left under " + dir, List.of(), mounts);
        assertEquals("conmon processes left for " + dir, List.of(), conmons);
        Files.deleteIfExists(socket);
        deleteTree(dir);
    }

    /** Removes a directory a test made and all it holds, as far as it can (links are removed, not followed). */
    static void deleteTree(Path dir) throws IOException {
        if (dir == null || !Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
