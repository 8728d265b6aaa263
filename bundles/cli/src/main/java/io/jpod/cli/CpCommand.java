package io.jpod.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.jpod.util.internal.RootPaths;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.InputStreamRequestContent;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.io.ByteBufferPool;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code jpod cp}: podman's copy between a container and the host, {@code CONTAINER:PATH} on one side, a host path
 * or {@code -} (a tar on stdin or stdout) on the other, with podman's rules for names: a file copied to a path that
 * is not there takes that name, a directory goes below a directory that is there, {@code dir/.} copies the contents.
 */
@Command(name = "cp", description = "Copy files/folders between a container and the local filesystem")
final class CpCommand extends Base {
    @Option(names = {"-a", "--archive"}, arity = "0..1", defaultValue = "true", fallbackValue = "true",
            description = "Chown copied files to the primary uid/gid of the destination container (default true)")
    boolean archive;
    @Option(names = "--overwrite", description = "Allow to overwrite directories with non-directories and vice versa")
    boolean overwrite;
    @Parameters(index = "0", paramLabel = "SRC_PATH")
    String src;
    @Parameters(index = "1", paramLabel = "DEST_PATH")
    String dest;

    /** A side of the copy: a container's path, or a host path when {@code container} is null. */
    record Side(String container, String path) {
        static Side parse(String arg) {
            // as podman's copy.ParseSourceAndDestination: a path that starts with / or . is the host's
            int colon = arg.indexOf(':');
            if (arg.startsWith("/") || arg.startsWith(".") || colon <= 0) {
                return new Side(null, arg);
            }
            return new Side(arg.substring(0, colon), arg.substring(colon + 1));
        }
    }

    /** The stat the service gives in X-Docker-Container-Path-Stat (libpod's: the path resolved, isDir). */
    record Stat(String name, boolean dir, String target) {
    }

    @Override
    int run() throws Exception {
        Side s = Side.parse(src);
        Side d = Side.parse(dest);
        if (s.container() != null && d.container() != null) {
            throw new IllegalArgumentException("copying between containers is not supported by jpod cp: copy to "
                    + "the host first, then into the other container");
        }
        if (s.container() == null && d.container() == null) {
            throw new IllegalArgumentException("name or ID cannot be empty");
        }
        if (s.container() != null) {
            fromContainer(s.container(), s.path(), d.path());
        } else {
            toContainer(s.path(), d.container(), d.path());
        }
        return 0;
    }

    private void fromContainer(String ctr, String path, String hostPath) throws IOException {
        requireContainer(ctr);
        Stat st = stat(ctr, path);
        if (st == null) {
            throw new IllegalArgumentException("\"" + path + "\" could not be found on container " + ctr
                    + ": no such file or directory");
        }
        if (hostPath.equals("-")) {
            try (InputStream in = get(ctr, st.target()); OutputStream o = new FileOutputStream(FileDescriptor.out)) {
                in.transferTo(o);
            }
            return;
        }
        Path host = Path.of(hostPath);
        boolean exists = Files.exists(host);
        boolean hostDir = Files.isDirectory(host);
        if (st.dir() && exists && !hostDir) {
            throw new IllegalArgumentException("destination must be a directory when copying a directory");
        }
        Path into;
        String from = null;
        String to = null;
        if (exists && hostDir) {
            into = host;
        } else if (st.name().equals(".")) {
            // a directory's contents to a new directory
            Path parent = host.toAbsolutePath().getParent();
            if (parent == null || !Files.isDirectory(parent)) {
                throw new IllegalArgumentException("\"" + hostPath + "\" could not be found on the host: no such "
                        + "file or directory");
            }
            into = Files.createDirectory(host);
        } else {
            into = host.toAbsolutePath().getParent();
            if (into == null || !Files.isDirectory(into)) {
                throw new IllegalArgumentException("\"" + hostPath + "\" could not be found on the host: no such "
                        + "file or directory");
            }
            from = st.name();
            to = host.getFileName().toString();
        }
        try (InputStream in = get(ctr, st.target())) {
            HostArchive.extract(in, into, from, to, !overwrite);
        } catch (RootPaths.OutsideRootException e) {
            throw new IllegalArgumentException("an archive entry leads outside " + into + ": refused");
        }
    }

