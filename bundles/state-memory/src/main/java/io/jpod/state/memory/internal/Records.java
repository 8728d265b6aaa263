package io.jpod.state.memory.internal;

import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The records of one kind of object by their key (a container's or pod's ID, a volume's name), in the
 * order they were added, and the lookups that see only what the {@link Namespace} lets through. Not
 * thread-safe: the {@link StateCore} that owns it guards it with its lock.
 */
abstract class Records<T> {
    private final Map<String, T> byKey = new LinkedHashMap<>();
    private final Namespace namespace;
    private final String kind;
    private final String keyWord;
    private final ErrorCode missing;
    private final Function<T, String> keyOf;
    private final Function<T, String> namespaceOf;

    /**
     * @param kind        the object's kind in messages, e.g. "container"
     * @param keyWord     what its key is called in messages, "ID" or "name"
     * @param missing     the code of a lookup that finds nothing
     * @param keyOf       an object's key
     * @param namespaceOf an object's namespace
     */
    Records(Namespace namespace, String kind, String keyWord, ErrorCode missing, Function<T, String> keyOf,
            Function<T, String> namespaceOf) {
        this.namespace = namespace;
        this.kind = kind;
        this.keyWord = keyWord;
        this.missing = missing;
        this.keyOf = keyOf;
        this.namespaceOf = namespaceOf;
    }

    final String kind() {
        return kind;
    }

    final ErrorCode missing() {
        return missing;
    }

    /** Fails with EMPTY_ID when {@code value} is null or empty. */
    static String require(String value, String what) {
        if (value == null || value.isEmpty()) {
            throw JpodException.of(ErrorCode.EMPTY_ID, what + " is empty");
        }
        return value;
    }

    private String requireKey(String key) {
        return require(key, kind + " " + keyWord);
    }

    void put(T item) {
        byKey.put(keyOf.apply(item), item);
    }

    void remove(String key) {
        byKey.remove(key);
    }

    /** Under {@code key} in any namespace, or null. */
    final T get(String key) {
        return byKey.get(key);
    }

    final Collection<T> values() {
        return byKey.values();
    }

    private boolean visible(T item) {
        return namespace.sees(namespaceOf.apply(item));
    }

    private T checkVisible(String key, T item) {
        if (!visible(item)) {
            throw namespace.mismatch(kind + " " + key, namespaceOf.apply(item));
        }
        return item;
    }

    /** By full key; NO_SUCH_... when there is none, NS_MISMATCH when it is in another namespace. */
    final T byKey(String key) {
        requireKey(key);
        T item = byKey.get(key);
        if (item == null) {
            throw JpodException.of(missing, "no " + kind + " with " + keyWord + " " + key + " found in database");
        }
        return checkVisible(key, item);
    }

    /** The stored version of what {@code replacement} replaces; NO_SUCH_... or NS_MISMATCH as {@link #byKey}. */
    final T replaced(T replacement) {
        String key = requireKey(keyOf.apply(replacement));
        T old = byKey.get(key);
        if (old == null) {
            throw JpodException.of(missing, kind + " " + key + " does not exist in database");
        }
        return checkVisible(key, old);
    }

    final boolean has(String key) {
        requireKey(key);
        return visibleOrNull(key) != null;
    }

    /** Under exactly {@code key}: null when there is none, NS_MISMATCH when it is in another namespace. */
    final T exact(String key) {
        T item = byKey.get(key);
        return item == null ? null : checkVisible(key, item);
    }

    /** Under {@code key} and in our namespace, or null. */
    final T visibleOrNull(String key) {
        T item = byKey.get(key);
        return item != null && visible(item) ? item : null;
    }

    /** The one in our namespace whose key starts with {@code prefix}; null when none, INVALID_ARG when several. */
    final T byPrefix(String prefix) {
        T found = null;
        for (T each : byKey.values()) {
            if (visible(each) && keyOf.apply(each).startsWith(prefix)) {
                if (found != null) {
                    throw JpodException.of(ErrorCode.INVALID_ARG, "more than one result for " + kind + " " + keyWord
                            + " prefix " + prefix);
                }
                found = each;
            }
        }
        return found;
    }

    /** All in our namespace, in the order they were added. */
    final List<T> all() {
        return byKey.values().stream().filter(this::visible).toList();
    }

    /** Fails with NS_MISMATCH when a new item is not in our namespace. */
    final void checkAddable(T item) {
        if (!visible(item)) {
            throw namespace.mismatch("cannot add " + kind + " " + keyOf.apply(item) + " as it", namespaceOf.apply(item));
        }
    }
}
