package io.jpod.api;

import java.time.Instant;
import java.util.Map;

/**
 * A pod: a group of containers that share a lock and, later, namespaces.
 *
 * @param id        the 64-hex-digit pod ID
 * @param name      the unique name (pods and containers share one name space)
 * @param namespace the libpod namespace
 * @param lockId    the number of its lock
 * @param labels    labels
 * @param created   creation time
 * @param infraContainerId the ID of its infra container, or null
 */
public record Pod(String id, String name, String namespace, int lockId, Map<String, String> labels, Instant created,
        String infraContainerId) {
    public Pod {
        namespace = namespace == null ? "" : namespace;
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }

    public Pod withLockId(int newLockId) {
        return new Pod(id, name, namespace, newLockId, labels, created, infraContainerId);
    }
}
