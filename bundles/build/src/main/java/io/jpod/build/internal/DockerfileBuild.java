package io.jpod.build.internal;

import io.jpod.api.CommitRequest;
import io.jpod.api.ContainerChanges;
import io.jpod.api.Containers;
import io.jpod.api.ErrorCode;
import io.jpod.api.HistoryEntry;
import io.jpod.api.ImageInfo;
import io.jpod.api.Images;
import io.jpod.api.JpodException;
import io.jpod.api.PullOptions;
import io.jpod.api.PullPolicy;
import io.jpod.build.BuildProgress;
import io.jpod.build.BuildProgress.Event;
import io.jpod.build.BuildProgress.Kind;
import io.jpod.build.BuildRequest;
import io.jpod.build.BuildResult;
import io.jpod.util.internal.FileTrees;
import io.jpod.util.internal.RootPaths;
import io.jpod.util.internal.RootPaths.Escape;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One build: the context unpacked, the Dockerfile parsed, each stage up to the target run step by step (each
 * step an image of its own, from the cache where it can), the final image tagged. Everything it made in its
 * private directory, and every container, is gone when it returns.
 */
final class DockerfileBuild {
    private static final Logger LOG = LoggerFactory.getLogger(DockerfileBuild.class);

    private static final int MAX_DOCKERFILE = 4 << 20;
    static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    private final Containers containers;
    private final ContainerChanges changes;
    private final Images images;
    private final BuildCache cache;
    private final BuildRequest req;
    private final BuildProgress progress;
    private final Path work;
    private final Path context;
    private final StepContainers runs;
    private final ImageFiles files;
    private final List<StageState> stages = new ArrayList<>();
    private final Map<String, String> globalArgs = new LinkedHashMap<>();
    private final Set<String> usedArgs = new HashSet<>();
    private final Map<String, String> pulled = new LinkedHashMap<>();
    private char escape = '\\';
    private int step;
    private int steps;

    DockerfileBuild(Containers containers, ContainerChanges changes, Images images, BuildCache cache,
            ImageListings listings, BuildRequest req, BuildProgress progress, Path work) {
        this.containers = containers;
        this.changes = changes;
        this.images = images;
        this.cache = cache;
        this.req = req;
        this.progress = progress;
        this.work = work;
        this.context = work.resolve("context");
        this.runs = new StepContainers(containers);
        this.files = new ImageFiles(containers, changes, work, listings);
    }

    BuildResult run(InputStream contextTar) throws IOException, InterruptedException {
        Files.createDirectories(context);
        java.io.BufferedInputStream body = new java.io.BufferedInputStream(contextTar, 1 << 16);
        String text;
        if (ContextArchive.looksLikeArchive(body)) {
            // the archive reader closes what it reads: the request's body stays open to be read to its end
            ContextArchive.extract(new java.io.FilterInputStream(body) {
                @Override
                public void close() {
                }
            }, context);
            text = readDockerfile();
        } else {
            // a Dockerfile alone, without a context (docker build - < Dockerfile), as dockerd takes it
            byte[] b = body.readNBytes(MAX_DOCKERFILE + 1);
            if (b.length > MAX_DOCKERFILE) {
                throw new JpodException(ErrorCode.INVALID_ARG, "the build context is no tar archive, and too large "
                        + "for a Dockerfile sent alone: send the context as a tar");
            }
            text = new String(b, StandardCharsets.UTF_8);
        }
        // the whole request read: what follows the archive's end is padding, and the client's end now means it left
        body.transferTo(java.io.OutputStream.nullOutputStream());
        Dockerfile df = DockerfileParser.parse(text);
        escape = df.escape();
        ContextArchive.applyIgnore(context, ignorePatterns());
        List<List<Instruction>> plan = plan(df);
        String last = null;
        for (List<Instruction> stage : plan) {
            last = runStage(stage);
        }
        List<String> unused = req.buildArgs().keySet().stream().filter(a -> !usedArgs.contains(a)).sorted().toList();
        if (!unused.isEmpty()) {
            progress.event(new Event(Kind.NOTE, step, steps, "[Warning] One or more build-args " + unused
                    + " were not consumed", null));
        }
        if (last == null) {
            throw new JpodException(ErrorCode.INVALID_ARG, "the build made no image: a stage FROM scratch needs at "
                    + "least one step");
        }
        List<String> tagged = new ArrayList<>();
        for (String t : req.tags()) {
            images.tag(last, t);
            tagged.add(t);
            progress.event(new Event(Kind.TAGGED, step, steps, t, last));
        }
        return new BuildResult(last, tagged);
    }

