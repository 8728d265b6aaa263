package io.jpod.bench.probe;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.jpod.api.Container;
import io.jpod.api.ContainerConfig;
import io.jpod.api.Containers;
import io.jpod.api.Images;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Containers service measured from inside the framework, with no HTTP in between: each line {@code run} on
 * the socket runs {@code true} with no network through the Containers service (create with the image's defaults, start,
 * wait for the exit, remove) and is answered {@code ok TOTAL CREATE START WAIT REMOVE} in nanoseconds, or
 * {@code error MESSAGE}.
 */
@Component(configurationPid = EngineProbe.PID, configurationPolicy = ConfigurationPolicy.REQUIRE)
public final class EngineProbe {
    static final String PID = "io.jpod.bench.probe";
    private static final Logger LOG = LoggerFactory.getLogger(EngineProbe.class);

    @ObjectClassDefinition(name = "jpod bench: Engine probe")
    public @interface Config {
        /** Where to listen (a unix socket path). */
        String socket();

        String image() default "localhost/busybox:latest";

        /** How often the wait looks at the container, as jpod's own callers pass it. */
        long waitIntervalMillis() default 10;
    }

    private final Containers engine;
    private final Images images;
    private final Config config;
    private final ServerSocketChannel server;
    private final Path socket;

    @Activate
    public EngineProbe(@Reference Containers engine, @Reference Images images, Config config) throws IOException {
        this.engine = engine;
        this.images = images;
        this.config = config;
        socket = Path.of(config.socket());
        Files.deleteIfExists(socket);
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        Thread t = new Thread(this::serve, "jpod-bench-probe");
        t.setDaemon(true);
        t.start();
        LOG.info("bench probe listening on {}", socket);
    }

    @Deactivate
    void deactivate() throws IOException {
        server.close();
        Files.deleteIfExists(socket);
    }

    private void serve() {
        while (server.isOpen()) {
            try (SocketChannel client = server.accept();
                 BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(client), StandardCharsets.UTF_8));
                 Writer out = Channels.newWriter(client, StandardCharsets.UTF_8)) {
                for (String line; (line = in.readLine()) != null;) {
                    out.write(line.strip().equals("run") ? answer() : "error unknown request: " + line);
                    out.write('\n');
                    out.flush();
                }
            } catch (IOException e) {
                if (server.isOpen()) {
                    LOG.warn("bench probe: {}", e.toString());
                }
            }
        }
    }

    private String answer() {
        try {
            long[] t = runOnce();
            return "ok " + (t[4] - t[0]) + ' ' + (t[1] - t[0]) + ' ' + (t[2] - t[1]) + ' ' + (t[3] - t[2]) + ' ' + (t[4] - t[3]);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "error interrupted";
        } catch (RuntimeException e) {
            return "error " + String.valueOf(e.getMessage()).replace('\n', ' ');
        }
    }

    private long[] runOnce() throws InterruptedException {
        long[] t = new long[5];
        t[0] = System.nanoTime();
        ContainerConfig spec = images.withImageDefaults(ContainerConfig.builder().image(config.image())
                .command(List.of("true")).networkMode("none").labels(Map.of("jpod-bench", "1")).build());
        Container c = engine.createContainer(spec);
        try {
            t[1] = System.nanoTime();
            engine.start(c.id());
            t[2] = System.nanoTime();
            int code = engine.waitFor(c.id(), Set.of(), config.waitIntervalMillis());
            t[3] = System.nanoTime();
            if (code != 0) {
                throw new IllegalStateException("true exited " + code);
            }
            engine.removeContainer(c.id(), false);
            t[4] = System.nanoTime();
            return t;
        } catch (RuntimeException | InterruptedException e) {
            try {
                engine.removeContainer(c.id(), true);
            } catch (RuntimeException ignored) {
                // already gone
            }
            throw e;
        }
    }
}
