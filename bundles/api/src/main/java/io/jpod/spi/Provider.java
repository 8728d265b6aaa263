package io.jpod.spi;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * What every provider service is: a named factory that opens the working part of its kind for one
 * engine. The assembler calls {@link #open} when it assembles an engine and closes the result when it
 * takes the engine down; a provider may be opened again afterwards.
 *
 * @param <T> the working part, e.g. a {@link io.jpod.spi.state.State}
 */
@ConsumerType
public interface Provider<T extends AutoCloseable> {

    /**
     * Opens the part for the engine described by {@code context}.
     *
     * @throws io.jpod.api.JpodException with a message that names what is wrong and what to do
     */
    T open(ProviderContext context);
}
