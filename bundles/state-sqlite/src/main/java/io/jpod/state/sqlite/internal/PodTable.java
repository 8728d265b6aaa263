package io.jpod.state.sqlite.internal;

import io.jpod.api.ErrorCode;
import io.jpod.api.Pod;
import io.jpod.state.memory.internal.RecordJson;
import java.sql.SQLException;

/** The pods, by ID; their members are the containers whose {@code pod} column names them. */
final class PodTable extends Table<Pod> {

    PodTable(Namespace namespace) {
        super("pods", "id", Pod.class, namespace, "pod", "ID", ErrorCode.NO_SUCH_POD, Pod::namespace);
    }

    void insert(Database d, Pod pod) throws SQLException {
        d.update("INSERT INTO pods (id, name, namespace, json) VALUES (?, ?, ?, ?)", pod.id(), pod.name(),
                pod.namespace(), RecordJson.write(pod));
        cached(pod.id(), pod);
    }

    void update(Database d, Pod pod) throws SQLException {
        d.update("UPDATE pods SET name = ?, json = ? WHERE id = ?", pod.name(), RecordJson.write(pod), pod.id());
        cached(pod.id(), pod);
    }
}
