package io.jpod.rest.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.jpod.api.Container;
import io.jpod.api.ContainerFiles;
import io.jpod.api.ContainerFiles.PathStat;
import io.jpod.api.ContainerFiles.WriteOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code docker cp} and {@code podman cp}: {@code HEAD}, {@code GET} and {@code PUT /containers/{id}/archive}, the
 * stat of a path in the header {@code X-Docker-Container-Path-Stat} (base64 of its JSON, the mode as Go's
 * {@code os.FileMode}), a path read as a tar, a tar extracted into a directory.
 */
final class ArchiveApi {
    static final String STAT_HEADER = "X-Docker-Container-Path-Stat";
    static final String TAR = "application/x-tar";

    private final Services services;
    private final ObjectMapper json = new ObjectMapper();

    ArchiveApi(Services services) {
        this.services = services;
    }

    void register(Router docker, Router libpod) {
        for (Router r : List.of(docker, libpod)) {
            r.add("HEAD", "/containers/{id}/archive", this::stat);
            r.add("GET", "/containers/{id}/archive", this::read);
            r.add("PUT", "/containers/{id}/archive", this::write);
        }
    }

    private ContainerFiles files() {
        return services.engine().files();
    }

    /** The path asked for; podman's server takes a relative one from the container's working directory. */
    private String path(Exchange x) {
        String p = x.query("path");
        if (p == null || p.isEmpty()) {
            throw ApiException.badRequest("Path cannot be empty: give the path in the container as path=");
        }
        if (x.libpod && !p.startsWith("/")) {
            String wd = services.containers().container(x.param("id")).config().workingDir();
            p = (wd == null || wd.isEmpty() ? "/" : wd.endsWith("/") ? wd : wd + "/") + p;
        }
        return p;
    }

    private void stat(Exchange x) throws IOException {
        PathStat st = files().stat(x.param("id"), path(x));
        x.response.getHeaders().put(STAT_HEADER, header(st, x.libpod));
        x.empty(200);
    }

    private void read(Exchange x) throws IOException {
        x.noIdleTimeout();
        OutputStream[] out = new OutputStream[1];
        try {
            files().read(x.param("id"), path(x), st -> {
                try {
                    x.response.getHeaders().put(STAT_HEADER, header(st, x.libpod));
                    out[0] = x.startStream(200, TAR);
                    return out[0];
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        out[0].close();
    }

    private void write(Exchange x) throws IOException {
        String id = x.param("id");
        String path = path(x);
        for (String unsupported : List.of("rename")) {
            String v = x.query(unsupported);
            if (v != null && !v.isEmpty() && !v.equals("{}") && !v.equals("null")) {
                throw ApiException.badRequest(unsupported + " is not supported by jpod's archive endpoint: rename "
                        + "the entries in the archive instead");
            }
        }
        boolean chown;
        if (x.libpod) {
            // podman's server chowns to the container's user unless told otherwise
            chown = x.bool("copyUIDGID", x.bool("chown", true));
        } else {
            // docker's copyUIDGID chowns only for a container with a user; without one the archive's owners stay
            Container c = services.containers().container(id);
            String user = c.config().user();
            chown = x.bool("copyUIDGID", false) && user != null && !user.isEmpty();
        }
        x.noIdleTimeout();
        InputStream body = x.bodyStream();
        files().write(id, path, body, new WriteOptions(x.bool("noOverwriteDirNonDir",
                x.bool("nooverwritedirnondir", false)), chown));
        x.empty(200);
    }

    /** The header docker's CLI and podman's read: base64 of {"name","size","mode","mtime","linkTarget"}. */
    String header(PathStat st, boolean libpod) {
        Map<String, Object> m = new LinkedHashMap<>();
        // podman's stat names the path where a link at its end leads, and tells whether that is a directory
        m.put("name", libpod ? base(st.path()) : st.name());
        m.put("size", st.size());
        m.put("mode", goFileMode(st.mode()));
        m.put("mtime", st.mtime().toString());
        if (libpod) {
            m.put("isDir", st.directory());
        }
        m.put("linkTarget", libpod ? st.path() : st.linkTarget());
        try {
            byte[] b = json.writeValueAsBytes(m);
            // docker's CLI decodes the standard alphabet, podman's the URL-safe one
            return (libpod ? Base64.getUrlEncoder() : Base64.getEncoder()).encodeToString(b);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Go's filepath.Base: the last name, trailing slashes dropped; {@code /} for the root. */
    static String base(String path) {
        String p = path;
        while (p.length() > 1 && p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        int i = p.lastIndexOf('/');
        return i < 0 || p.length() == 1 ? p : p.substring(i + 1);
    }

    /** {@code st_mode} as Go's {@code os.FileMode}: the permission bits, and the type and set-ID bits up high. */
    static long goFileMode(int mode) {
        long m = mode & 0777;
        switch (mode & 0170000) {
            case 0040000 -> m |= 1L << 31;                 // ModeDir
            case 0120000 -> m |= 1L << 27;                 // ModeSymlink
            case 0060000 -> m |= 1L << 26;                 // ModeDevice
            case 0020000 -> m |= (1L << 26) | (1L << 21);  // ModeDevice | ModeCharDevice
            case 0010000 -> m |= 1L << 25;                 // ModeNamedPipe
            case 0140000 -> m |= 1L << 24;                 // ModeSocket
            default -> {
            }
        }
        if ((mode & 04000) != 0) {
            m |= 1L << 23;                                  // ModeSetuid
        }
        if ((mode & 02000) != 0) {
            m |= 1L << 22;                                  // ModeSetgid
        }
        if ((mode & 01000) != 0) {
            m |= 1L << 20;                                  // ModeSticky
        }
        return m;
    }
}
