package io.jpod.api;

import java.util.Map;

/**
 * What {@code jpod info} shows: the host, the store and the engine, as libpod's define.Info.
 */
public record Info(Host host, Store store, EngineInfo engine) {

    /**
     * @param hostname       the host's name
     * @param kernel         the kernel release
     * @param os             the operating system, {@code linux}
     * @param arch           the architecture, e.g. {@code amd64}
     * @param cpus           online processors
     * @param memTotal       total memory in bytes
     * @param memFree        free memory in bytes
     * @param cgroupVersion  {@code v1} or {@code v2}
     * @param cgroupManager  {@code cgroupfs} or {@code systemd}
     * @param ociRuntime     the default OCI runtime's name
     * @param eventLogger    the events logger's name
     * @param lockType       the lock manager's name
     * @param networkBackend the network backend's name
     * @param uptimeSeconds  seconds since boot
     */
    public record Host(String hostname, String kernel, String os, String arch, int cpus, long memTotal, long memFree,
            String cgroupVersion, String cgroupManager, String ociRuntime, String eventLogger, String lockType,
            String networkBackend, long uptimeSeconds) {
    }

    /**
     * @param graphRoot       where images and layers are stored
     * @param runRoot         per-boot storage files
     * @param graphDriverName the storage driver's name
     * @param volumePath      where named volumes live
     * @param containerStore  counts of containers by state: {@code number}, {@code running}, {@code paused}, {@code stopped}
     * @param imageCount      stored images
     */
    public record Store(String graphRoot, String runRoot, String graphDriverName, String volumePath,
            Map<String, Integer> containerStore, int imageCount) {
        public Store {
            containerStore = Map.copyOf(containerStore);
        }
    }

    /**
     * @param version       jpod's version
     * @param apiVersion    the libpod API version it speaks
     * @param databaseBackend the state backend's name
     * @param staticDir     the static dir
     * @param tmpDir        the per-boot dir
     * @param namespace     the libpod namespace
     * @param providers     per kind, the selected provider name
     */
    public record EngineInfo(String version, String apiVersion, String databaseBackend, String staticDir,
            String tmpDir, String namespace, Map<String, String> providers) {
        public EngineInfo {
            providers = Map.copyOf(providers);
        }
    }
}
