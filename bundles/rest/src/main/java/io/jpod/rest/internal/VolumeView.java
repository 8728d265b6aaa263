package io.jpod.rest.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jpod.api.Volume;

/** A volume as Docker's and libpod's APIs show it: libpod's adds its mount count to Docker's fields. */
final class VolumeView {
    private final Shapes shapes;

    VolumeView(Shapes shapes) {
        this.shapes = shapes;
    }

    ObjectNode docker(Volume v) {
        ObjectNode o = shapes.object();
        o.put("Name", v.name());
        o.put("Driver", v.driver());
        o.put("Mountpoint", v.mountPoint());
        o.put("CreatedAt", Shapes.time(v.created()));
        o.set("Labels", shapes.map(v.labels()));
        o.put("Scope", "local");
        o.set("Options", shapes.map(v.options()));
        return o;
    }

    ObjectNode libpod(Volume v) {
        ObjectNode o = docker(v);
        o.put("MountCount", v.mountCount());
        o.put("NeedsCopyUp", false);
        o.put("NeedsChown", false);
        return o;
    }
}
