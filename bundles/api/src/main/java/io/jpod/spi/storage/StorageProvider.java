package io.jpod.spi.storage;

import io.jpod.spi.Provider;
import org.osgi.annotation.versioning.ConsumerType;

/** A storage driver, registered with the service property {@code jpod.name}. */
@ConsumerType
public interface StorageProvider extends Provider<Storage> {
}
