package io.jpod.state.memory.internal;

import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;
import io.jpod.api.Volume;
import java.util.List;

/** The volumes, by name: a name space of their own. */
final class VolumeRecords extends Records<Volume> {

    VolumeRecords(Namespace namespace) {
        super(namespace, "volume", "name", ErrorCode.NO_SUCH_VOLUME, Volume::name, Volume::namespace);
    }

    /** Fails with VOLUME_EXISTS when the name is taken, in any namespace. */
    void checkUnused(String name) {
        if (get(name) != null) {
            throw JpodException.of(ErrorCode.VOLUME_EXISTS, "volume with name " + name + " already exists in state");
        }
    }

    /** By full name, then unique name prefix. */
    Volume lookup(String nameOrPrefix) {
        require(nameOrPrefix, "volume name");
        Volume v = exact(nameOrPrefix);
        if (v == null) {
            v = byPrefix(nameOrPrefix);
        }
        if (v == null) {
            throw JpodException.of(ErrorCode.NO_SUCH_VOLUME, "no volume with name \"" + nameOrPrefix + "\" found");
        }
        return v;
    }

    /** Every volume with its mount count reset, as after a reboot. */
    List<Volume> refreshed() {
        return values().stream().map(v -> v.withMountCount(0)).toList();
    }
}
