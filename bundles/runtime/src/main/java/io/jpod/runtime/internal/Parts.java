package io.jpod.runtime.internal;

import io.jpod.spi.events.Eventer;
import io.jpod.spi.lock.LockManager;
import io.jpod.spi.network.NetworkBackend;
import io.jpod.spi.oci.OciRuntime;
import io.jpod.spi.state.State;
import io.jpod.spi.storage.Storage;
import java.util.Map;

/** The opened providers an engine works with. */
record Parts(State state, Storage storage, Eventer eventer, Map<String, OciRuntime> runtimes, String defaultRuntime,
        NetworkBackend network, LockManager locks) {

    OciRuntime defaultOciRuntime() {
        return runtimes.get(defaultRuntime);
    }
}
