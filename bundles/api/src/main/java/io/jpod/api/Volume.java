package io.jpod.api;

import java.time.Instant;
import java.util.Map;

/**
 * A named volume.
 *
 * @param name       the unique name
 * @param driver     the volume driver, {@code local} by default
 * @param mountPoint where its data lives on the host
 * @param labels     labels
 * @param options    driver options
 * @param namespace  the libpod namespace
 * @param lockId     the number of its lock
 * @param created    creation time
 * @param mountCount how many containers have it mounted now (reset by refresh)
 */
public record Volume(String name, String driver, String mountPoint, Map<String, String> labels,
        Map<String, String> options, String namespace, int lockId, Instant created, int mountCount) {
    public Volume {
        driver = driver == null || driver.isEmpty() ? "local" : driver;
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        options = options == null ? Map.of() : Map.copyOf(options);
        namespace = namespace == null ? "" : namespace;
    }

    public Volume withLockId(int newLockId) {
        return new Volume(name, driver, mountPoint, labels, options, namespace, newLockId, created, mountCount);
    }

    public Volume withMountCount(int n) {
        return new Volume(name, driver, mountPoint, labels, options, namespace, lockId, created, n);
    }
}
