package io.jpod.config.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jpod.api.config.JpodConfig;
import io.jpod.api.config.RuntimeOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Reads configuration files on top of the built-in defaults, maps them to {@link JpodConfig}, applies
 * the overrides and checks everything. Used by {@link io.jpod.config.ConfigLoader}; not API.
 */
public final class ConfigReader {

    private static final Logger LOG = LoggerFactory.getLogger(ConfigReader.class);
    private static final String DEFAULTS_RESOURCE = "defaults.conf";

    /** What was read. */
    public record Result(JpodConfig config, List<Path> filesRead, Set<String> explicitDbFields, List<String> ignored) {
        public Result {
            filesRead = List.copyOf(filesRead);
            explicitDbFields = Set.copyOf(explicitDbFields);
            ignored = List.copyOf(ignored);
        }
    }

    private static final class DefaultsHolder {
        static final ConfigFile DEFAULTS = loadDefaults();
    }

    private ConfigReader() {
    }

    /** The built-in defaults, checked and resolved as a load without files and overrides gives them. */
    public static JpodConfig defaults() {
        return read(List.of(), RuntimeOptions.NONE).config();
    }

    /**
     * Reads {@code files} in order (skipping those that do not exist), applies {@code overrides}; throws
     * CONFIG_INVALID naming file, line and key on any error.
     */
    public static Result read(List<Path> files, RuntimeOptions overrides) {
        List<ConfigFile> parsed = new ArrayList<>();
        List<Path> read = new ArrayList<>();
        for (Path p : files) {
            if (Files.notExists(p)) {
                LOG.debug("{} does not exist: skipped", p);
                continue;
            }
            parsed.add(ConfigFile.read(p));
            read.add(p);
        }
        return readParsed(parsed, read, overrides);
    }

    static Result readParsed(List<ConfigFile> files, List<Path> read, RuntimeOptions overrides) {
        RuntimeOptions o = overrides == null ? RuntimeOptions.NONE : overrides;
        ObjectNode defaults = DefaultsHolder.DEFAULTS.tree();
        ConfigTree tree = new ConfigTree(defaults);
        for (ConfigFile f : files) {
            LOG.debug("reading {}", f.name());
            tree.merge(f);
        }
        Problems problems = new Problems(tree.origins(), files);
        JpodConfig fromFiles = new ConfigMapper(tree.tree(), defaults, problems).map();
        JpodConfig config = Overrides.apply(fromFiles, o, problems);
        problems.throwIfAny();
        config = StateBackendChoice.resolve(config, tree.setByFile(List.of(Schema.ENGINE, "database_backend"))
                || o.databaseBackend() != null);

        Set<String> explicit = new LinkedHashSet<>();
        for (Map.Entry<List<String>, String> e : Schema.DB_FIELDS.entrySet()) {
            if (tree.setByFile(e.getKey()) || o.sets(e.getValue())) {
                explicit.add(e.getValue());
            }
        }
        return new Result(config, read, explicit, tree.ignored());
    }

    private static ConfigFile loadDefaults() {
        try (InputStream in = ConfigReader.class.getResourceAsStream(DEFAULTS_RESOURCE)) {
            Objects.requireNonNull(in, "resource " + DEFAULTS_RESOURCE + " is missing from the bundle");
            return ConfigFile.parse("built-in defaults", new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