    private String readDockerfile() throws IOException {
        String name = req.dockerfile();
        List<String> candidates = name == null || name.isEmpty() ? List.of("Dockerfile", "Containerfile", "dockerfile")
                : List.of(name);
        for (String c : candidates) {
            Path p;
            try {
                p = RootPaths.resolve(context, c.replaceAll("^/+", ""), Escape.REFUSE, RootPaths.MAX_LINKS);
            } catch (RootPaths.OutsideRootException e) {
                throw new JpodException(ErrorCode.INVALID_ARG, "the Dockerfile (" + c + ") must be within the build "
                        + "context");
            }
            if (p != null && Files.isRegularFile(p)) {
                return Files.readString(p, StandardCharsets.UTF_8);
            }
        }
        throw new JpodException(ErrorCode.INVALID_ARG, "Cannot locate specified Dockerfile: " + (name == null
                || name.isEmpty() ? "Dockerfile" : name));
    }

    private IgnorePatterns ignorePatterns() throws IOException {
        for (String n : List.of(".containerignore", ".dockerignore")) {
            Path p = context.resolve(n);
            if (Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                return IgnorePatterns.parse(Files.readString(p, StandardCharsets.UTF_8));
            }
        }
        return IgnorePatterns.none();
    }

    /** The stages up to the target, each from its FROM; the global ARGs read; the steps counted. */
    private List<List<Instruction>> plan(Dockerfile df) {
        List<List<Instruction>> out = new ArrayList<>();
        List<Instruction> cur = null;
        for (Instruction i : df.instructions()) {
            if (i.keyword().equals("FROM")) {
                cur = new ArrayList<>();
                out.add(cur);
            } else if (cur == null) {
                if (!i.keyword().equals("ARG")) {
                    throw DockerfileException.at(i.line(), "no build stage in current context: the first instruction"
                            + " must be FROM (or ARG before it), not " + i.keyword());
                }
                declareGlobal(i);
                continue;
            }
            cur.add(i);
        }
        if (req.target() != null && !req.target().isEmpty()) {
            int found = -1;
            for (int s = 0; s < out.size(); s++) {
                if (req.target().equalsIgnoreCase(stageName(out.get(s).get(0)))) {
                    found = s;
                }
            }
            if (found < 0) {
                throw new JpodException(ErrorCode.INVALID_ARG, "failed to reach build target " + req.target()
                        + " in Dockerfile: no stage is named so (FROM ... AS " + req.target() + ")");
            }
            out = new ArrayList<>(out.subList(0, found + 1));
        }
        if (!req.labels().isEmpty()) {
            StringBuilder sb = new StringBuilder("LABEL");
            new java.util.TreeMap<>(req.labels()).forEach((k, v) -> sb.append(' ').append(quote(k)).append('=')
                    .append(quote(v)));
            List<Instruction> lastStage = out.get(out.size() - 1);
            lastStage.add(new Instruction("LABEL", Map.of(), List.of(sb.substring(6)), false, sb.toString(), 0,
                    null));
        }
        steps = out.stream().mapToInt(List::size).sum();
        return out;
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("$", "\\$") + "\"";
    }

