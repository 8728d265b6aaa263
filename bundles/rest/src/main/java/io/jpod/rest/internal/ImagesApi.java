package io.jpod.rest.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jpod.api.Container;
import io.jpod.api.ErrorCode;
import io.jpod.api.ImageInfo;
import io.jpod.api.Images;
import io.jpod.api.JpodException;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** Images, in the Docker and the libpod shapes; pulls in {@link ImagePullApi}, pushes in {@link ImagePushApi}. */
final class ImagesApi {
    private final Services services;
    private final Shapes shapes;
    private final ImageView view;
    private final ImagePullApi pulls;

    ImagesApi(Services services, ApiHandler handler, Shapes shapes) {
        this.services = services;
        this.shapes = shapes;
        this.view = new ImageView(shapes);
        this.pulls = new ImagePullApi(services, shapes);
    }

    void register(Router docker, Router libpod) {
        docker.add("GET", "/images/json", x -> {
            ArrayNode a = shapes.array();
            for (ImageInfo i : list(x)) {
                a.add(view.dockerImageSummary(i));
            }
            x.json(200, a);
        });
        libpod.add("GET", "/images/json", x -> {
            ArrayNode a = shapes.array();
            for (ImageInfo i : list(x)) {
                a.add(view.libpodImageSummary(i));
            }
            x.json(200, a);
        });
        docker.add("POST", "/images/create", this::dockerPull);
        libpod.add("POST", "/images/pull", this::libpodPull);
        docker.add("POST", "/images/load", this::dockerLoad);
        libpod.add("POST", "/images/load", this::libpodLoad);
        libpod.add("POST", "/images/import", this::libpodImport);
        docker.add("GET", "/images/get", x -> save(x, x.queryAll("names"), "docker-archive"));
        docker.add("POST", "/images/prune", x -> {
            ObjectNode o = shapes.object();
            o.set("ImagesDeleted", shapes.array());
            o.put("SpaceReclaimed", 0);
            x.json(200, o);
        });
        libpod.add("POST", "/images/prune", x -> x.json(200, shapes.array()));
        docker.add("GET", "/images/{name*}/json", x -> {
            ImageInfo i = inspect(x.param("name"));
            x.json(200, authored(view.dockerImageInspect(i, driver()), i));
        });
        libpod.add("GET", "/images/{name*}/json", x -> {
            ImageInfo i = inspect(x.param("name"));
            x.json(200, authored(view.libpodImageInspect(i, driver()), i));
        });
        libpod.add("GET", "/images/{name*}/exists", x -> {
            inspect(x.param("name"));
            x.empty(204);
        });
        for (Router r : List.of(docker, libpod)) {
            r.add("GET", "/images/{name*}/history", this::history);
            r.add("POST", "/images/{name*}/tag", this::tag);
            r.add("GET", "/images/{name*}/get", x -> save(x, List.of(x.param("name")),
                    x.libpod ? format(x.query("format")) : "docker-archive"));
        }
        libpod.add("POST", "/images/{name*}/untag", this::untag);
        docker.add("DELETE", "/images/{name*}", this::dockerRemove);
        // podman-remote's rmi: before /images/{name*}, which would take "remove" for a name
        libpod.add("DELETE", "/images/remove", this::libpodBatchRemove);
        libpod.add("DELETE", "/images/{name*}", this::libpodRemove);
    }

    private String driver() {
        return services.system().dbConfig().graphDriver();
    }

    private ImageInfo inspect(String name) {
        try {
            return services.images().inspect(name);
        } catch (JpodException e) {
            if (JpodException.is(e, ErrorCode.NO_SUCH_IMAGE)) {
                throw ApiException.notFound("No such image: " + name);
            }
            throw e;
        }
    }

    private List<ImageInfo> list(Exchange x) {
        JsonNode filters = Filters.parse(x.query("filters"), x.json);
        Predicate<ImageInfo> p = i -> true;
        for (Iterator<Map.Entry<String, JsonNode>> it = filters.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            Predicate<ImageInfo> any = i -> false;
            for (String v : Filters.values(e.getValue())) {
                any = any.or(switch (e.getKey()) {
                    case "reference" -> i -> i.names().stream().anyMatch(n -> n.equals(v) || n.endsWith("/" + v)
                            || ImageView.repo(n).equals(v) || ImageView.repo(n).endsWith("/" + v));
                    case "dangling" -> i -> i.names().isEmpty() == Boolean.parseBoolean(v);
                    case "label" -> {
                        int eq = v.indexOf('=');
                        yield eq < 0 ? i -> i.config().labels().containsKey(v)
                                : i -> v.substring(eq + 1).equals(i.config().labels().get(v.substring(0, eq)));
                    }
                    case "id" -> i -> i.id().startsWith(Shapes.bare(v));
                    default -> throw ApiException.badRequest("invalid filter " + e.getKey()
                            + ": jpod filters images by reference, dangling, label and id");
                });
            }
            p = p.and(any);
        }
        return services.images().list().stream().filter(p).toList();
    }

