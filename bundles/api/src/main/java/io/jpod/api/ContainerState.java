package io.jpod.api;

import java.time.Instant;

/**
 * What changes while a container lives, as libpod's ContainerState. Everything here but the exit
 * record is reset by a refresh after reboot.
 *
 * @param status       where in its life the container is
 * @param pid          the PID of its init process, 0 when not running
 * @param conmonPid    the PID of its conmon, 0 when none
 * @param exitCode     the exit code of its last run
 * @param exited       whether {@code exitCode} is meaningful
 * @param oomKilled    whether the last run was killed by the OOM killer
 * @param startedAt    when it last started, or null
 * @param finishedAt   when it last exited, or null
 * @param mountPoint   where its root filesystem is mounted, or null
 * @param netNsPath    the path of its network namespace, or null
 * @param runDir       its per-boot directory (pid, exit, attach files), or null
 * @param restartCount how often the restart policy restarted it
 * @param error        the last error recorded for it, or null
 */
public record ContainerState(
        ContainerStatus status,
        int pid,
        int conmonPid,
        int exitCode,
        boolean exited,
        boolean oomKilled,
        Instant startedAt,
        Instant finishedAt,
        String mountPoint,
        String netNsPath,
        String runDir,
        int restartCount,
        String error) {

    public ContainerState {
        status = status == null ? ContainerStatus.CONFIGURED : status;
    }

    /** The state of a container that was just added to the state. */
    public static ContainerState configured() {
        return new ContainerState(ContainerStatus.CONFIGURED, 0, 0, 0, false, false, null, null, null, null, null, 0, null);
    }

    public ContainerState withStatus(ContainerStatus s) {
        return new ContainerState(s, pid, conmonPid, exitCode, exited, oomKilled, startedAt, finishedAt, mountPoint,
                netNsPath, runDir, restartCount, error);
    }

    public ContainerState withProcess(int newPid, int newConmonPid) {
        return new ContainerState(status, newPid, newConmonPid, exitCode, exited, oomKilled, startedAt, finishedAt,
                mountPoint, netNsPath, runDir, restartCount, error);
    }

    public ContainerState withStarted(Instant at) {
        return new ContainerState(status, pid, conmonPid, exitCode, exited, oomKilled, at, finishedAt, mountPoint,
                netNsPath, runDir, restartCount, error);
    }

    public ContainerState withExit(int code, boolean oom, Instant at) {
        return new ContainerState(status, 0, 0, code, true, oom, startedAt, at, mountPoint, netNsPath, runDir,
                restartCount, error);
    }

    public ContainerState withMountPoint(String path) {
        return new ContainerState(status, pid, conmonPid, exitCode, exited, oomKilled, startedAt, finishedAt, path,
                netNsPath, runDir, restartCount, error);
    }

    public ContainerState withNetNsPath(String path) {
        return new ContainerState(status, pid, conmonPid, exitCode, exited, oomKilled, startedAt, finishedAt,
                mountPoint, path, runDir, restartCount, error);
    }

    public ContainerState withRunDir(String path) {
        return new ContainerState(status, pid, conmonPid, exitCode, exited, oomKilled, startedAt, finishedAt,
                mountPoint, netNsPath, path, restartCount, error);
    }

    public ContainerState withRestartCount(int n) {
        return new ContainerState(status, pid, conmonPid, exitCode, exited, oomKilled, startedAt, finishedAt,
                mountPoint, netNsPath, runDir, n, error);
    }

    public ContainerState withError(String message) {
        return new ContainerState(status, pid, conmonPid, exitCode, exited, oomKilled, startedAt, finishedAt,
                mountPoint, netNsPath, runDir, restartCount, message);
    }

    /**
     * The state after a reboot, as libpod's {@code Container.refresh}: no process, no mount, no network
     * namespace; a container that was created, running, paused or stopping is exited or configured.
     */
    public ContainerState refreshed() {
        ContainerStatus s = switch (status) {
            case CONFIGURED, EXITED -> status;
            case CREATED, STOPPED -> ContainerStatus.CONFIGURED;
            case RUNNING, PAUSED, STOPPING, REMOVING, UNKNOWN -> ContainerStatus.EXITED;
        };
        return new ContainerState(s, 0, 0, exitCode, exited, oomKilled, startedAt, finishedAt, null, null, null,
                restartCount, error);
    }
}
