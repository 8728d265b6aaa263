package io.jpod.api;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A pod: a group of containers that share a lock and, through its infra container, namespaces.
 *
 * @param id        the 64-hex-digit pod ID
 * @param name      the unique name (pods and containers share one name space)
 * @param namespace the libpod namespace
 * @param lockId    the number of its lock
 * @param labels    labels
 * @param created   creation time
 * @param infraContainerId the ID of its infra container, or null
 * @param sharedNamespaces the namespaces its containers join from the infra container ({@code net}, {@code ipc},
 *                  {@code uts}, {@code pid}, {@code cgroup}); empty without an infra container
 * @param hostname  the hostname of its containers when they share {@code uts}, or null
 * @param createCommand the command line that created it, as the client sent it
 */
public record Pod(String id, String name, String namespace, int lockId, Map<String, String> labels, Instant created,
        String infraContainerId, List<String> sharedNamespaces, String hostname, List<String> createCommand) {
    public Pod {
        namespace = namespace == null ? "" : namespace;
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        sharedNamespaces = sharedNamespaces == null ? List.of() : List.copyOf(sharedNamespaces);
        createCommand = createCommand == null ? List.of() : List.copyOf(createCommand);
    }

    /** A pod with no shared namespaces, hostname or command (as stored before pods had them). */
    public Pod(String id, String name, String namespace, int lockId, Map<String, String> labels, Instant created,
            String infraContainerId) {
        this(id, name, namespace, lockId, labels, created, infraContainerId, null, null, null);
    }

    public Pod withLockId(int newLockId) {
        return new Pod(id, name, namespace, newLockId, labels, created, infraContainerId, sharedNamespaces, hostname,
                createCommand);
    }

    public Pod withInfraContainerId(String newInfraContainerId) {
        return new Pod(id, name, namespace, lockId, labels, created, newInfraContainerId, sharedNamespaces, hostname,
                createCommand);
    }
}
