package io.jpod.state.memory.internal;

import io.jpod.api.Container;
import io.jpod.api.DBConfig;
import io.jpod.api.Pod;
import io.jpod.api.Volume;

/** Where a {@link StateCore}'s mutations are made durable. A failed write is rolled back and the records stay unchanged. */
public interface Store {
    void putContainer(Container ctr);

    void deleteContainer(String id);

    void putPod(Pod pod);

    void deletePod(String id);

    void putVolume(Volume volume);

    void deleteVolume(String name);

    void putExitCode(String id, ExitCode exit);

    void deleteExitCode(String id);

    void putDbConfig(DBConfig config);

    void commit();

    void rollback();

    void close();

    /** The store doing nothing: the memory backend. */
    Store NONE = new Store() {
        public void putContainer(Container ctr) { }
        public void deleteContainer(String id) { }
        public void putPod(Pod pod) { }
        public void deletePod(String id) { }
        public void putVolume(Volume volume) { }
        public void deleteVolume(String name) { }
        public void putExitCode(String id, ExitCode exit) { }
        public void deleteExitCode(String id) { }
        public void putDbConfig(DBConfig config) { }
        public void commit() { }
        public void rollback() { }
        public void close() { }
    };
}
