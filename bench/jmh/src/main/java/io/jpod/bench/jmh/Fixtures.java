package io.jpod.bench.jmh;

import io.jpod.api.Container;
import io.jpod.api.ContainerConfig;
import io.jpod.api.ContainerState;
import io.jpod.api.DBConfig;
import io.jpod.api.config.JpodConfig;
import io.jpod.api.config.RuntimeOptions;
import io.jpod.config.ConfigLoader;
import io.jpod.spi.ProviderContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** What the benchmarks open providers with, outside OSGi: a private directory and a configuration read from it. */
final class Fixtures {
    private Fixtures() {
    }

    /** A fresh directory under -Djpod.bench.work (bench/run's) or the system temp dir. */
    static Path tempDir(String prefix) {
        try {
            String base = System.getProperty("jpod.bench.work");
            return base == null ? Files.createTempDirectory(prefix) : Files.createTempDirectory(Path.of(base), prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void delete(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The provider context of an engine whose directories are all under {@code dir}, with {@code numLocks} locks. */
    static ProviderContext context(String name, Path dir, int numLocks) {
        try {
            Path conf = dir.resolve("jpod.conf");
            Files.writeString(conf, "[engine]\nnum_locks = " + numLocks + "\nstatic_dir = \"" + dir.resolve("static")
                    + "\"\ntmp_dir = \"" + dir.resolve("run") + "\"\nvolume_path = \"" + dir.resolve("volumes")
                    + "\"\n[storage]\ndriver = \"vfs\"\ngraphroot = \"" + dir.resolve("g") + "\"\nrunroot = \""
                    + dir.resolve("r") + "\"\n");
            JpodConfig config = ConfigLoader.of(List.of(conf)).load(RuntimeOptions.NONE).config();
            Files.createDirectories(dir.resolve("static"));
            Files.createDirectories(dir.resolve("run"));
            DBConfig dirs = new DBConfig(dir.resolve("static").toString(), dir.resolve("run").toString(),
                    dir.resolve("g").toString(), dir.resolve("r").toString(), "vfs", dir.resolve("volumes").toString());
            return new ProviderContext(name, config, dirs, false, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A 64-hex-digit ID from a number. */
    static String id(long n) {
        String h = HexFormat.of().toHexDigits(n);
        return "b".repeat(64 - h.length()) + h;
    }

    /** A container as the engine stores one after create: busybox, a command, env, labels, the default network. */
    static Container container(long n) {
        ContainerConfig cfg = ContainerConfig.builder().id(id(n)).name("bench_" + n).namespace("").lockId((int) (n % 2048))
                .image("localhost/busybox:latest").command(List.of("sh", "-c", "echo hello; sleep 1"))
                .env(List.of("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "TERM=xterm",
                        "container=jpod"))
                .labels(Map.of("jpod-bench", "1", "app", "web")).annotations(Map.of("io.jpod.bench", "yes"))
                .networks(List.of("jpod")).created(Instant.parse("2026-11-28T19:00:00.123456789Z")).build();
        return new Container(cfg, ContainerState.configured());
    }
}
