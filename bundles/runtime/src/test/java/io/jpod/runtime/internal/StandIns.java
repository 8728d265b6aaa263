package io.jpod.runtime.internal;

import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;
import io.jpod.spi.ProviderContext;
import io.jpod.spi.network.NetworkBackend;
import io.jpod.spi.oci.OciRuntime;
import io.jpod.spi.storage.Storage;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Providers for the kinds whose real bundles come with the containers and networking issues. They
 * hold nothing: listing gives nothing, closing (and a network teardown) does nothing, a container's status
 * stays as stored, and every other operation says that it needs the real provider. A network backend's
 * definitions and networking are stand-ins of the same kind.
 */
final class StandIns {
    private StandIns() {
    }

    /**
     * A jpod.conf for the stand-ins with everything under {@code dir}: memory state, file locks and events,
     * 16 locks; {@code moreEngine} goes at the end of [engine].
     */
    static String jpodConf(java.nio.file.Path dir, String moreEngine) {
        return """
                [engine]
                database_backend = "memory"
                lock_type = "file"
                events_logger = "file"
                num_locks = 16
                runtime = "itest"
                static_dir = "%1$s/engine"
                tmp_dir = "%1$s/run"
                volume_path = "%1$s/volumes"
                %2$s
                [network]
                network_backend = "itest"

                [storage]
                driver = "itest"
                graphroot = "%1$s/storage"
                runroot = "%1$s/run/storage"
                """.formatted(dir, moreEngine);
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
                    throw new JpodException(ErrorCode.NOT_IMPLEMENTED, "the stand-in " + type.getSimpleName() + " \""
                            + ctx.name() + "\" does not implement " + m.getName());
            }
        });
        return type.cast(proxy);
    }
}
