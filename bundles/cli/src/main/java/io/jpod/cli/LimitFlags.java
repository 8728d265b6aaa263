package io.jpod.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * podman's resource and security flags of create and run, written into the SpecGenerator as podman-remote writes
 * them: resource_limits (with {@code --cpus} as a quota per 100ms period), cap_add/cap_drop, privileged,
 * read_only_filesystem, no_new_privileges, seccomp_profile_path, devices, sysctl, groups, shm_size, init.
 */
final class LimitFlags {
    @Mixin
    ResourceFlags resources = new ResourceFlags();
    @Option(names = "--oom-kill-disable", description = "Disable OOM Killer")
    boolean oomKillDisable;
    @Option(names = "--shm-size", description = "Size of /dev/shm (format: <number>[<unit>], where unit = b, k, m or g)")
    String shmSize;
    @Option(names = "--device", description = "Add a host device to the container")
    List<String> devices = new ArrayList<>();
    @Option(names = "--tmpfs", description = "Mount a temporary filesystem (tmpfs) into a container")
    List<String> tmpfs = new ArrayList<>();
    @Option(names = "--sysctl", description = "Sysctl options")
    List<String> sysctls = new ArrayList<>();
    @Option(names = "--group-add", description = "Add additional groups to the primary container process")
    List<String> groupAdd = new ArrayList<>();
    @Option(names = "--cap-add", description = "Add capabilities to the container")
    List<String> capAdd = new ArrayList<>();
    @Option(names = "--cap-drop", description = "Drop capabilities from the container")
    List<String> capDrop = new ArrayList<>();
    @Option(names = "--privileged", description = "Give extended privileges to container")
    boolean privileged;
    @Option(names = "--security-opt", description = "Security Options (no-new-privileges, seccomp=unconfined|<file>, label=disable)")
    List<String> securityOpts = new ArrayList<>();
    @Option(names = "--read-only", description = "Make containers root filesystem read-only")
    boolean readOnly;
    @Option(names = "--read-only-tmpfs", arity = "0..1", description = "When running --read-only containers mount read-write tmpfs on /dev, /dev/shm, /run, /tmp and /var/tmp (default true)")
    boolean readOnlyTmpfs = true;
    @Option(names = "--init", description = "Run an init binary inside the container that forwards signals and reaps processes")
    boolean init;

    /** Adds the flags that were given to {@code s}, the SpecGenerator. */
    void apply(ObjectNode s) {
        ObjectNode rl = resources.linuxResources(s, oomKillDisable);
        if (!rl.isEmpty()) {
            s.set("resource_limits", rl);
        }
        if (shmSize != null) {
            s.put("shm_size", ResourceFlags.bytes(shmSize, "--shm-size"));
        }
        strings(s, "cap_add", capAdd);
        strings(s, "cap_drop", capDrop);
        strings(s, "groups", groupAdd);
        if (privileged) {
            s.put("privileged", true);
        }
        if (readOnly) {
            s.put("read_only_filesystem", true);
            s.put("read_write_tmpfs", readOnlyTmpfs);
        }
        if (init) {
            s.put("init", true);
        }
        if (!devices.isEmpty()) {
            ArrayNode d = s.putArray("devices");
            devices.forEach(p -> d.addObject().put("path", p));
        }
        if (!sysctls.isEmpty()) {
            ObjectNode o = s.putObject("sysctl");
            for (String kv : sysctls) {
                int eq = kv.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("invalid sysctl " + kv + ": use key=value");
                }
                o.put(kv.substring(0, eq), kv.substring(eq + 1));
            }
        }
        if (!tmpfs.isEmpty()) {
            ArrayNode m = s.has("mounts") ? (ArrayNode) s.get("mounts") : s.putArray("mounts");
            for (String t : tmpfs) {
                int colon = t.indexOf(':');
                ObjectNode mount = m.addObject().put("destination", colon < 0 ? t : t.substring(0, colon))
                        .put("source", "tmpfs").put("type", "tmpfs");
                ArrayNode opts = mount.putArray("options");
                if (colon >= 0) {
                    for (String o : t.substring(colon + 1).split(",")) {
                        if (!o.isEmpty()) {
                            opts.add(o);
                        }
                    }
                }
            }
        }
        for (String opt : securityOpts) {
            String o = opt.trim();
            if (o.equals("no-new-privileges") || o.equals("no-new-privileges=true")
                    || o.equals("no-new-privileges:true")) {
                s.put("no_new_privileges", true);
            } else if (o.startsWith("seccomp=") || o.startsWith("seccomp:")) {
                s.put("seccomp_profile_path", o.substring(8));
            } else if (o.equals("label=disable") || o.equals("label:disable")) {
                (s.has("selinux_opts") ? (ArrayNode) s.get("selinux_opts") : s.putArray("selinux_opts")).add("disable");
            } else {
                throw new IllegalArgumentException("--security-opt " + o + " is not supported: use no-new-privileges, "
                        + "seccomp=unconfined|<file> or label=disable");
            }
        }
    }

    private static void strings(ObjectNode s, String field, List<String> values) {
        if (!values.isEmpty()) {
            ArrayNode a = s.putArray(field);
            values.forEach(a::add);
        }
    }

}
