package io.jpod.state.sqlite.internal;

import io.jpod.api.Container;
import io.jpod.api.ErrorCode;
import io.jpod.api.Mount;
import io.jpod.state.memory.internal.RecordJson;
import java.sql.SQLException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The containers, by ID, and in {@code container_volumes} the volumes each mounts. */
final class ContainerTable extends Table<Container> {

    ContainerTable(Namespace namespace) {
        super("containers", "id", Container.class, namespace, "container", "ID", ErrorCode.NO_SUCH_CTR,
                c -> c.config().namespace());
    }

    /** The names of the volumes a container mounts. */
    private static Set<String> volumesOf(Container ctr) {
        Set<String> names = new LinkedHashSet<>();
        for (Mount m : ctr.config().mounts()) {
            if ("volume".equals(m.type()) && m.source() != null) {
                names.add(m.source());
            }
        }
        return names;
    }

    private static void writeVolumeUsers(Database d, String id, Set<String> volumes) throws SQLException {
        for (String v : volumes) {
            d.update("INSERT INTO container_volumes (container, volume) VALUES (?, ?)", id, v);
        }
    }

    void insert(Database d, Container ctr) throws SQLException {
        d.update("INSERT INTO containers (id, name, namespace, pod, json) VALUES (?, ?, ?, ?, ?)", ctr.id(),
                ctr.name(), ctr.config().namespace(), ctr.config().pod(), RecordJson.write(ctr));
        cached(ctr.id(), ctr);
        writeVolumeUsers(d, ctr.id(), volumesOf(ctr));
    }

    /** Replaces {@code old} by {@code ctr}, which has its ID, pod and namespace. */
    void update(Database d, Container old, Container ctr) throws SQLException {
        String id = ctr.id();
        d.update("UPDATE containers SET name = ?, json = ? WHERE id = ?", ctr.name(), RecordJson.write(ctr), id);
        cached(id, ctr);
        Set<String> volumes = volumesOf(ctr);
        if (!volumes.equals(volumesOf(old))) {
            d.update("DELETE FROM container_volumes WHERE container = ?", id);
            writeVolumeUsers(d, id, volumes);
        }
    }

    /** Every container with what does not survive a reboot reset. */
    void refresh(Database d) throws SQLException {
        for (Container c : everything(d)) {
            rewrite(d, c.id(), c.withState(c.state().refreshed()));
        }
    }

    /** IDs of the containers in the pod, in the order they were added. */
    List<String> members(Database d, String podId) throws SQLException {
        return d.list("SELECT id FROM containers WHERE pod = ? ORDER BY rowid", rs -> rs.getString(1), podId);
    }

    /** IDs of the containers that mount the named volume, whatever their namespace. */
    List<String> mounting(Database d, String volume) throws SQLException {
        return d.list("SELECT c.id FROM container_volumes v JOIN containers c ON c.id = v.container"
                + " WHERE v.volume = ? ORDER BY c.rowid", rs -> rs.getString(1), volume);
    }
}
