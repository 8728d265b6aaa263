/**
 * Image builds from a Dockerfile or Containerfile: the {@link io.jpod.build.ImageBuilder} service the REST
 * API's {@code POST /build} and {@code POST /libpod/build} call. jpod's own builder runs each RUN in a container of
 * the engine; a vendor may register another (one driving buildah, say) with a higher service ranking.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.jpod.build;
