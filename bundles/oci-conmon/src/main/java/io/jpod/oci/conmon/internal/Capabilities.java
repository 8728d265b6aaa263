package io.jpod.oci.conmon.internal;

import io.jpod.api.ContainerSecurity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Capability names by number (linux/capability.h), cut at the host kernel's last one. */
final class Capabilities {
    private static final List<String> NAMES = ContainerSecurity.CAPABILITIES;

    private Capabilities() {
    }

    /** Every capability the running kernel knows (all that this list names when it cannot tell). */
    static List<String> all() {
        try {
            int last = Integer.parseInt(Files.readString(Path.of("/proc/sys/kernel/cap_last_cap")).trim());
            return NAMES.subList(0, Math.min(NAMES.size(), last + 1));
        } catch (IOException | NumberFormatException e) {
            return NAMES;
        }
    }

    /** The container's capabilities: its security options over {@code defaults}, ALL being the kernel's. */
    static List<String> resolve(List<String> defaults, ContainerSecurity sec) {
        return sec.capabilities(defaults, all());
    }
}
