package io.jpod.config.internal;

import java.util.List;
import java.util.Map;
import java.util.Set;

/** The tables and keys jpod reads; anything else in a file is ignored (and logged at DEBUG). */
final class Schema {

    static final String CONTAINERS = "containers";
    static final String ENGINE = "engine";
    static final String NETWORK = "network";
    static final String STORAGE = "storage";

    /** Keys of each known table. A key listed here whose value is a table of free-form keys is in {@link #FREE_TABLES}. */
    static final Map<String, Set<String>> KEYS = Map.of(
            CONTAINERS, Set.of("default_capabilities", "default_sysctls", "default_ulimits", "env", "log_driver",
                    "log_size_max", "pids_limit", "shm_size", "seccomp_profile", "tz", "umask", "init",
                    "annotations"),
            ENGINE, Set.of("cgroup_manager", "conmon_path", "database_backend", "events_logger",
                    "events_logfile_path", "events_logfile_max_size", "lock_type", "num_locks", "namespace",
                    "runtime", "runtimes", "static_dir", "tmp_dir", "volume_path", "stop_timeout",
                    "exit_command_delay", "no_pivot_root", "detach_keys", "infra_image", "service_timeout"),
            NETWORK, Set.of("network_backend", "cni_plugin_dirs", "network_config_dir", "default_network",
                    "default_subnet", "default_subnet_pools"),
            STORAGE, Set.of("driver", "graphroot", "runroot", "options"));

    /** Tables whose keys are names the user chooses: every key in them is read. */
    static final Set<List<String>> FREE_TABLES = Set.of(List.of(ENGINE, "runtimes"), List.of(STORAGE, "options"));

    /** The DB config field each path key maps to (libpod's StaticDirSet, TmpDirSet, ... and storage flags). */
    static final Map<List<String>, String> DB_FIELDS = Map.of(
            List.of(ENGINE, "static_dir"), "staticDir",
            List.of(ENGINE, "tmp_dir"), "tmpDir",
            List.of(ENGINE, "volume_path"), "volumePath",
            List.of(STORAGE, "graphroot"), "graphRoot",
            List.of(STORAGE, "runroot"), "runRoot",
            List.of(STORAGE, "driver"), "graphDriver");

    private Schema() {
    }
}
