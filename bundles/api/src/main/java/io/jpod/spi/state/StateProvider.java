package io.jpod.spi.state;

import io.jpod.spi.Provider;
import org.osgi.annotation.versioning.ConsumerType;

/** A state backend, registered with the service property {@code jpod.name}. */
@ConsumerType
public interface StateProvider extends Provider<State> {
}
