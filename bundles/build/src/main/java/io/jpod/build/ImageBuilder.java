package io.jpod.build;

import java.io.InputStream;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Builds an image from a build context. Errors in the Dockerfile, the context or a step are
 * {@link io.jpod.api.JpodException}s whose message names the problem (the line of a Dockerfile error, the
 * command and exit code of a failed RUN); a failed build leaves no container and tags nothing.
 */
@ProviderType
public interface ImageBuilder {

    /**
     * Runs a build.
     *
     * @param request  what to build
     * @param context  the build context as a tar (plain or gzip), as the clients send it; read to its end
     * @param progress told about each step as it goes (never null)
     * @return the image built and its names
     */
    BuildResult build(BuildRequest request, InputStream context, BuildProgress progress);

    /**
     * Forgets the build cache ({@code docker builder prune}).
     *
     * @return the number of cache entries forgotten
     */
    default int pruneCache() {
        return 0;
    }
}
