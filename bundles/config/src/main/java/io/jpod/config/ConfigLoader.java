package io.jpod.config;

import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;
import io.jpod.api.config.JpodConfig;
import io.jpod.api.config.RuntimeOptions;
import io.jpod.config.internal.ConfigReader;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Reads jpod's configuration: the built-in {@link #defaults() defaults}, then TOML files in the
 * spellings of containers.conf(5) ({@code [containers]}, {@code [engine]}, {@code [engine.runtimes]},
 * {@code [network]}) and containers-storage.conf(5) ({@code [storage]}, {@code [storage.options]}), each
 * file overriding only the keys it sets, then the {@link RuntimeOptions overrides}.
 *
 * <p>A loader is immutable and may be used for any number of loads; each load reads the files again.
 */
public final class ConfigLoader {

    /** The environment variable naming one more configuration file, read last. */
    public static final String ENV_VAR = "JPOD_CONF";

    /** The files {@link #standard()} reads before {@code $JPOD_CONF}: the distribution's, then the admin's. */
    static final List<Path> STANDARD_FILES = List.of(Path.of("/usr/share/jpod/jpod.conf"),
            Path.of("/etc/jpod/jpod.conf"));

    private final List<Path> files;
    /** A file that must exist ($JPOD_CONF), or null. */
    private final Path required;

    ConfigLoader(List<Path> files, Path required) {
        this.files = List.copyOf(files);
        this.required = required;
    }

    /**
     * The standard search order: built-in defaults, then /usr/share/jpod/jpod.conf, /etc/jpod/jpod.conf,
     * then $JPOD_CONF (env var; a missing $JPOD_CONF file is an error naming it). Missing standard files
     * are skipped.
     */
    public static ConfigLoader standard() {
        return standard(System.getenv(), STANDARD_FILES, null);
    }

    /**
     * {@link #standard()} with one more file read between the standard ones and $JPOD_CONF: the service's own
     * (the framework property {@code jpod.conf}, the distribution's etc/jpod.conf); none when blank.
     */
    public static ConfigLoader standard(String extra) {
        return standard(System.getenv(), STANDARD_FILES, extra);
    }

    /** {@link #standard(String)} with the environment and the standard files given (for tests). */
    static ConfigLoader standard(Map<String, String> env, List<Path> standardFiles, String extra) {
        List<Path> all = new ArrayList<>(standardFiles);
        if (extra != null && !extra.isBlank()) {
            all.add(Path.of(extra));
        }
        String conf = env.get(ENV_VAR);
        Path required = null;
        if (conf != null && !conf.isBlank()) {
            required = Path.of(conf);
            all.add(required);
        }
        return new ConfigLoader(all, required);
    }

    /**
     * Explicit files, read in order on top of the built-in defaults (tests, and the distribution's
     * conf/jpod.conf). Missing files are skipped.
     */
    public static ConfigLoader of(List<Path> files) {
        Objects.requireNonNull(files, "files");
        files.forEach(f -> Objects.requireNonNull(f, "a file is null"));
        return new ConfigLoader(files, null);
    }

    /**
     * The built-in defaults (rootful): what {@link #load} gives when no file exists and nothing is
     * overridden.
     */
    public static JpodConfig defaults() {
        return ConfigReader.defaults();
    }

    /**
     * Reads the files, applies overrides; throws JpodException(ErrorCode.CONFIG_INVALID) naming file, line
     * and key on any error (every error found, one a line).
     *
     * @param overrides the start options; null or {@link RuntimeOptions#NONE} for none
     */
    public LoadedConfig load(RuntimeOptions overrides) {
        if (required != null && Files.notExists(required)) {
            throw new JpodException(ErrorCode.CONFIG_INVALID, "$" + ENV_VAR + " names " + required
                    + ", which does not exist: create it or unset " + ENV_VAR);
        }
        ConfigReader.Result r = ConfigReader.read(files, overrides);
        return new LoadedConfig(r.config(), r.filesRead(), r.explicitDbFields());
    }

    /** The files this loader reads, in order, whether they exist or not. */
    public List<Path> files() {
        return files;
    }

    @Override
    public String toString() {
        return "ConfigLoader" + files;
    }
}
