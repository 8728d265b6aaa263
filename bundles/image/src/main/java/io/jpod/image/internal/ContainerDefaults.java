package io.jpod.image.internal;

import io.jpod.api.ContainerConfig;
import io.jpod.api.Healthcheck;
import io.jpod.api.ImageConfig;
import io.jpod.api.Mount;
import io.jpod.api.Signals;
import io.jpod.spi.storage.Storage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A container spec completed from its image's config, as podman completes it: what the spec says wins. */
final class ContainerDefaults {
    private final ImageCatalog catalog;

    ContainerDefaults(ImageCatalog catalog) {
        this.catalog = catalog;
    }

    ContainerConfig apply(ContainerConfig spec) {
        String ref = spec.image() != null && !spec.image().isEmpty() ? spec.image() : spec.imageId();
        if (ref == null || ref.isEmpty()) {
            return spec;
        }
        Storage.Image img = catalog.resolve(ref);
        ImageConfig ic = catalog.info(img).config();
        ContainerConfig.Builder b = spec.toBuilder().imageId(img.id());
        if (spec.image() == null || spec.image().isEmpty()) {
            b.image(ref);
        }
        if (!spec.entrypoint().isEmpty()) {
            // an entrypoint given resets the image's Cmd, as in podman
            b.command(spec.command());
        } else {
            b.entrypoint(ic.entrypoint());
            b.command(spec.command().isEmpty() ? ic.cmd() : spec.command());
        }
        Map<String, String> env = new LinkedHashMap<>();
        for (String e : ic.env()) {
            // an image's NAME without a value is dropped, as docker drops it: filled in later it would be the
            // service's own environment, which an image must not read
            if (e.indexOf('=') > 0) {
                env.put(envKey(e), e);
            }
        }
        for (String e : spec.env()) {
            env.remove(envKey(e));
            env.put(envKey(e), e);
        }
        b.env(List.copyOf(env.values()));
        if ((spec.workingDir() == null || spec.workingDir().isEmpty()) && ic.workingDir() != null) {
            b.workingDir(ic.workingDir());
        }
        if ((spec.user() == null || spec.user().isEmpty()) && ic.user() != null) {
            b.user(ic.user());
        }
        Map<String, String> labels = new LinkedHashMap<>(ic.labels());
        labels.putAll(spec.labels());
        b.labels(labels);
        // the image's VOLUMEs become anonymous volumes, as podman makes them, unless something is mounted there
        List<Mount> mounts = new ArrayList<>(spec.mounts());
        for (String dest : ic.volumes()) {
            if (spec.mounts().stream().noneMatch(m -> dest.equals(m.destination()))) {
                mounts.add(new Mount("volume", "", dest, List.of()));
            }
        }
        b.mounts(mounts);
        // 0 and SIGTERM (the builder's default) count as not chosen: the image's STOPSIGNAL applies
        if ((spec.stopSignal() == 0 || spec.stopSignal() == 15) && ic.stopSignal() != null) {
            b.stopSignal(Signals.parse(ic.stopSignal()));
        }
        // the container's healthcheck over the image's, as Docker merges them; NONE turns the image's off
        Healthcheck hc = spec.healthcheck() == null ? ic.healthcheck() : spec.healthcheck().over(ic.healthcheck());
        b.healthcheck(hc == null || hc.test().isEmpty() ? null : hc);
        return b.build();
    }

    private static String envKey(String e) {
        int eq = e.indexOf('=');
        return eq < 0 ? e : e.substring(0, eq);
    }
}