    /** Author and Comment of the image's newest history entry, as a commit writes them (empty when unknown). */
    private ObjectNode authored(ObjectNode o, ImageInfo i) {
        try {
            List<io.jpod.api.ImageHistory> h = services.images().history(i.id());
            if (!h.isEmpty()) {
                o.put("Author", h.get(0).entry().author() == null ? "" : h.get(0).entry().author());
                o.put("Comment", h.get(0).entry().comment() == null ? "" : h.get(0).entry().comment());
            }
        } catch (io.jpod.api.JpodException e) {
            // an image service that keeps no history: the inspect answers without them
        }
        return o;
    }

    private void history(Exchange x) throws IOException {
        ImageInfo i = inspect(x.param("name"));
        ArrayNode a = shapes.array();
        for (io.jpod.api.ImageHistory h : services.images().history(i.id())) {
            ObjectNode o = a.addObject();
            o.put("Id", h.id().equals(i.id()) && !x.libpod ? Shapes.imageId(h.id()) : h.id());
            o.put("Created", h.entry().created() == null ? 0 : Shapes.epoch(h.entry().created()));
            o.put("CreatedBy", h.entry().createdBy() == null ? "" : h.entry().createdBy());
            o.set("Tags", h.tags().isEmpty() ? null : shapes.strings(h.tags()));
            o.put("Size", h.size());
            o.put("Comment", h.entry().comment() == null ? "" : h.entry().comment());
        }
        x.json(200, a);
    }

    private void tag(Exchange x) throws IOException {
        String repo = x.query("repo");
        if (repo == null || repo.isEmpty()) {
            throw ApiException.badRequest("repo is required: give repo=NAME and optionally tag=TAG");
        }
        String tag = x.query("tag");
        inspect(x.param("name"));
        services.images().tag(x.param("name"), repo + ":" + (tag == null || tag.isEmpty() ? "latest" : tag));
        x.empty(201);
    }

    private void untag(Exchange x) throws IOException {
        ImageInfo i = inspect(x.param("name"));
        String repo = x.query("repo");
        if (repo == null || repo.isEmpty()) {
            for (String n : i.names()) {
                services.images().untag(i.id(), n);
            }
        } else {
            String tag = x.query("tag");
            services.images().untag(i.id(), repo + ":" + (tag == null || tag.isEmpty() ? "latest" : tag));
        }
        x.empty(201);
    }

    /** Docker semantics: a name of an image with other names is only untagged. */
    private List<Map.Entry<String, String>> remove(String name, boolean force) {
        ImageInfo i = inspect(name);
        List<Map.Entry<String, String>> report = new ArrayList<>();
        String full = i.names().stream().filter(n -> n.equals(name) || n.endsWith("/" + name)
                || n.equals(name + ":latest") || n.endsWith("/" + name + ":latest")).findFirst().orElse(null);
        if (full != null && i.names().size() > 1) {
            services.images().untag(i.id(), full);
            report.add(Map.entry("Untagged", full));
            return report;
        }
        if (!force) {
            List<Container> users = services.containers().containers(c -> i.id().equals(Shapes.bare(c.config().imageId())));
            if (!users.isEmpty()) {
                throw new ApiException(409, "conflict: unable to delete " + name + " (must be forced) - image is being "
                        + "used by container " + users.get(0).id().substring(0, 12));
            }
        }
        services.images().remove(i.id(), force);
        i.names().forEach(n -> report.add(Map.entry("Untagged", n)));
        report.add(Map.entry("Deleted", Shapes.imageId(i.id())));
        return report;
    }

    private void dockerRemove(Exchange x) throws IOException {
        ArrayNode a = shapes.array();
        for (Map.Entry<String, String> e : remove(x.param("name"), x.bool("force", false))) {
            a.addObject().put(e.getKey(), e.getValue());
        }
        x.json(200, a);
    }

    private void libpodRemove(Exchange x) throws IOException {
        ObjectNode o = shapes.object();
        ArrayNode deleted = o.putArray("Deleted");
        ArrayNode untagged = o.putArray("Untagged");
        for (Map.Entry<String, String> e : remove(x.param("name"), x.bool("force", false))) {
            (e.getKey().equals("Deleted") ? deleted : untagged).add(Shapes.bare(e.getValue()));
        }
        o.putArray("Errors");
        o.put("ExitCode", 0);
        x.json(200, o);
    }

