package io.jpod.spi.lock;

import io.jpod.spi.Provider;
import org.osgi.annotation.versioning.ConsumerType;

/** A lock manager, registered with the service property {@code jpod.name}. */
@ConsumerType
public interface LockProvider extends Provider<LockManager> {
}
