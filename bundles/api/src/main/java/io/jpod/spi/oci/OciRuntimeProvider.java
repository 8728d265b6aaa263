package io.jpod.spi.oci;

import io.jpod.spi.Provider;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * An OCI runtime, registered with the service property {@code jpod.name}: one service per runtime
 * name. Opening fails when the runtime cannot work on this host; the assembler then skips it with a
 * warning, unless it is the default.
 *
 * <p>Every installed runtime is opened when the engine is assembled: {@code engine.runtime} names the
 * default, and a container may name any other ({@link io.jpod.api.ContainerConfig#ociRuntime()}), which
 * is stored with it. Throw {@link io.jpod.api.JpodException} (code {@code OCI_RUNTIME_UNAVAILABLE}) with a
 * message that names what is missing, e.g. the binary: the engine reports it under this runtime's name.
 * A vendor registers its own name (prefixed with its product); a second provider of a name already taken
 * is ignored with a warning. See docs/plugins.md.
 */
@ConsumerType
public interface OciRuntimeProvider extends Provider<OciRuntime> {
}