    /**
     * libpod's batch remove, as podman-remote's rmi calls it: every image named (or all), each one's outcome in
     * the report; ExitCode 1 when one was not found (unless ignored), 2 when one is in use, as podman's.
     */
    private void libpodBatchRemove(Exchange x) throws IOException {
        boolean force = x.bool("force", false);
        boolean ignore = x.bool("ignore", false);
        boolean all = x.bool("all", false);
        List<String> names = all ? services.images().list().stream().map(ImageInfo::id).toList() : x.queryAll("images");
        if (names.isEmpty() && !all) {
            throw ApiException.badRequest("images is required: name at least one image to remove, or pass all=true");
        }
        ObjectNode o = shapes.object();
        ArrayNode deleted = o.putArray("Deleted");
        ArrayNode untagged = o.putArray("Untagged");
        ArrayNode errors = o.putArray("Errors");
        int exit = 0;
        for (String name : names) {
            try {
                for (Map.Entry<String, String> e : remove(name, force)) {
                    (e.getKey().equals("Deleted") ? deleted : untagged).add(Shapes.bare(e.getValue()));
                }
            } catch (ApiException | JpodException e) {
                int status = e instanceof ApiException a ? a.status : ApiException.statusOf((JpodException) e);
                if (status == 404 && ignore) {
                    continue;
                }
                errors.add(e.getMessage());
                exit = status == 404 ? Math.max(exit, 1) : 2;
            }
        }
        o.put("ExitCode", exit);
        x.json(200, o);
    }

    private static String format(String f) {
        if (f == null || f.isEmpty() || f.equals("docker-archive")) {
            return "docker-archive";
        }
        if (f.equals("oci-archive")) {
            return f;
        }
        throw ApiException.badRequest("format " + f + " is not supported: use docker-archive or oci-archive");
    }

    private void save(Exchange x, List<String> names, String format) throws IOException {
        if (names.isEmpty()) {
            throw ApiException.badRequest("name at least one image to save");
        }
        for (String n : names) {
            inspect(n);
        }
        Images images = services.images();
        try (OutputStream out = x.startStream(200, "application/x-tar")) {
            images.save(names, format, out);
        }
    }

    private void dockerLoad(Exchange x) throws IOException {
        List<ImageInfo> loaded = services.images().load(x.bodyStream());
        StringBuilder lines = new StringBuilder();
        for (ImageInfo i : loaded) {
            List<String> names = i.names().isEmpty() ? List.of(Shapes.imageId(i.id())) : i.names();
            for (String n : names) {
                ObjectNode o = shapes.object();
                o.put("stream", (i.names().isEmpty() ? "Loaded image ID: " : "Loaded image: ") + n + "\n");
                lines.append(x.json.writeValueAsString(o)).append('\n');
            }
        }
        x.text(200, "application/json", lines.toString());
    }

    private void libpodLoad(Exchange x) throws IOException {
        List<ImageInfo> loaded = services.images().load(x.bodyStream());
        List<String> names = new ArrayList<>();
        for (ImageInfo i : loaded) {
            names.addAll(i.names().isEmpty() ? List.of(Shapes.imageId(i.id())) : i.names());
        }
        ObjectNode o = shapes.object();
        o.set("Names", shapes.strings(names));
        x.json(200, o);
    }

    private void libpodImport(Exchange x) throws IOException {
        String ref = x.query("reference");
        ImageInfo i = services.images().importRootfs(TarUploads.requireTar(x.bodyStream(), "the image to import"),
                ref == null || ref.isEmpty() ? null : ref, x.queryAll("changes"));
        ObjectNode o = shapes.object();
        o.put("Id", Shapes.imageId(i.id()));
        x.json(200, o);
    }

    /** docker import: a root filesystem tarball in the body becomes an image, as libpod's import. */
    private void dockerImport(Exchange x, String src) throws IOException {
        if (!src.equals("-")) {
            throw ApiException.badRequest("importing from " + src + " is not supported: download it and send it"
                    + " in the request (docker import - or docker import FILE)");
        }
        String repo = x.query("repo");
        String tag = x.query("tag");
        String ref = repo == null || repo.isEmpty() ? null
                : tag == null || tag.isEmpty() || repo.contains("@") ? repo : repo + ":" + tag;
        ImageInfo i = services.images().importRootfs(x.bodyStream(), ref, x.queryAll("changes"));
        try (OutputStream out = x.startStream(200, "application/json")) {
            ObjectNode o = shapes.object();
            o.put("status", Shapes.imageId(i.id()));
            Streams.jsonLine(x, out, o);
        }
    }

    /** docker pull (through {@link ImagePullApi}), or docker import with {@code fromSrc}. */
    private void dockerPull(Exchange x) throws IOException {
        String src = x.query("fromSrc");
        if (src != null && !src.isEmpty()) {
            dockerImport(x, src);
            return;
        }
        String from = x.query("fromImage");
        if (from == null || from.isEmpty()) {
            throw ApiException.badRequest("fromImage or fromSrc is required: name the image to pull, or send a"
                    + " root filesystem tarball with fromSrc=-");
        }
        pulls.docker(x, from, x.query("tag"));
    }

    private void libpodPull(Exchange x) throws IOException {
        pulls.libpod(x);
    }
}
