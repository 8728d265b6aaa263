package io.jpod.rest.internal;

import io.jpod.api.EngineAssembler;
import io.jpod.api.Images;
import io.jpod.api.registry.Registries;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.unixdomain.server.UnixDomainServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API service: the Docker Engine API and Podman's libpod API on a unix socket (and on TCP when
 * configured). It runs whether or not an engine is assembled; without one, calls are answered 503 with
 * the assembler's status sentence.
 */
@Component(configurationPid = "io.jpod.rest", configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = RestService.Config.class)
public final class RestService {
    private static final Logger LOG = LoggerFactory.getLogger(RestService.class);
    static final String DEFAULT_SOCKET = "/run/jpod/jpod.sock";

    @ObjectClassDefinition(name = "jpod REST service", description = "The Docker and libpod APIs on a unix socket")
    public @interface Config {
        @AttributeDefinition(description = "Path of the unix socket; empty for $JPOD_SOCKET, else the framework "
                + "property jpod.socket, else " + DEFAULT_SOCKET)
        String socket_path() default "";

        @AttributeDefinition(description = "Permissions of the socket file, octal")
        String socket_mode() default "660";

        @AttributeDefinition(description = "Also listen on TCP at host:port (empty: no TCP). Anything but a "
                + "loopback address exposes root-equivalent control of this host.")
        String tcp_address() default "";
    }

    private final EngineAssembler assembler;
    private final EngineTracker engine;
    private volatile Images images;
    private volatile Registries registries;
    private volatile io.jpod.build.ImageBuilder builder;
    private Server server;
    private Path socket;

    @Activate
    public RestService(@Reference EngineAssembler assembler, BundleContext context, Config config) throws Exception {
        this.assembler = assembler;
        this.engine = new EngineTracker(context);
        String path = config.socket_path();
        if (path == null || path.isBlank()) {
            path = System.getenv("JPOD_SOCKET");
        }
        if (path == null || path.isBlank()) {
            path = context.getProperty("jpod.socket");
        }
        socket = Path.of(path == null || path.isBlank() ? DEFAULT_SOCKET : path);
        try {
            start(config);
        } catch (Exception e) {
            LOG.error("the API cannot listen on {}: {}", socket, e.getMessage());
            if (server != null) {
                server.stop();
            }
            engine.close();
            throw e;
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindImages(Images i) {
        images = i;
    }

    void unbindImages(Images i) {
        if (images == i) {
            images = null;
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindRegistries(Registries r) {
        registries = r;
    }

    void unbindRegistries(Registries r) {
        if (registries == r) {
            registries = null;
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindBuilder(io.jpod.build.ImageBuilder b) {
        builder = b;
    }

    void unbindBuilder(io.jpod.build.ImageBuilder b) {
        if (builder == b) {
            builder = null;
        }
    }

    private void start(Config config) throws Exception {
        QueuedThreadPool pool = new QueuedThreadPool(200, 4);
        pool.setName("jpod-api");
        // threads a burst of clients started go once idle for the idle timeout, not one a minute
        pool.setMaxEvictCount(pool.getMaxThreads());
        server = new Server(pool);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendDateHeader(true);
        // clients escape the slash of an image name (localhost%2Fbusybox) where it is one path segment
        http.setUriCompliance(org.eclipse.jetty.http.UriCompliance.DEFAULT.with("jpod",
                org.eclipse.jetty.http.UriCompliance.Violation.AMBIGUOUS_PATH_SEPARATOR,
                org.eclipse.jetty.http.UriCompliance.Violation.AMBIGUOUS_PATH_ENCODING));
        Services services = new Services(engine, () -> images, () -> registries, assembler).builders(() -> builder);
        ApiHandler api = new ApiHandler(services, pool);
        server.setHandler(api);
        server.setErrorHandler(new JsonErrorHandler(api.json()));

        Files.createDirectories(socket.toAbsolutePath().getParent());
        removeStaleSocket(socket);
        UnixDomainServerConnector unix = new UnixDomainServerConnector(server, new HttpConnectionFactory(http));
        unix.setUnixDomainPath(socket);
        unix.setIdleTimeout(300_000);
        server.addConnector(unix);

        String tcp = config.tcp_address();
        if (tcp != null && !tcp.isBlank()) {
            int colon = tcp.lastIndexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException("tcp.address " + tcp + " must be host:port, e.g. 127.0.0.1:2375");
            }
            String host = tcp.substring(0, colon);
            ServerConnector c = new ServerConnector(server, new HttpConnectionFactory(http));
            c.setHost(host);
            c.setPort(Integer.parseInt(tcp.substring(colon + 1)));
            c.setIdleTimeout(300_000);
            server.addConnector(c);
            if (!host.equals("127.0.0.1") && !host.equals("localhost") && !host.equals("::1")) {
                LOG.warn("the API listens on {} without authentication: anyone who reaches it controls this host as root",
                        tcp);
            }
        }
        server.start();
        Files.setPosixFilePermissions(socket, mode(config.socket_mode()));
        LOG.info("API listening on {}", socket);
    }

    @Deactivate
    void stop() throws Exception {
        if (server != null) {
            server.stop();
        }
        engine.close();
        Files.deleteIfExists(socket);
        LOG.info("API on {} stopped", socket);
    }

    /** A socket file nobody answers on is left from a service that died; one that answers is refused. */
    private static void removeStaleSocket(Path socket) throws IOException {
        if (!Files.exists(socket)) {
            return;
        }
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            throw new IOException("another service already listens on " + socket
                    + ": stop it, or set socket.path (PID io.jpod.rest) to another path");
        } catch (java.net.ConnectException | java.nio.file.NoSuchFileException e) {
            Files.deleteIfExists(socket);
        } catch (java.net.SocketException e) {
            Files.deleteIfExists(socket);
        }
    }

    static Set<PosixFilePermission> mode(String octal) {
        int m;
        try {
            m = Integer.parseInt(octal.trim(), 8);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("socket.mode " + octal + " is not an octal mode such as 660");
        }
        Set<PosixFilePermission> s = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] bits = {PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.GROUP_READ, PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE,
            PosixFilePermission.OWNER_READ};
        for (int i = 0; i < bits.length; i++) {
            if ((m & (1 << i)) != 0) {
                s.add(bits[i]);
            }
        }
        return s;
    }
}
