package io.jpod.api.config;

import java.util.List;
import java.util.Map;

/**
 * The {@code [engine]} section, with {@code [engine.runtimes]}.
 *
 * @param cgroupManager      {@code cgroupfs} or {@code systemd} ({@code cgroup_manager})
 * @param conmonPath         where to look for conmon ({@code conmon_path})
 * @param databaseBackend    the state provider's name ({@code database_backend})
 * @param eventsLogger       the events provider's name ({@code events_logger})
 * @param eventsLogfilePath  the file events go to ({@code events_logfile_path})
 * @param eventsLogfileMaxSize bytes after which the events file is rotated ({@code events_logfile_max_size})
 * @param lockType           the lock provider's name ({@code lock_type})
 * @param numLocks           how many locks exist ({@code num_locks})
 * @param namespace          the libpod namespace ({@code namespace})
 * @param runtime            the default OCI runtime's name, or an absolute path ({@code runtime})
 * @param runtimes           runtime names and the paths where their binary may be ({@code [engine.runtimes]})
 * @param staticDir          where the state DB and static files live ({@code static_dir})
 * @param tmpDir             the per-boot dir ({@code tmp_dir})
 * @param volumePath         where named volumes live ({@code volume_path})
 * @param stopTimeout        default seconds before SIGKILL on stop ({@code stop_timeout})
 * @param exitCommandDelay   seconds conmon's exit command waits ({@code exit_command_delay})
 * @param noPivotRoot        do not use pivot_root ({@code no_pivot_root})
 * @param detachKeys         the detach key sequence ({@code detach_keys})
 * @param infraImage         the infra container image ({@code infra_image})
 * @param serviceTimeout     seconds the API service lingers idle, 0 for ever ({@code service_timeout})
 */
public record EngineConfig(String cgroupManager, List<String> conmonPath, String databaseBackend,
        String eventsLogger, String eventsLogfilePath, long eventsLogfileMaxSize, String lockType, int numLocks,
        String namespace, String runtime, Map<String, List<String>> runtimes, String staticDir, String tmpDir,
        String volumePath, long stopTimeout, long exitCommandDelay, boolean noPivotRoot, String detachKeys,
        String infraImage, long serviceTimeout) {

    public EngineConfig {
        conmonPath = List.copyOf(conmonPath);
        runtimes = runtimes.entrySet().stream().collect(java.util.stream.Collectors.toUnmodifiableMap(
                Map.Entry::getKey, e -> List.copyOf(e.getValue())));
    }
}
