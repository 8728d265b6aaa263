package io.jpod.spi.oci;

import io.jpod.spi.Provider;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * An OCI runtime, registered with the service property {@code jpod.name}: one service per runtime
 * name. Opening fails when the runtime cannot work on this host; the assembler then skips it with a
 * warning, unless it is the default.
 */
@ConsumerType
public interface OciRuntimeProvider extends Provider<OciRuntime> {
}
