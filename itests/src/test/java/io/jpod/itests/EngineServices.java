package io.jpod.itests;

import io.jpod.api.Containers;
import io.jpod.api.EngineSystem;
import io.jpod.api.Events;
import io.jpod.api.ExecSessions;
import io.jpod.api.Networks;
import io.jpod.api.Pods;
import io.jpod.api.Volumes;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;

/** The services of one assembled engine, taken from the registry by their shared {@code jpod.assembly}. */
record EngineServices(long assembly, Containers containers, ExecSessions execs, Pods pods, Volumes volumes,
        Networks networks, Events events, EngineSystem system) {

    /** The services of the assembly whose system service is {@code ref}, or null when some are gone already. */
    static EngineServices of(BundleContext context, ServiceReference<EngineSystem> ref) {
        Object n = ref.getProperty("jpod.assembly");
        if (!(n instanceof Long assembly)) {
            return null;
        }
        String filter = "(jpod.assembly=" + assembly + ")";
        try {
            EngineServices s = new EngineServices(assembly, get(context, Containers.class, filter),
                    get(context, ExecSessions.class, filter), get(context, Pods.class, filter),
                    get(context, Volumes.class, filter), get(context, Networks.class, filter),
                    get(context, Events.class, filter), context.getService(ref));
            return s.containers == null || s.execs == null || s.pods == null || s.volumes == null
                    || s.networks == null || s.events == null || s.system == null ? null : s;
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static <T> T get(BundleContext context, Class<T> type, String filter) throws InvalidSyntaxException {
        for (ServiceReference<T> r : context.getServiceReferences(type, filter)) {
            return context.getService(r);
        }
        return null;
    }
}
