package io.jpod.runtime.internal;

import io.jpod.api.Container;
import io.jpod.api.ContainerConfig;
import io.jpod.api.ContainerState;
import io.jpod.api.ErrorCode;
import io.jpod.api.Event;
import io.jpod.api.JpodException;
import io.jpod.api.Mount;
import io.jpod.api.PerNetworkOptions;
import io.jpod.api.Volume;
import io.jpod.api.config.JpodConfig;
import io.jpod.spi.lock.Locker;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** libpod's NewContainer: a container's record, lock, storage and the volumes it names, or none of them. */
final class ContainerCreation {
    private final JpodConfig config;
    private final Parts parts;
    private final Names names;
    private final VolumesService volumes;
    private final EventsService events;
    private final PodMembership pods;

    ContainerCreation(JpodConfig config, Parts parts, Names names, VolumesService volumes, EventsService events) {
        this.config = config;
        this.parts = parts;
        this.names = names;
        this.volumes = volumes;
        this.events = events;
        this.pods = new PodMembership(parts.state());
    }

    Container create(ContainerConfig spec) {
        spec = pods.apply(spec);
        ContainerSpecCheck.check(spec);
        spec = LimitsCheck.withDefaults(spec);
        String name = spec.name();
        boolean generated = name == null || name.isEmpty();
        if (generated) {
            name = names.uniqueName();
        } else {
            Names.check(name, "container");
        }
        String runtime = spec.ociRuntime() == null || spec.ociRuntime().isEmpty() ? parts.defaultRuntime()
                : spec.ociRuntime();
        parts.runtime(runtime);
        String id = spec.id() == null || spec.id().isEmpty() ? names.randomId() : spec.id();
        spec = networksByName(spec);
        Map<String, PerNetworkOptions> netOpts = staticNetworkOptions(spec);
        Locker lock = parts.locks().allocateLock();
        List<String> createdVolumes = new ArrayList<>();
        try {
            ContainerConfig cfg = spec.toBuilder().id(id).name(name).namespace(parts.state().namespace())
                    .lockId(lock.id()).ociRuntime(runtime).created(Instant.now())
                    .stopTimeout(spec.stopTimeout() > 0 ? spec.stopTimeout() : config.engine().stopTimeout())
                    .mounts(volumeMounts(spec.mounts(), createdVolumes))
                    .networkOptions(netOpts)
                    .build();
            boolean ownStorage = cfg.rootfs() == null || cfg.rootfs().isEmpty();
            if (ownStorage) {
                String imageId = cfg.imageId();
                if ((imageId == null || imageId.isEmpty()) && cfg.image() != null && !cfg.image().isEmpty()) {
                    imageId = parts.storage().image(cfg.image()).id();
                    cfg = cfg.toBuilder().imageId(imageId).build();
                }
                parts.storage().createContainer(id, imageId);
            }
            Container ctr = new Container(cfg, ContainerState.configured());
            for (int attempt = 1;; attempt++) {
                try {
                    parts.state().addContainer(ctr);
                    break;
                } catch (JpodException e) {
                    // a generated name is picked outside the state's lock: a create beside this one may have
                    // taken it meanwhile, so pick another, as libpod does
                    if (generated && attempt < NAME_ATTEMPTS && nameTaken(e) && !parts.state().hasContainer(id)) {
                        ctr = new Container(ctr.config().toBuilder().name(names.uniqueName()).build(), ctr.state());
                        continue;
                    }
                    if (ownStorage) {
                        parts.storage().deleteContainer(id);
                    }
                    throw e;
                } catch (RuntimeException e) {
                    if (ownStorage) {
                        parts.storage().deleteContainer(id);
                    }
                    throw e;
                }
            }
            events.record(Event.container("create", ctr));
            return ctr;
        } catch (RuntimeException e) {
            lock.free();
            for (String v : createdVolumes) {
                volumes.remove(parts.state().volume(v));
            }
            throw e;
        }
    }

    private static final int NAME_ATTEMPTS = 10;

    private static boolean nameTaken(JpodException e) {
        return JpodException.is(e, ErrorCode.CTR_EXISTS) || JpodException.is(e, ErrorCode.POD_EXISTS);
    }

    /**
     * The networks the container joins by their names, as the network backend finds them at start: a client may
     * name one by its ID or an ID prefix (Testcontainers does). A network that does not exist is NO_SUCH_NETWORK here.
     */
    private ContainerConfig networksByName(ContainerConfig spec) {
        if (spec.networks().isEmpty()) {
            return spec;
        }
        Map<String, String> byName = new java.util.LinkedHashMap<>();
        for (String n : spec.networks()) {
            byName.put(n, parts.networks().inspect(n).name());
        }
        Map<String, PerNetworkOptions> opts = new java.util.LinkedHashMap<>();
        spec.networkOptions().forEach((n, o) -> opts.put(byName.getOrDefault(n, n), o));
        return spec.withNetworks(byName.values().stream().distinct().toList(), opts);
    }

    /** The static addresses and MAC addresses checked against the networks the container joins. */
    private Map<String, PerNetworkOptions> staticNetworkOptions(ContainerConfig spec) {
        if (spec.networkOptions().values().stream().allMatch(PerNetworkOptions::isEmpty)) {
            return Map.of();
        }
        List<String> nets = spec.networks().isEmpty() ? List.of(parts.networks().defaultNetwork()) : spec.networks();
        return StaticAddresses.check(spec.networkMode(), nets, spec.networkOptions(), parts.networks()::inspect);
    }

    /**
     * Volume mounts as stored: a named volume that does not exist yet is created (as {@code -v name:/path}
     * does), one without a name is an anonymous volume made for this container.
     */
    private List<Mount> volumeMounts(List<Mount> mounts, List<String> created) {
        List<Mount> out = new ArrayList<>();
        for (Mount m : mounts) {
            if (!"volume".equals(m.type())) {
                out.add(m);
                continue;
            }
            String vol = m.source();
            if (vol == null || vol.isEmpty()) {
                vol = volumes.createAnonymous().name();
                created.add(vol);
            } else if (!parts.state().hasVolume(vol)) {
                volumes.create(new Volume(vol, null, null, null, null, null, 0, null, 0));
                created.add(vol);
            }
            out.add(new Mount("volume", vol, m.destination(), m.options()));
        }
        return out;
    }
}
