package io.jpod.build.internal;

import io.jpod.api.ContainerChanges;
import io.jpod.api.Containers;
import io.jpod.api.EngineSystem;
import io.jpod.api.ErrorCode;
import io.jpod.api.Images;
import io.jpod.api.JpodException;
import io.jpod.build.BuildProgress;
import io.jpod.build.BuildRequest;
import io.jpod.build.BuildResult;
import io.jpod.build.ImageBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Objects;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * jpod's own builder: the classic Dockerfile builder over the engine's services. It is there while the engine
 * and the image service are (its references are static: an engine assembled again brings a new builder). Its
 * cache and the builds' private directories live under the engine's static directory, in {@code build/}.
 */
@Component(service = ImageBuilder.class, property = "jpod.name=dockerfile")
public final class DockerfileBuilder implements ImageBuilder {
    private final Containers containers;
    private final ContainerChanges changes;
    private final Images images;
    private final Path dir;
    private final BuildCache cache;
    private final ImageListings listings;

    @Activate
    public DockerfileBuilder(@Reference Containers containers, @Reference ContainerChanges changes,
            @Reference Images images, @Reference EngineSystem system) {
        this.containers = containers;
        this.changes = changes;
        this.images = images;
        this.dir = Path.of(system.config().engine().staticDir()).resolveSibling("build");
        this.cache = new BuildCache(dir.resolve("cache.json"));
        this.listings = new ImageListings(dir.resolve("files"));
    }

    @Override
    public BuildResult build(BuildRequest request, InputStream context, BuildProgress progress) {
        Objects.requireNonNull(request, "request");
        Path work;
        try {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(
                    "rwx------")));
            work = Files.createTempDirectory(dir, "build-");
        } catch (IOException e) {
            throw new JpodException(ErrorCode.INVALID_ARG, "the build directory " + dir + " cannot be made: "
                    + e.getMessage(), e);
        }
        DockerfileBuild b = new DockerfileBuild(containers, changes, images, cache, listings, request, progress, work);
        try {
            return b.run(context);
        } catch (IOException e) {
            throw new JpodException(ErrorCode.INVALID_ARG, "the build failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JpodException(ErrorCode.INVALID_ARG, "the build was interrupted");
        } finally {
            b.cleanup();
        }
    }

    @Override
    public int pruneCache() {
        listings.prune();
        return cache.prune();
    }
}
