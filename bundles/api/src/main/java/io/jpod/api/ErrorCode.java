package io.jpod.api;

/**
 * The kinds of failure the engine reports, mirroring libpod's {@code define.Err*} values so that
 * the REST layer and the CLI can map them to the statuses and exit codes podman users know.
 */
public enum ErrorCode {
    /** define.ErrNoSuchCtr */
    NO_SUCH_CTR("no such container"),
    /** define.ErrNoSuchPod */
    NO_SUCH_POD("no such pod"),
    /** define.ErrNoSuchVolume */
    NO_SUCH_VOLUME("no such volume"),
    /** define.ErrNoSuchImage */
    NO_SUCH_IMAGE("no such image"),
    /** define.ErrNoSuchNetwork */
    NO_SUCH_NETWORK("no such network"),
    /** define.ErrNoSuchExecSession */
    NO_SUCH_EXEC_SESSION("no such exec session"),
    /** define.ErrCtrExists */
    CTR_EXISTS("container already exists"),
    /** define.ErrPodExists */
    POD_EXISTS("pod already exists"),
    /** define.ErrVolumeExists */
    VOLUME_EXISTS("volume already exists"),
    /** define.ErrImageExists */
    IMAGE_EXISTS("image already exists"),
    /** define.ErrInvalidArg */
    INVALID_ARG("invalid argument"),
    /** define.ErrEmptyID */
    EMPTY_ID("name or ID cannot be empty"),
    /** define.ErrCtrStateInvalid */
    CTR_STATE_INVALID("container state improper"),
    /** define.ErrPodStateInvalid? libpod spells it ErrPodPartialFail for pods; kept for pod transitions */
    POD_STATE_INVALID("pod state improper"),
    /** define.ErrCtrRemoved */
    CTR_REMOVED("container has already been removed"),
    /** define.ErrPodRemoved */
    POD_REMOVED("pod has already been removed"),
    /** define.ErrVolumeRemoved */
    VOLUME_REMOVED("volume has already been removed"),
    /** define.ErrVolumeBeingUsed */
    VOLUME_BEING_USED("volume is being used"),
    /** define.ErrImageInUse */
    IMAGE_IN_USE("image is in use by a container"),
    /** define.ErrCtrExists between pods and containers: define.ErrPodInUse */
    CTR_IN_USE("container is in use"),
    /** define.ErrNSMismatch */
    NS_MISMATCH("target is in a different namespace"),
    /** define.ErrRuntimeStopped */
    RUNTIME_STOPPED("runtime has already been stopped"),
    /** define.ErrRuntimeFinalized */
    RUNTIME_FINALIZED("runtime has been finalized"),
    /** define.ErrDBBadConfig */
    DB_BAD_CONFIG("database configuration mismatch"),
    /** define.ErrDBClosed */
    DB_CLOSED("database connection closed"),
    /** lock.Manager: allocation failed because every lock is taken (ENOSPC in libpod's shm lock) */
    LOCKS_EXHAUSTED("all locks have been allocated"),
    /** define.ErrOCIRuntime */
    OCI_RUNTIME("OCI runtime error"),
    /** define.ErrOCIRuntimeNotFound: the command was not found (exit 127) */
    OCI_RUNTIME_NOT_FOUND("executable file not found in $PATH"),
    /** define.ErrOCIRuntimePermissionDenied: the command could not be executed (exit 126) */
    OCI_RUNTIME_PERMISSION_DENIED("permission denied"),
    /** define.ErrOCIRuntimeUnavailable */
    OCI_RUNTIME_UNAVAILABLE("OCI runtime not available in the current configuration"),
    /** a configuration file or value is invalid */
    CONFIG_INVALID("invalid configuration"),
    /** a provider the configuration names is not installed (no engine can be assembled) */
    PROVIDER_MISSING("provider not installed"),
    /** define.ErrNetworkInUse */
    NETWORK_IN_USE("network is being used"),
    /** define.ErrNetworkExists */
    NETWORK_EXISTS("network already exists"),
    /** A registry refused the credentials, or wants some: what podman's "unauthorized" errors say. */
    UNAUTHORIZED("unauthorized: authentication required"),
    /** A registry that does not answer in time, or cannot be reached. */
    REGISTRY_UNREACHABLE("registry unreachable"),
    /** registries.conf blocks the registry (define.ErrBlockedRegistry's meaning). */
    REGISTRY_BLOCKED("registry is blocked in registries.conf"),
    /** A path that is not in a container (copier's ENOENT, docker's "Could not find the file") */
    NO_SUCH_PATH("no such file or directory"),
    /** A write to a read-only root filesystem or mount (docker's ErrRootFSReadOnly, ErrVolumeReadonly) */
    READ_ONLY("read-only file system"),
    /** define.ErrNotImplemented */
    NOT_IMPLEMENTED("not implemented"),
    /** define.ErrInternal */
    INTERNAL("internal libpod error");

    private final String text;

    ErrorCode(String text) {
        this.text = text;
    }

    /** The short description libpod's error value carries, e.g. {@code "no such container"}. */
    public String text() {
        return text;
    }
}