    private String stageName(Instruction from) {
        List<String> w = Words.rawWords(from.text(), escape);
        return w.size() == 3 && w.get(1).equalsIgnoreCase("AS") ? w.get(2) : null;
    }

    private void declareGlobal(Instruction i) {
        for (String w : Words.rawWords(i.text(), escape)) {
            String word = Words.word(w, escape, globalArgs::get);
            int eq = word.indexOf('=');
            String name = eq < 0 ? word : word.substring(0, eq);
            String value = req.buildArgs().containsKey(name) ? req.buildArgs().get(name)
                    : eq < 0 ? null : word.substring(eq + 1);
            if (req.buildArgs().containsKey(name)) {
                usedArgs.add(name);
            }
            globalArgs.put(name, value);
        }
    }

    private String runStage(List<Instruction> stage) throws IOException, InterruptedException {
        Instruction from = stage.get(0);
        StageState s = from(from);
        stages.add(s);
        runTriggers(s);
        for (int n = 1; n < stage.size(); n++) {
            Instruction i = stage.get(n);
            announce(i);
            stepOf(s, i);
            progress.event(new Event(Kind.STEP_DONE, step, steps, null, s.imageId));
        }
        return s.imageId;
    }

    private void stepOf(StageState s, Instruction i) throws IOException, InterruptedException {
        try {
            step(s, i);
        } catch (JpodException e) {
            throw e;
        } catch (IOException e) {
            throw new JpodException(ErrorCode.INVALID_ARG, i.keyword() + " failed: " + e.getMessage(), e);
        }
    }

    /** The base's ONBUILD triggers, run right after FROM as Docker's builder runs them; the image keeps none of them. */
    private void runTriggers(StageState s) throws IOException, InterruptedException {
        if (s.imageId == null) {
            return;
        }
        List<String> triggers = images.inspect(s.imageId).config().onBuild();
        if (triggers.isEmpty()) {
            return;
        }
        progress.event(new Event(Kind.NOTE, step, steps, "# Executing " + triggers.size() + " build trigger"
                + (triggers.size() == 1 ? "" : "s"), null));
        for (String t : triggers) {
            // an image's config is input too: a trigger is parsed and checked as a Dockerfile line
            List<Instruction> parsed;
            try {
                parsed = DockerfileParser.parse(t).instructions();
            } catch (JpodException e) {
                throw new JpodException(ErrorCode.INVALID_ARG, "the base image's ONBUILD trigger \"" + t
                        + "\" is not a Dockerfile instruction: " + e.getMessage(), e);
            }
            for (Instruction i : parsed) {
                if (Set.of("FROM", "ONBUILD", "MAINTAINER").contains(i.keyword())) {
                    throw new JpodException(ErrorCode.INVALID_ARG, "the base image's ONBUILD trigger \"" + t
                            + "\" is not allowed: " + i.keyword() + " isn't allowed as an ONBUILD trigger");
                }
                stepOf(s, i);
            }
        }
    }

    private void announce(Instruction i) {
        step++;
        progress.event(new Event(Kind.STEP, step, steps, i.original(), null));
    }

    private StageState from(Instruction i) {
        announce(i);
        List<String> w = Words.words(i.text(), escape, globalArgs::get);
        String name = null;
        if (w.size() == 3 && w.get(1).equalsIgnoreCase("AS")) {
            name = w.get(2).toLowerCase(Locale.ROOT);
            if (!name.matches("[a-z][a-z0-9._-]*")) {
                throw DockerfileException.at(i.line(), "invalid name for build stage: \"" + w.get(2)
                        + "\", name can't start with a number or contain symbols");
            }
        } else if (w.size() != 1) {
            throw DockerfileException.at(i.line(), "FROM requires either one or three arguments: FROM image "
                    + "[AS name]");
        }
        platformCheck(i);
        StageState s = new StageState(name, stages.size());
        String ref = w.get(0);
        StageState earlier = stageNamed(ref);
        if (earlier != null) {
            s.imageId = earlier.imageId;
            copyState(earlier, s);
        } else if (!ref.equalsIgnoreCase("scratch")) {
            ImageInfo info = baseImage(ref, i.line());
            s.imageId = info.id();
            s.inherit(info.config());
        }
        // as Docker's builder: a base image without PATH gets the default one, for the steps and the image
        s.env.putIfAbsent("PATH", DEFAULT_PATH);
        progress.event(new Event(Kind.STEP_DONE, step, steps, null, s.imageId));
        return s;
    }

