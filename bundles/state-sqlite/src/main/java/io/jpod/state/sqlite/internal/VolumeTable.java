package io.jpod.state.sqlite.internal;

import io.jpod.api.ErrorCode;
import io.jpod.api.Volume;
import io.jpod.state.memory.internal.RecordJson;
import java.sql.SQLException;

/** The volumes, by name. */
final class VolumeTable extends Table<Volume> {

    VolumeTable(Namespace namespace) {
        super("volumes", "name", Volume.class, namespace, "volume", "name", ErrorCode.NO_SUCH_VOLUME,
                Volume::namespace);
    }

    void insert(Database d, Volume volume) throws SQLException {
        d.update("INSERT INTO volumes (name, namespace, json) VALUES (?, ?, ?)", volume.name(), volume.namespace(),
                RecordJson.write(volume));
        cached(volume.name(), volume);
    }

    void update(Database d, Volume volume) throws SQLException {
        d.update("UPDATE volumes SET namespace = ?, json = ? WHERE name = ?", volume.namespace(),
                RecordJson.write(volume), volume.name());
        cached(volume.name(), volume);
    }

    /** Every volume unmounted, as after a reboot. */
    void refresh(Database d) throws SQLException {
        for (Volume v : everything(d)) {
            rewrite(d, v.name(), v.withMountCount(0));
        }
    }
}
