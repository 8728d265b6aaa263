package io.jpod.api.config;

import java.util.List;

/**
 * The {@code [containers]} section.
 *
 * @param defaultCapabilities capabilities a container gets by default ({@code default_capabilities})
 * @param defaultSysctls      sysctls set in every container ({@code default_sysctls})
 * @param defaultUlimits      ulimits such as {@code nofile=1024:1024} ({@code default_ulimits})
 * @param env                 environment added to every container ({@code env})
 * @param logDriver           {@code k8s-file}, {@code journald} or {@code none} ({@code log_driver})
 * @param logSizeMax          bytes a container log may grow to, -1 for unlimited ({@code log_size_max})
 * @param pidsLimit           the pids cgroup limit, 0 for none ({@code pids_limit})
 * @param shmSize             size of /dev/shm, e.g. {@code 65536k} ({@code shm_size})
 * @param seccompProfile      path of the seccomp profile ({@code seccomp_profile})
 * @param tz                  timezone of containers ({@code tz})
 * @param umask               umask of containers ({@code umask})
 * @param init                run an init inside containers ({@code init})
 * @param annotations         annotations added to every container, {@code key=value} ({@code annotations})
 */
public record ContainersConfig(List<String> defaultCapabilities, List<String> defaultSysctls,
        List<String> defaultUlimits, List<String> env, String logDriver, long logSizeMax, long pidsLimit,
        String shmSize, String seccompProfile, String tz, String umask, boolean init, List<String> annotations) {

    public ContainersConfig {
        defaultCapabilities = List.copyOf(defaultCapabilities);
        defaultSysctls = List.copyOf(defaultSysctls);
        defaultUlimits = List.copyOf(defaultUlimits);
        env = List.copyOf(env);
        annotations = List.copyOf(annotations);
    }
}