    private static void copyState(StageState from, StageState to) {
        to.env.putAll(from.env);
        to.cmd = from.cmd;
        to.entrypoint = from.entrypoint;
        to.workingDir = from.workingDir;
        to.user = from.user;
        to.exposedPorts.addAll(from.exposedPorts);
        to.volumes.addAll(from.volumes);
        to.labels.putAll(from.labels);
        to.stopSignal = from.stopSignal;
        to.shell = from.shell;
    }

    private void platformCheck(Instruction i) {
        String p = i.flags().get("platform");
        if (p == null) {
            return;
        }
        p = Words.word(p, escape, globalArgs::get);
        String arch = System.getProperty("os.arch");
        String host = "amd64".equals(arch) || "x86_64".equals(arch) ? "amd64" : "aarch64".equals(arch) ? "arm64"
                : arch;
        if (!p.isEmpty() && !p.equals("linux") && !p.equals("linux/" + host) && !p.startsWith("linux/" + host + "/")
                && !p.equals("$BUILDPLATFORM") && !p.equals("$TARGETPLATFORM")) {
            throw DockerfileException.at(i.line(), "FROM --platform=" + p + " is not supported: jpod builds for "
                    + "this host's platform (linux/" + host + ") only");
        }
    }

    private StageState stageNamed(String ref) {
        for (StageState s : stages) {
            if (s.name != null && s.name.equalsIgnoreCase(ref)) {
                return s;
            }
        }
        return null;
    }

    private ImageInfo baseImage(String ref, int line) {
        if (!req.pull()) {
            try {
                return images.inspect(ref);
            } catch (JpodException e) {
                if (!JpodException.is(e, ErrorCode.NO_SUCH_IMAGE)) {
                    throw e;
                }
            }
        }
        if (pulled.containsKey(ref)) {
            return images.inspect(pulled.get(ref));
        }
        ImageInfo i = images.pull(ref, new PullOptions(req.pull() ? PullPolicy.ALWAYS : PullPolicy.MISSING, null,
                null), e -> {
                });
        pulled.put(ref, i.id());
        return i;
    }

    private void step(StageState s, Instruction i) throws IOException, InterruptedException {
        switch (i.keyword()) {
            case "RUN" -> new RunStep(this, s, i).run();
            case "COPY", "ADD" -> new CopyStep(this, s, i).run();
            case "WORKDIR" -> workdir(s, i);
            case "ARG" -> arg(s, i);
            default -> new MetadataStep(this, s, i).run();
        }
    }

    private String word(StageState s, String text) {
        return Words.word(text, escape, s::variable);
    }

    private List<String> words(StageState s, String text) {
        return Words.words(text, escape, s::variable);
    }

    private void arg(StageState s, Instruction i) {
        for (String raw : Words.rawWords(i.text(), escape)) {
            String w = word(s, raw);
            int eq = w.indexOf('=');
            String name = eq < 0 ? w : w.substring(0, eq);
            if (name.isEmpty()) {
                throw DockerfileException.at(i.line(), "ARG names can not be blank");
            }
            String value;
            if (req.buildArgs().containsKey(name)) {
                value = req.buildArgs().get(name);
                usedArgs.add(name);
            } else if (eq >= 0) {
                value = w.substring(eq + 1);
            } else {
                value = globalArgs.get(name);
            }
            s.args.put(name, value);
        }
    }

