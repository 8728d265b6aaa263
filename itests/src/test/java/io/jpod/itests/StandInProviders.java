package io.jpod.itests;

import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;
import io.jpod.spi.JpodName;
import io.jpod.spi.ProviderContext;
import io.jpod.spi.network.NetworkBackend;
import io.jpod.spi.network.NetworkProvider;
import io.jpod.spi.oci.OciRuntime;
import io.jpod.spi.oci.OciRuntimeProvider;
import io.jpod.spi.storage.Storage;
import io.jpod.spi.storage.StorageProvider;
import java.lang.reflect.Proxy;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/**
 * Providers for the kinds whose real bundles come with the containers and networking issues. They
 * hold nothing: listing gives nothing, closing (and a network teardown) does nothing, a container's status
 * stays as stored, and every other operation says that it needs the real provider. A network backend's
 * definitions and networking are stand-ins of the same kind.
 */
final class StandInProviders {
    private StandInProviders() {
    }

    static List<ServiceRegistration<?>> register(BundleContext ctx, String name) {
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(JpodName.PROPERTY, name);
        OciRuntimeProvider runtime = c -> standIn(OciRuntime.class, c);
        NetworkProvider network = c -> standIn(NetworkBackend.class, c);
        StorageProvider storage = c -> standIn(Storage.class, c);
        return List.of(ctx.registerService(OciRuntimeProvider.class, runtime, props),
                ctx.registerService(NetworkProvider.class, network, props),
                ctx.registerService(StorageProvider.class, storage, props));
    }

    static <T> T standIn(Class<T> type, ProviderContext ctx) {
        // a network backend's two parts, stand-ins as well, one of each per backend
        Map<Class<?>, Object> parts = new ConcurrentHashMap<>();
        Object proxy = Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (p, m, args) -> {
            switch (m.getName()) {
                case "name", "driverName":
                    return ctx.name();
                case "definitions", "networking":
                    return parts.computeIfAbsent(m.getReturnType(), t -> standIn(t, ctx));
                case "close", "teardown", "deleteContainer":
                    return null;
                case "exitDirectory":
                    return java.util.Optional.empty();
                case "updateContainerStatus":
                    return ((io.jpod.api.Container) args[0]).state();
                case "toString":
                    return "stand-in " + type.getSimpleName() + " " + ctx.name();
                case "hashCode":
                    return System.identityHashCode(p);
                case "equals":
                    return p == args[0];
                default:
                    if (m.getReturnType() == List.class) {
                        return List.of();
                    }
                    if (m.getReturnType() == java.util.Map.class) {
                        // addresses: a container of the stand-in network has none
                        return java.util.Map.of();
                    }
                    throw new JpodException(ErrorCode.NOT_IMPLEMENTED, "the stand-in " + type.getSimpleName() + " \""
                            + ctx.name() + "\" does not implement " + m.getName());
            }
        });
        return type.cast(proxy);
    }
}
