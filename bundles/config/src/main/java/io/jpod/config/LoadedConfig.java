package io.jpod.config;

import io.jpod.api.config.JpodConfig;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What {@link ConfigLoader#load} gives: the configuration, the files it was read from, and which of the
 * DB config's fields were set explicitly.
 *
 * @param config           the configuration: defaults, files and overrides, checked; immutable
 * @param filesRead        the files that existed and were read, in the order they were read
 * @param explicitDbFields names of the {@link io.jpod.api.DBConfig} fields ({@code "staticDir"},
 *                         {@code "tmpDir"}, {@code "graphRoot"}, {@code "runRoot"}, {@code "graphDriver"},
 *                         {@code "volumePath"}) that a configuration file or an override set explicitly, as
 *                         libpod's {@code StaticDirSet}, {@code TmpDirSet}, ... and storage flags: the engine
 *                         merges these with the DB config as libpod's {@code mergeDBConfig} does
 */
public record LoadedConfig(JpodConfig config, List<Path> filesRead, Set<String> explicitDbFields) {

    public LoadedConfig {
        Objects.requireNonNull(config, "config");
        filesRead = List.copyOf(filesRead);
        explicitDbFields = Set.copyOf(explicitDbFields);
    }
}