    private boolean fromCache(StageState s, String key) {
        if (req.noCache()) {
            return false;
        }
        String hit = cache.get(key);
        if (hit == null) {
            return false;
        }
        try {
            images.inspect(hit);
        } catch (JpodException e) {
            cache.forget(key);
            return false;
        }
        s.imageId = hit;
        progress.event(new Event(Kind.USING_CACHE, step, steps, null, hit));
        return true;
    }

    /** Commits the step's image: the stage's config, the layer (null for none) and config changes, cached by key. */
    void commit(StageState s, Path layer, List<String> changeList, String createdBy, String key) {
        ImageInfo i = images.commit(new CommitRequest(s.imageId, layer, s.config(), changeList,
                new HistoryEntry(null, createdBy, s.author, null, layer == null), null,
                req.format() == null || req.format().isEmpty() ? "docker" : req.format()));
        String parent = s.imageId;
        s.imageId = bare(i.id());
        cache.put(key, s.imageId);
        try {
            files.committed(parent, s.imageId, layer);
        } catch (IOException e) {
            LOG.debug("the listing of {} is read from the image when a step needs it: {}", s.imageId, e.getMessage());
        }
    }

    // ---- what the steps share

    boolean cached(StageState s, String key) {
        return fromCache(s, key);
    }

    Path context() {
        return context;
    }

    Path work() {
        return work;
    }

    char escape() {
        return escape;
    }

    BuildRequest request() {
        return req;
    }

    StepContainers runs() {
        return runs;
    }

    ContainerChanges changes() {
        return changes;
    }

    /** A progress event of the step under way. */
    void event(Kind kind, String text, String id) {
        progress.event(new Event(kind, step, steps, text, id));
    }

    ImageFiles files() {
        return files;
    }

    /** The image an instruction's {@code --from} names: a stage by name or index, or an image. */
    String fromImage(String from, int line) {
        StageState st = stageNamed(from);
        if (st == null && from.matches("\\d+")) {
            int n = Integer.parseInt(from);
            if (n >= stages.size() - 1) {
                throw DockerfileException.at(line, "--from=" + from + " names no earlier stage (there are "
                        + (stages.size() - 1) + " before this one)");
            }
            st = stages.get(n);
        }
        if (st != null) {
            if (st.imageId == null) {
                throw DockerfileException.at(line, "--from=" + from + " names a stage that has no files");
            }
            return st.imageId;
        }
        return bare(baseImage(from, line).id());
    }

    private void workdir(StageState s, Instruction i) throws IOException {
        String dir = word(s, i.text());
        String path = "/" + IgnorePatterns.clean(dir.startsWith("/") ? dir : s.workingDir + "/" + dir);
        s.workingDir = path;
        String createdBy = "/bin/sh -c #(nop) WORKDIR " + path;
        // whether the directory is made follows from the parent: the key needs no look at its files
        String key = BuildCache.key(s.imageId, createdBy, s.cacheText());
        if (fromCache(s, key)) {
            return;
        }
        ImageFiles.Listing l = files.list(s.imageId);
        if (path.equals("/") || l.isDir(path)) {
            commit(s, null, List.of(), createdBy, key);
            return;
        }
        Path layer = Files.createTempFile(work, "layer-", ".tar");
        try {
            try (LayerWriter w = new LayerWriter(Files.newOutputStream(layer), l)) {
                w.directory(path, new LayerWriter.Owner(0, 0, null));
            }
            commit(s, layer, List.of(), createdBy, key);
        } finally {
            Files.deleteIfExists(layer);
        }
    }

    static String bare(String id) {
        return id != null && id.startsWith("sha256:") ? id.substring(7) : id;
    }

    /** Removes the build's private directory and what it unpacked. */
    void cleanup() {
        try {
            FileTrees.delete(work);
        } catch (IOException e) {
            LOG.warn("the build directory {} could not be removed: {}", work, e.getMessage());
        }
    }

    int step() {
        return step;
    }

    int steps() {
        return steps;
    }
}
