package io.jpod.runtime.internal;

import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;
import io.jpod.spi.events.Eventer;
import io.jpod.spi.lock.LockManager;
import io.jpod.spi.network.ContainerNetworking;
import io.jpod.spi.network.NetworkBackend;
import io.jpod.spi.network.NetworkDefinitions;
import io.jpod.spi.oci.OciRuntime;
import io.jpod.spi.state.State;
import io.jpod.spi.storage.Storage;
import java.util.Map;
import java.util.TreeMap;

/** The opened providers an engine works with; {@code network} is held to close it, and used through its two parts. */
record Parts(State state, Storage storage, Eventer eventer, Map<String, OciRuntime> runtimes, String defaultRuntime,
        NetworkBackend network, LockManager locks) {

    /** The network backend's networks. */
    NetworkDefinitions networks() {
        return network.definitions();
    }

    /** The network backend's attachments of containers. */
    ContainerNetworking networking() {
        return network.networking();
    }

    OciRuntime defaultOciRuntime() {
        return runtimes.get(defaultRuntime);
    }

    /** The OCI runtime of that name; OCI_RUNTIME_UNAVAILABLE naming the ones there are. */
    OciRuntime runtime(String name) {
        OciRuntime rt = runtimes.get(name);
        if (rt == null) {
            throw new JpodException(ErrorCode.OCI_RUNTIME_UNAVAILABLE, "OCI runtime \"" + name
                    + "\" is not available; available runtimes: " + String.join(", ", new TreeMap<>(runtimes)
                            .keySet()) + ": install its provider or choose one of those");
        }
        return rt;
    }
}
