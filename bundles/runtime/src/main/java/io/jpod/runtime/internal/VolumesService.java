package io.jpod.runtime.internal;

import io.jpod.api.Container;
import io.jpod.api.ErrorCode;
import io.jpod.api.Event;
import io.jpod.api.JpodException;
import io.jpod.api.Mount;
import io.jpod.api.Volume;
import io.jpod.api.Volumes;
import io.jpod.spi.lock.Locker;
import io.jpod.util.internal.FileTrees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Named and anonymous volumes (libpod's runtime_volume.go and volume_api.go). */
final class VolumesService implements Volumes {
    private static final Logger LOG = LoggerFactory.getLogger(VolumesService.class);

    /** Labels the volumes a container's creation made for it; they go with the container. */
    static final String ANONYMOUS = "io.jpod.anonymous";

    private final EngineGate gate;
    private final Parts parts;
    private final Path volumePath;
    private final Names names;
    private final EventsService events;
    private final ContainerRemoval removal;

    VolumesService(EngineGate gate, Parts parts, Path volumePath, Names names, EventsService events,
            ContainerRemoval removal) {
        this.gate = gate;
        this.parts = parts;
        this.volumePath = volumePath;
        this.names = names;
        this.events = events;
        this.removal = removal;
    }

    @Override
    public Volume createVolume(Volume spec) {
        return gate.call(() -> create(spec));
    }

    /** Inside a call of the engine's: for a container's creation, which makes the volumes it names. */
    Volume create(Volume spec) {
        String name = spec.name();
        if (name == null || name.isEmpty()) {
            name = names.randomId();
        } else if (!NameGenerator.NAME.matcher(name).matches()) {
            throw new JpodException(ErrorCode.INVALID_ARG, "volume name \"" + name
                    + "\" is invalid: names must match [a-zA-Z0-9][a-zA-Z0-9_.-]*");
        }
        if (parts.state().hasVolume(name)) {
            throw new JpodException(ErrorCode.VOLUME_EXISTS, "volume with name " + name
                    + " already exists: volume already exists");
        }
        Path data = volumePath.resolve(name).resolve("_data");
        Locker lock = parts.locks().allocateLock();
        try {
            Files.createDirectories(data);
            Volume vol = new Volume(name, spec.driver(), data.toString(), spec.labels(), spec.options(),
                    parts.state().namespace(), lock.id(), Instant.now(), 0);
            parts.state().addVolume(vol);
            events.record(new Event(Event.Type.VOLUME, "create", Instant.now(), null, vol.name(), null, null,
                    vol.labels()));
            return vol;
        } catch (IOException e) {
            lock.free();
            throw new JpodException(ErrorCode.INTERNAL, "cannot create the directory of volume " + name + " at "
                    + data + ": " + e.getMessage() + "; check that volume_path is writable");
        } catch (RuntimeException e) {
            lock.free();
            throw e;
        }
    }

    @Override
    public Volume volume(String nameOrPrefix) {
        return gate.call(() -> parts.state().lookupVolume(Names.requireId(nameOrPrefix)));
    }

    @Override
    public List<Volume> volumes() {
        return gate.call(() -> parts.state().allVolumes());
    }

    @Override
    public void removeVolume(String name, boolean force) {
        gate.run(() -> {
            Volume vol = parts.state().lookupVolume(Names.requireId(name));
            List<String> users = parts.state().volumeInUse(vol.name());
            if (!users.isEmpty()) {
                if (!force) {
                    throw new JpodException(ErrorCode.VOLUME_BEING_USED, "volume " + vol.name()
                            + " is being used by the following container(s): " + String.join(", ", users)
                            + ": volume is being used");
                }
                for (String ctrId : users) {
                    removal.remove(ctrId, true);
                }
            }
            remove(vol);
        });
    }

    void remove(Volume vol) {
        parts.state().removeVolume(vol.name());
        parts.locks().retrieveLock(vol.lockId()).free();
        try {
            FileTrees.delete(Path.of(vol.mountPoint()).getParent());
        } catch (IOException e) {
            LOG.warn("could not delete the directory of volume {}: {}", vol.name(), e.getMessage());
        }
        events.record(new Event(Event.Type.VOLUME, "remove", Instant.now(), null, vol.name(), null, null,
                vol.labels()));
    }

    /** After a container went: the anonymous volumes made for it, which nothing else mounts. */
    void removeAnonymous(Container ctr) {
        for (Mount m : ctr.config().mounts()) {
            if (!"volume".equals(m.type()) || m.source() == null) {
                continue;
            }
            try {
                Volume v = parts.state().volume(m.source());
                if ("true".equals(v.labels().get(ANONYMOUS)) && parts.state().volumeInUse(v.name()).isEmpty()) {
                    remove(v);
                }
            } catch (JpodException gone) {
                // removed already
            }
        }
    }

    /** A volume made for one container, labelled so that it goes with it. */
    Volume createAnonymous() {
        return create(new Volume(null, null, null, Map.of(ANONYMOUS, "true"), null, null, 0, null, 0));
    }
}
