package io.jpod.state.sqlite.internal;

import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;
import io.jpod.state.memory.internal.RecordJson;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * One table of objects kept as JSON under a key column (a container's or pod's ID, a volume's name) beside a
 * {@code namespace} column, with the lookups that see only what the {@link Namespace} lets through. The objects
 * read are decoded once and kept in a {@link RowCache}; changes go to it as the transaction makes them.
 */
abstract class Table<T> {
    private final RowCache<T> cache = new RowCache<>();
    private final String table;
    private final String keyColumn;
    private final Class<T> type;
    private final Namespace namespace;
    private final String kind;
    private final String keyWord;
    private final ErrorCode missing;
    private final Function<T, String> namespaceOf;

    /**
     * @param table       the table's name
     * @param keyColumn   its key column, "id" or "name"
     * @param kind        the object's kind in messages, e.g. "container"
     * @param keyWord     what its key is called in messages, "ID" or "name"
     * @param missing     the code of a lookup that finds nothing
     * @param namespaceOf an object's namespace
     */
    Table(String table, String keyColumn, Class<T> type, Namespace namespace, String kind, String keyWord,
            ErrorCode missing, Function<T, String> namespaceOf) {
        this.table = table;
        this.keyColumn = keyColumn;
        this.type = type;
        this.namespace = namespace;
        this.kind = kind;
        this.keyWord = keyWord;
        this.missing = missing;
        this.namespaceOf = namespaceOf;
    }

    /** Fails with EMPTY_ID when {@code value} is null or empty. */
    static String require(String value, String what) {
        if (value == null || value.isEmpty()) {
            throw JpodException.of(ErrorCode.EMPTY_ID, what + " is empty");
        }
        return value;
    }

    final boolean visible(T item) {
        return namespace.sees(namespaceOf.apply(item));
    }

    private T checkVisible(String key, T item) {
        if (!visible(item)) {
            throw namespace.mismatch(kind + " " + key, namespaceOf.apply(item));
        }
        return item;
    }

    /** The object stored under {@code key}, in any namespace: from the cache, else read and decoded; null if none. */
    final T load(Database d, String key) throws SQLException {
        if (key == null) {
            return null;
        }
        T cached = cache.get(key);
        if (cached != null || cache.deleted(key)) {
            return cached;
        }
        String json = d.one("SELECT json FROM " + table + " WHERE " + keyColumn + " = ?", rs -> rs.getString(1), key);
        if (json == null) {
            return null;
        }
        T value = RecordJson.read(json, type, kind + " " + key);
        cache.fill(key, value);
        return value;
    }

    /** The objects whose keys a query gives, in its order. */
    final List<T> query(Database d, String sql, Object... args) throws SQLException {
        List<T> out = new ArrayList<>();
        for (String key : d.list(sql, rs -> rs.getString(1), args)) {
            out.add(load(d, key));
        }
        return out;
    }

    /** By full key; NO_SUCH_... when there is none, NS_MISMATCH when it is in another namespace. */
    final T byKey(Database d, String key) throws SQLException {
        require(key, kind + " " + keyWord);
        T item = load(d, key);
        if (item == null) {
            throw JpodException.of(missing, "no " + kind + " with " + keyWord + " " + key + " found in database");
        }
        return checkVisible(key, item);
    }

    /** The stored version of what is saved under {@code key}; NO_SUCH_... or NS_MISMATCH as {@link #byKey}. */
    final T replaced(Database d, String key) throws SQLException {
        T old = load(d, key);
        if (old == null) {
            throw JpodException.of(missing, kind + " " + key + " does not exist in database");
        }
        return checkVisible(key, old);
    }

    /** Under exactly {@code key}: null when there is none, NS_MISMATCH when it is in another namespace. */
    final T exact(Database d, String key) throws SQLException {
        T item = load(d, key);
        return item == null ? null : checkVisible(key, item);
    }

    /** The one in our namespace whose key starts with {@code prefix}; null when none, INVALID_ARG when several. */
    final T byPrefix(Database d, String prefix) throws SQLException {
        String ns = namespace.current();
        List<T> found = query(d, "SELECT " + keyColumn + " FROM " + table + " WHERE substr(" + keyColumn
                + ", 1, ?) = ? AND (? = '' OR namespace = ?) ORDER BY rowid LIMIT 2", prefix.length(), prefix, ns, ns);
        if (found.size() > 1) {
            throw JpodException.of(ErrorCode.INVALID_ARG, "more than one result for " + kind + " " + keyWord
                    + " prefix " + prefix);
        }
        return found.isEmpty() ? null : found.get(0);
    }

    /** Whether {@code key} is stored and in our namespace. */
    final boolean has(Database d, String key) throws SQLException {
        require(key, kind + " " + keyWord);
        return visibleWhere(d, keyColumn, key);
    }

    /** Whether a row whose {@code column} is {@code value} is in our namespace. */
    final boolean visibleWhere(Database d, String column, String value) throws SQLException {
        String ns = d.one("SELECT namespace FROM " + table + " WHERE " + column + " = ?", rs -> rs.getString(1), value);
        return ns != null && namespace.sees(ns);
    }

    /** Whether {@code key} is stored, in any namespace. */
    final boolean exists(Database d, String key) throws SQLException {
        return d.one("SELECT 1 FROM " + table + " WHERE " + keyColumn + " = ?", rs -> true, key) != null;
    }

    /** The key of the row named {@code name}, in any namespace, or null; for the tables with a name column. */
    final String keyNamed(Database d, String name) throws SQLException {
        return d.one("SELECT " + keyColumn + " FROM " + table + " WHERE name = ?", rs -> rs.getString(1), name);
    }

    /** All in our namespace, in the order they were added. */
    final List<T> all(Database d) throws SQLException {
        String ns = namespace.current();
        return query(d, "SELECT " + keyColumn + " FROM " + table + " WHERE ? = '' OR namespace = ? ORDER BY rowid",
                ns, ns);
    }

    /** All in any namespace, in the order they were added. */
    final List<T> everything(Database d) throws SQLException {
        return query(d, "SELECT " + keyColumn + " FROM " + table + " ORDER BY rowid");
    }

    /** Fails with NS_MISMATCH when a new object is not in our namespace. */
    final void checkAddable(String key, T item) {
        if (!visible(item)) {
            throw namespace.mismatch("cannot add " + kind + " " + key + " as it", namespaceOf.apply(item));
        }
    }

    /** Stores {@code item} as the JSON of the existing row {@code key}. */
    final void rewrite(Database d, String key, T item) throws SQLException {
        d.update("UPDATE " + table + " SET json = ? WHERE " + keyColumn + " = ?", RecordJson.write(item), key);
        cached(key, item);
    }

    final void delete(Database d, String key) throws SQLException {
        d.update("DELETE FROM " + table + " WHERE " + keyColumn + " = ?", key);
        cache.remove(key);
    }

    /** Records that the open transaction wrote {@code item} under {@code key}. */
    final void cached(String key, T item) {
        cache.put(key, item);
    }

    final void commit() {
        cache.commit();
    }

    final void abandon() {
        cache.abandon();
    }
}
