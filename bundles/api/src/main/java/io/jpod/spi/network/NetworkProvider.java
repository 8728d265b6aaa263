package io.jpod.spi.network;

import io.jpod.spi.Provider;
import org.osgi.annotation.versioning.ConsumerType;

/** A network backend, registered with the service property {@code jpod.name}. */
@ConsumerType
public interface NetworkProvider extends Provider<NetworkBackend> {
}
