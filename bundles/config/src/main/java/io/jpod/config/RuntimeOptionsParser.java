package io.jpod.config;

import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;
import io.jpod.api.config.RuntimeOptions;

import java.util.Locale;
import java.util.Map;

/**
 * Turns OSGi component properties (or any map) into {@link RuntimeOptions}. Keys, in the configuration
 * file's spelling: {@code storage.driver}, {@code storage.graphroot}, {@code storage.runroot},
 * {@code engine.database_backend}, {@code engine.runtime}, {@code engine.events_logger},
 * {@code engine.lock_type}, {@code engine.tmp_dir}, {@code engine.static_dir}, {@code engine.volume_path},
 * {@code engine.namespace}, {@code renumber}, {@code migrate}, {@code migrate_runtime}. Values are strings
 * or, for {@code renumber} and {@code migrate}, booleans or the strings "true"/"false"; a missing, null or
 * blank value is not set. Other keys are ignored.
 */
public final class RuntimeOptionsParser {

    private RuntimeOptionsParser() {
    }

    /** The options {@code props} sets; throws CONFIG_INVALID naming the key if a value is of the wrong kind. */
    public static RuntimeOptions fromProperties(Map<String, ?> props) {
        if (props == null || props.isEmpty()) {
            return RuntimeOptions.NONE;
        }
        return new RuntimeOptions(
                string(props, "storage.driver"),
                string(props, "storage.graphroot"),
                string(props, "storage.runroot"),
                string(props, "engine.database_backend"),
                string(props, "engine.runtime"),
                string(props, "engine.events_logger"),
                string(props, "engine.lock_type"),
                string(props, "engine.tmp_dir"),
                string(props, "engine.static_dir"),
                string(props, "engine.volume_path"),
                string(props, "engine.namespace"),
                bool(props, "renumber"),
                bool(props, "migrate"),
                string(props, "migrate_runtime"));
    }

    private static String string(Map<String, ?> props, String key) {
        Object v = props.get(key);
        if (v == null) {
            return null;
        }
        if (!(v instanceof String s)) {
            throw new JpodException(ErrorCode.CONFIG_INVALID, "property " + key + " = " + v
                    + " is invalid: " + key + " must be a string, not " + v.getClass().getSimpleName());
        }
        String t = s.strip();
        return t.isEmpty() ? null : t;
    }

    private static boolean bool(Map<String, ?> props, String key) {
        Object v = props.get(key);
        if (v == null) {
            return false;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        if (v instanceof String s) {
            String t = s.strip().toLowerCase(Locale.ROOT);
            if (t.isEmpty() || t.equals("false")) {
                return false;
            }
            if (t.equals("true")) {
                return true;
            }
        }
        throw new JpodException(ErrorCode.CONFIG_INVALID, "property " + key + " = " + v + " is invalid: " + key
                + " must be true or false");
    }
}
