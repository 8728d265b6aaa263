package io.jpod.spi.network;

import io.jpod.api.Container;
import java.util.List;
import java.util.Map;
import org.osgi.annotation.versioning.ConsumerType;

/** Sets up and tears down containers' networks, as libpod's network interface. */
@ConsumerType
public interface NetworkBackend extends AutoCloseable {

    /** The name it was selected by. */
    String name();

    /**
     * Attaches the network namespace at {@code netNsPath} to the container's networks.
     *
     * @return per network, the addresses given (CIDR notation)
     */
    Map<String, List<String>> setup(Container ctr, String netNsPath);

    /** Detaches the container from its networks; idempotent. */
    void teardown(Container ctr, String netNsPath);

    /** The names of the networks defined. */
    List<String> networks();

    @Override
    void close();
}
