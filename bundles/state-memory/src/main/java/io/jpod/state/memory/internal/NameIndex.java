package io.jpod.state.memory.internal;

import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;
import java.util.HashMap;
import java.util.Map;

/**
 * The names and IDs of containers and pods: one name space, as in libpod, so no container and pod share
 * either, across all namespaces; and the lookup by ID, name or ID prefix over it. Guarded by the core's lock.
 */
final class NameIndex {
    /** What holds an ID: the word for messages and the code of a clash. */
    enum Holder {
        CONTAINER("container", ErrorCode.CTR_EXISTS), POD("pod", ErrorCode.POD_EXISTS);

        private final String word;
        private final ErrorCode exists;

        Holder(String word, ErrorCode exists) {
            this.word = word;
            this.exists = exists;
        }
    }

    private final Map<String, String> idsByName = new HashMap<>();
    private final Map<String, Holder> holders = new HashMap<>();

    void claim(Holder holder, String id, String name) {
        idsByName.put(name, id);
        holders.put(id, holder);
    }

    void release(String id, String name) {
        idsByName.remove(name, id);
        holders.remove(id);
    }

    /** Moves {@code id} from {@code oldName} to {@code newName} (which {@link #checkRename} let through). */
    void rename(String id, String oldName, String newName) {
        idsByName.remove(oldName, id);
        idsByName.put(newName, id);
    }

    /** Fails with CTR_EXISTS or POD_EXISTS when the ID or the name is taken. */
    void checkUnused(String id, String name) {
        Holder holder = holders.get(id);
        if (holder != null) {
            throw JpodException.of(holder.exists, "ID \"" + id + "\" is in use by a " + holder.word);
        }
        checkNameUnused(name);
    }

    /** Fails as {@link #checkUnused} when a rename's new name is taken. */
    void checkRename(String oldName, String newName) {
        if (!newName.equals(oldName)) {
            checkNameUnused(newName);
        }
    }

    private void checkNameUnused(String name) {
        String id = idsByName.get(name);
        if (id != null) {
            Holder holder = holders.get(id);
            throw JpodException.of(holder.exists, "name \"" + name + "\" is in use by " + holder.word + " " + id);
        }
    }

    /**
     * In {@code wanted}, by full ID, then name, then unique ID prefix; a miss says so when the name is one of
     * {@code other}'s (a pod's name looked up as a container's).
     */
    <T> T lookup(String idOrName, Records<T> wanted, Records<?> other) {
        Records.require(idOrName, wanted.kind() + " name or ID");
        T item = wanted.exact(idOrName);
        if (item != null) {
            return item;
        }
        String byName = idsByName.get(idOrName);
        boolean isOther = false;
        if (byName != null) {
            item = wanted.visibleOrNull(byName);
            if (item != null) {
                return item;
            }
            isOther = other.visibleOrNull(byName) != null;
        }
        item = wanted.byPrefix(idOrName);
        if (item != null) {
            return item;
        }
        if (isOther) {
            throw JpodException.of(wanted.missing(), "\"" + idOrName + "\" is a " + other.kind() + ", not a "
                    + wanted.kind());
        }
        throw JpodException.of(wanted.missing(), "no " + wanted.kind() + " with name or ID \"" + idOrName + "\" found");
    }
}