    private void toContainer(String hostPath, String ctr, String path) throws Exception {
        requireContainer(ctr);
        Stat st = stat(ctr, path);
        if (hostPath.equals("-")) {
            if (st == null) {
                throw new IllegalArgumentException("\"" + path + "\" could not be found on container " + ctr
                        + ": no such file or directory");
            }
            if (!st.dir()) {
                throw new IllegalArgumentException("destination must be a directory when copying from stdin");
            }
            put(ctr, st.target(), new FileInputStream(FileDescriptor.in));
            return;
        }
        Path host = Path.of(hostPath);
        if (!Files.exists(host)) {
            throw new IllegalArgumentException("\"" + hostPath + "\" could not be found on the host: no such file "
                    + "or directory");
        }
        boolean hostDir = Files.isDirectory(host);
        String base = hostPath.endsWith("/.") || hostPath.equals(".") ? "."
                : host.toAbsolutePath().normalize().getFileName() == null ? "."
                : host.toAbsolutePath().normalize().getFileName().toString();
        String target;
        String name;
        if (st != null && st.dir()) {
            target = st.target();
            name = base;
        } else {
            if (hostDir && st != null) {
                throw new IllegalArgumentException("destination must be a directory when copying a directory");
            }
            String parent = parentOf(path);
            Stat p = st != null ? null : stat(ctr, parent);
            if (st == null && (p == null || !p.dir())) {
                throw new IllegalArgumentException("\"" + path + "\" could not be found on container " + ctr
                        + ": no such file or directory");
            }
            target = st != null ? parentOf(st.target()) : p.target();
            name = baseOf(st != null ? st.target() : path);
        }
        PipedInputStream pipe = new PipedInputStream(1 << 16);
        PipedOutputStream feed = new PipedOutputStream(pipe);
        AtomicReference<IOException> failed = new AtomicReference<>();
        Thread writer = new Thread(() -> {
            try (feed) {
                HostArchive.write(host, name, feed);
            } catch (IOException e) {
                failed.set(e);
            }
        }, "jpod-cp-tar");
        writer.setDaemon(true);
        writer.start();
        try {
            put(ctr, target, pipe);
        } finally {
            writer.join(10_000);
        }
        if (failed.get() != null) {
            throw new IllegalArgumentException("reading " + hostPath + ": " + failed.get().getMessage());
        }
    }

    private void requireContainer(String ctr) {
        try {
            api().get("containers/" + Api.seg(ctr) + "/exists", null);
        } catch (ApiException e) {
            if (e.status == 404) {
                throw new IllegalArgumentException("container \"" + ctr + "\" does not exist");
            }
            throw e;
        }
    }

    /** The container path's stat, or null when it is not there. */
    private Stat stat(String ctr, String path) {
        Request req = api().request(HttpMethod.HEAD, "containers/" + Api.seg(ctr) + "/archive", Api.query("path", path));
        ContentResponse r;
        try {
            r = api().send(req);
        } catch (ApiException e) {
            if (e.status == 404) {
                return null;
            }
            throw e;
        }
        String h = r.getHeaders().get("X-Docker-Container-Path-Stat");
        if (h == null) {
            throw new ApiException(r.getStatus(), "the service gave no stat of " + path);
        }
        try {
            JsonNode n = Api.JSON.readTree(Base64.getUrlDecoder().decode(h));
            return new Stat(n.path("name").asText(), n.path("isDir").asBoolean(), n.path("linkTarget").asText(path));
        } catch (IOException | IllegalArgumentException e) {
            throw new ApiException(r.getStatus(), "the service's stat of " + path + " is unreadable: " + e.getMessage());
        }
    }

    private InputStream get(String ctr, String path) {
        return api().stream(HttpMethod.GET, "containers/" + Api.seg(ctr) + "/archive", Api.query("path", path));
    }

    private void put(String ctr, String dir, InputStream tar) {
        Request req = api().request(HttpMethod.PUT, "containers/" + Api.seg(ctr) + "/archive", Api.query("path", dir,
                "copyUIDGID", archive, "noOverwriteDirNonDir", !overwrite));
        req.body(new InputStreamRequestContent("application/x-tar", tar,
                new ByteBufferPool.Sized(ByteBufferPool.NON_POOLING, false, 64 * 1024)));
        req.timeout(0, java.util.concurrent.TimeUnit.SECONDS);
        api().send(req);
    }

    static String parentOf(String path) {
        String p = path;
        while (p.length() > 1 && p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        int i = p.lastIndexOf('/');
        return i < 0 ? "." : i == 0 ? "/" : p.substring(0, i);
    }

    static String baseOf(String path) {
        String p = path;
        while (p.length() > 1 && p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        int i = p.lastIndexOf('/');
        return i < 0 ? p : p.substring(i + 1);
    }
}
