package io.jpod.runtime.internal;

import io.jpod.api.Container;
import io.jpod.api.ErrorCode;
import io.jpod.api.Event;
import io.jpod.api.JpodException;
import java.util.HashMap;
import java.util.Map;

/**
 * Renaming a container (libpod's Container.rename): under its lock, in one change of the state; the name rule and
 * the names of containers and pods are checked, and a {@code rename} event carries the old name as docker's does.
 */
final class ContainerRenaming {
    private final Parts parts;
    private final Names names;
    private final Lifecycle lifecycle;
    private final EventsService events;

    ContainerRenaming(Parts parts, Names names, Lifecycle lifecycle, EventsService events) {
        this.parts = parts;
        this.names = names;
        this.lifecycle = lifecycle;
        this.events = events;
    }

    Container rename(String idOrName, String newName) {
        if (newName == null || newName.isEmpty()) {
            throw new JpodException(ErrorCode.INVALID_ARG, "must provide a new name for the container");
        }
        String name = newName.startsWith("/") ? newName.substring(1) : newName;
        Names.check(name, "container");
        String id = names.containerId(idOrName);
        return lifecycle.locked(id, c -> {
            if (c.name().equals(name)) {
                return c;
            }
            if (c.config().pod() != null && isInfra(c)) {
                throw new JpodException(ErrorCode.NOT_IMPLEMENTED, "infra containers cannot be renamed: "
                        + "rename the pod instead");
            }
            String old = c.name();
            Container renamed = parts.state().renameContainer(c.id(), name);
            Map<String, String> attrs = new HashMap<>(renamed.config().labels());
            attrs.put("oldName", old);
            Event base = Event.container("rename", renamed);
            events.record(new Event(base.type(), base.status(), base.time(), base.id(), base.name(), base.image(),
                    null, attrs));
            return renamed;
        });
    }

    private boolean isInfra(Container c) {
        try {
            return c.id().equals(parts.state().pod(c.config().pod()).infraContainerId());
        } catch (JpodException gone) {
            return false;
        }
    }
}
