package io.jpod.state.memory.internal;

import io.jpod.api.Container;
import io.jpod.api.ErrorCode;
import io.jpod.api.Mount;
import java.util.ArrayList;
import java.util.List;

/** The containers, by ID. */
final class ContainerRecords extends Records<Container> {

    ContainerRecords(Namespace namespace) {
        super(namespace, "container", "ID", ErrorCode.NO_SUCH_CTR, Container::id, c -> c.config().namespace());
    }

    /** IDs of the containers that mount the named volume, whatever their namespace. */
    List<String> mounting(String volumeName) {
        List<String> ids = new ArrayList<>();
        for (Container c : values()) {
            for (Mount m : c.config().mounts()) {
                if ("volume".equals(m.type()) && volumeName.equals(m.source())) {
                    ids.add(c.id());
                    break;
                }
            }
        }
        return ids;
    }

    /** Every container with what does not survive a reboot reset. */
    List<Container> refreshed() {
        return values().stream().map(c -> c.withState(c.state().refreshed())).toList();
    }
}
