package io.jpod.spi.events;

import io.jpod.spi.Provider;
import org.osgi.annotation.versioning.ConsumerType;

/** An events logger, registered with the service property {@code jpod.name}. */
@ConsumerType
public interface EventerProvider extends Provider<Eventer> {
}
