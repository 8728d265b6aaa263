package io.jpod.rest.internal;

import static io.jpod.rest.internal.Shapes.ZERO_TIME;
import static io.jpod.rest.internal.Shapes.bare;
import static io.jpod.rest.internal.Shapes.epoch;
import static io.jpod.rest.internal.Shapes.goArch;
import static io.jpod.rest.internal.Shapes.imageId;
import static io.jpod.rest.internal.Shapes.time;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jpod.api.ImageConfig;
import io.jpod.api.ImageInfo;

/** An image as Docker's and libpod's list and inspect show it. */
final class ImageView {
    private final Shapes shapes;

    ImageView(Shapes shapes) {
        this.shapes = shapes;
    }


    ObjectNode dockerImageSummary(ImageInfo i) {
        ObjectNode o = shapes.object();
        o.put("Id", imageId(i.id()));
        o.put("ParentId", "");
        o.set("RepoTags", shapes.strings(i.names()));
        o.set("RepoDigests", repoDigests(i));
        o.put("Created", epoch(i.created()));
        o.put("Size", i.size());
        o.put("SharedSize", -1);
        o.put("VirtualSize", i.size());
        o.set("Labels", shapes.map(i.config().labels()));
        o.put("Containers", -1);
        return o;
    }

    ArrayNode repoDigests(ImageInfo i) {
        ArrayNode digests = shapes.array();
        if (!i.repoDigests().isEmpty()) {
            i.repoDigests().forEach(digests::add);
        } else if (i.digest() != null) {
            for (String n : i.names()) {
                digests.add(repo(n) + "@" + i.digest());
            }
        }
        return digests;
    }

    static String repo(String name) {
        int slash = name.lastIndexOf('/');
        int colon = name.lastIndexOf(':');
        return colon > slash ? name.substring(0, colon) : name;
    }

    ObjectNode imageConfig(ImageConfig c) {
        ObjectNode o = shapes.object();
        o.put("User", c.user() == null ? "" : c.user());
        ObjectNode ports = shapes.object();
        c.exposedPorts().forEach(p -> ports.putObject(p));
        if (!c.exposedPorts().isEmpty()) {
            o.set("ExposedPorts", ports);
        }
        o.set("Env", shapes.strings(c.env()));
        o.set("Cmd", shapes.strings(c.cmd()));
        if (!c.entrypoint().isEmpty()) {
            o.set("Entrypoint", shapes.strings(c.entrypoint()));
        } else {
            o.putNull("Entrypoint");
        }
        ObjectNode vols = shapes.object();
        c.volumes().forEach(v -> vols.putObject(v));
        if (!c.volumes().isEmpty()) {
            o.set("Volumes", vols);
        }
        o.put("WorkingDir", c.workingDir() == null ? "" : c.workingDir());
        o.set("Labels", shapes.map(c.labels()));
        if (c.stopSignal() != null) {
            o.put("StopSignal", c.stopSignal());
        }
        if (!c.onBuild().isEmpty()) {
            o.set("OnBuild", shapes.strings(c.onBuild()));
        }
        if (c.healthcheck() != null) {
            ObjectNode hc = o.putObject("Healthcheck");
            c.healthcheck().test().forEach(hc.putArray("Test")::add);
            putPositive(hc, "Interval", c.healthcheck().interval());
            putPositive(hc, "Timeout", c.healthcheck().timeout());
            putPositive(hc, "StartPeriod", c.healthcheck().startPeriod());
            putPositive(hc, "Retries", c.healthcheck().retries());
        }
        return o;
    }

    private static void putPositive(ObjectNode o, String field, long v) {
        if (v > 0) {
            o.put(field, v);
        }
    }

    ObjectNode dockerImageInspect(ImageInfo i, String driver) {
        ObjectNode o = dockerImageSummary(i);
        o.remove("ParentId");
        o.remove("SharedSize");
        o.remove("Containers");
        o.remove("Labels");
        o.put("Parent", "");
        o.put("Comment", "");
        o.put("Created", time(i.created()));
        o.put("DockerVersion", "");
        o.put("Author", "");
        o.set("Config", imageConfig(i.config()));
        o.put("Architecture", i.architecture() == null ? goArch() : i.architecture());
        if (i.variant() != null) {
            o.put("Variant", i.variant());
        }
        o.put("Os", i.os() == null ? "linux" : i.os());
        ObjectNode gd = o.putObject("GraphDriver");
        gd.put("Name", driver == null ? "" : driver);
        gd.putObject("Data");
        ObjectNode rootfs = o.putObject("RootFS");
        rootfs.put("Type", "layers");
        rootfs.set("Layers", shapes.strings(i.layers().stream().map(Shapes::imageId).toList()));
        o.putObject("Metadata").put("LastTagTime", ZERO_TIME);
        return o;
    }

    ObjectNode libpodImageSummary(ImageInfo i) {
        ObjectNode o = dockerImageSummary(i);
        o.put("Id", bare(i.id()));
        o.put("SharedSize", 0);
        o.put("Containers", 0);
        o.set("Names", shapes.strings(i.names()));
        o.put("Digest", i.digest() == null ? "" : i.digest());
        o.set("History", shapes.strings(i.names()));
        return o;
    }

    ObjectNode libpodImageInspect(ImageInfo i, String driver) {
        ObjectNode o = shapes.object();
        o.put("Id", bare(i.id()));
        o.put("Digest", i.digest() == null ? "" : i.digest());
        o.set("RepoTags", shapes.strings(i.names()));
        o.set("RepoDigests", repoDigests(i));
        o.put("Parent", "");
        o.put("Comment", "");
        o.put("Created", time(i.created()));
        o.set("Config", imageConfig(i.config()));
        if (o.path("Config").has("Healthcheck")) {
            o.set("HealthCheck", o.path("Config").path("Healthcheck")); // podman's ImageData shows it here too
        }
        o.put("Version", "");
        o.put("Author", "");
        o.put("Architecture", i.architecture() == null ? goArch() : i.architecture());
        if (i.variant() != null) {
            o.put("Variant", i.variant());
        }
        o.put("Os", i.os() == null ? "linux" : i.os());
        o.put("Size", i.size());
        o.put("VirtualSize", i.size());
        ObjectNode gd = o.putObject("GraphDriver");
        gd.put("Name", driver == null ? "" : driver);
        gd.putObject("Data");
        ObjectNode rootfs = o.putObject("RootFS");
        rootfs.put("Type", "layers");
        rootfs.set("Layers", shapes.strings(i.layers().stream().map(Shapes::imageId).toList()));
        o.set("Labels", shapes.map(i.config().labels()));
        o.putObject("Annotations");
        o.put("ManifestType", "application/vnd.oci.image.manifest.v1+json");
        o.put("User", i.config().user() == null ? "" : i.config().user());
        o.set("History", shapes.array());
        o.set("NamesHistory", shapes.strings(i.names()));
        return o;
    }
}
