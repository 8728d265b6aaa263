package io.jpod.api;

import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/** The engine's pods (libpod's runtime_pod.go and pod_api.go). */
@ProviderType
public interface Pods {

    /** Stores a pod's record with a lock; no infra container is made. */
    Pod createPod(Pod spec);

    /**
     * Creates a pod with its infra container (unless {@link PodSpec#infra()} is false), or nothing of it: a
     * failure leaves no record, infra container or lock behind.
     */
    Pod createPod(PodSpec spec);

    /** By full ID, unique ID prefix or name. */
    Pod pod(String idOrName);

    List<Pod> pods();

    /** The pod's containers, its infra container among them. */
    List<Container> podContainers(String idOrName);

    /** Removes a pod; with {@code force} its containers go first, else a pod with containers is refused. */
    void removePod(String idOrName, boolean force);

    /**
     * Runs {@code action} (start, stop, restart, kill, pause, unpause) on the pod's containers in libpod's
     * order (the infra container first when starting, last when stopping); returns per container that failed
     * its error. A pod none of whose containers could act is POD_STATE_INVALID.
     *
     * @param timeoutSeconds the stop timeout (negative: each container's own)
     * @param signal         the signal of {@code kill}
     */
    java.util.Map<String, String> podAction(String idOrName, String action, long timeoutSeconds, int signal);

    /** Removes every pod none of whose containers runs; returns their IDs. */
    List<String> prunePods();
}
