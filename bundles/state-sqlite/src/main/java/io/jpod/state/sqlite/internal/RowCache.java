package io.jpod.state.sqlite.internal;

import java.util.HashMap;
import java.util.Map;

/**
 * The decoded objects of one table, by key, so that a read decodes no JSON the process has decoded before. Changes
 * made in a transaction are pending until it commits ({@link #commit}) and dropped if it rolls back
 * ({@link #abandon}). Used under the database's lock only; coherent because this process is the database's only
 * writer (the lock file and the exclusive locking mode see to it).
 */
final class RowCache<T> {
    private final Map<String, T> committed = new HashMap<>();
    /** Changes of the open transaction; a null value is a deleted row. */
    private final Map<String, T> pending = new HashMap<>();

    /** The object of {@code key} as the open transaction sees it, or null when not cached. */
    T get(String key) {
        if (pending.containsKey(key)) {
            return pending.get(key);
        }
        return committed.get(key);
    }

    /** Whether the open transaction deleted {@code key}. */
    boolean deleted(String key) {
        return pending.containsKey(key) && pending.get(key) == null;
    }

    /** Caches what was read from the database for {@code key}, which the open transaction has not changed. */
    void fill(String key, T value) {
        if (!pending.containsKey(key)) {
            committed.put(key, value);
        }
    }

    void put(String key, T value) {
        pending.put(key, value);
    }

    void remove(String key) {
        pending.put(key, null);
    }

    void commit() {
        pending.forEach((k, v) -> {
            if (v == null) {
                committed.remove(k);
            } else {
                committed.put(k, v);
            }
        });
        pending.clear();
    }

    void abandon() {
        pending.clear();
    }
}
