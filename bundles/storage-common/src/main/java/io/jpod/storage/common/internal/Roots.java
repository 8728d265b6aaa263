package io.jpod.storage.common.internal;

import io.jpod.api.config.StorageConfig;
import io.jpod.spi.ProviderContext;
import java.nio.file.Path;
import java.util.Map;

/** Where a storage provider keeps its files: the DB config's paths, else the configuration's, else the defaults. */
public final class Roots {
    public static final String DEFAULT_GRAPH_ROOT = "/var/lib/jpod/storage";
    public static final String DEFAULT_RUN_ROOT = "/run/jpod/storage";

    private Roots() {
    }

    public static Path graphRoot(ProviderContext ctx) {
        String g = ctx.dirs() == null ? null : ctx.dirs().graphRoot();
        if (blank(g)) {
            StorageConfig s = ctx.config() == null ? null : ctx.config().storage();
            g = s == null ? null : s.graphRoot();
        }
        return Path.of(blank(g) ? DEFAULT_GRAPH_ROOT : g).toAbsolutePath().normalize();
    }

    public static Path runRoot(ProviderContext ctx) {
        String r = ctx.dirs() == null ? null : ctx.dirs().runRoot();
        if (blank(r)) {
            StorageConfig s = ctx.config() == null ? null : ctx.config().storage();
            r = s == null ? null : s.runRoot();
        }
        return Path.of(blank(r) ? DEFAULT_RUN_ROOT : r).toAbsolutePath().normalize();
    }

    /** The {@code [storage.options]} table, empty when there is none. */
    public static Map<String, String> options(ProviderContext ctx) {
        StorageConfig s = ctx.config() == null ? null : ctx.config().storage();
        return s == null ? Map.of() : s.options();
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
