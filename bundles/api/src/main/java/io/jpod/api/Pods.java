package io.jpod.api;

import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/** The engine's pods (libpod's runtime_pod.go). */
@ProviderType
public interface Pods {

    Pod createPod(Pod spec);

    /** By full ID, unique ID prefix or name. */
    Pod pod(String idOrName);

    List<Pod> pods();

    /** Removes a pod; with {@code force} its containers go first, else a pod with containers is refused. */
    void removePod(String idOrName, boolean force);
}
