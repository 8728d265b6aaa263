package io.jpod.spi.network;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A network backend as the engine opens it from its {@link NetworkProvider}: the networks it defines
 * ({@link #definitions()}) and how it attaches containers to them ({@link #networking()}), as libpod's
 * network interface. The two parts are the backend's for as long as it is open; {@link #close()} ends both.
 */
@ConsumerType
public interface NetworkBackend extends AutoCloseable {

    /** The name it was selected by ({@code network.network_backend}). */
    String name();

    /** The networks the backend defines: list, inspect, create, remove, and the default one. */
    NetworkDefinitions definitions();

    /** Containers' attachments to the networks: set up, tear down, connect, disconnect, and what they have. */
    ContainerNetworking networking();

    /** Releases what the backend holds; the containers' attachments stay. */
    @Override
    void close();
}
