package io.jpod.storage.overlay.internal;

import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;
import io.jpod.spi.JpodName;
import io.jpod.spi.ProviderContext;
import io.jpod.spi.storage.Storage;
import io.jpod.spi.storage.StorageProvider;
import io.jpod.storage.common.internal.Roots;
import io.jpod.storage.common.internal.Store;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.osgi.service.component.annotations.Component;

/**
 * The {@code overlay} storage driver: image layers as overlayfs lower directories, a container's writable
 * layer as the upper directory, mounted with {@code mount -t overlay}. Needs root, an overlay-capable kernel
 * and {@code setfattr} (Debian's attr package) for opaque directories.
 */
@Component(service = StorageProvider.class)
@JpodName("overlay")
public class OverlayStorageProvider implements StorageProvider {
    private static final Path FILESYSTEMS = Path.of("/proc/filesystems");

    @Override
    public Storage open(ProviderContext context) {
        String program = Roots.options(context).get("mount_program");
        if (program != null && !program.isBlank()) {
            throw new JpodException(ErrorCode.CONFIG_INVALID, "storage.options.mount_program (" + program
                    + ") is not supported by jpod's overlay driver: remove it, the kernel's overlayfs is used");
        }
        if (!kernelHasOverlay()) {
            throw new JpodException(ErrorCode.CONFIG_INVALID, "the kernel has no overlay file system (see "
                    + FILESYSTEMS + "; try modprobe overlay), or set storage.driver = \"vfs\"");
        }
        Path graphRoot = Roots.graphRoot(context);
        try {
            return Store.open(new OverlayDriver(graphRoot), graphRoot, Roots.runRoot(context));
        } catch (IOException e) {
            throw new JpodException(ErrorCode.INTERNAL, "cannot open the overlay storage at " + graphRoot + ": "
                    + e.getMessage(), e);
        }
    }

    static boolean kernelHasOverlay() {
        try {
            return Files.readAllLines(FILESYSTEMS).stream().anyMatch(l -> l.endsWith("\toverlay"));
        } catch (IOException e) {
            return false;
        }
    }
}
