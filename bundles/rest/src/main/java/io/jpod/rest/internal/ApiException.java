package io.jpod.rest.internal;

import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;

/** An error answered as {@code {"message": ...}} with an HTTP status, as libpod's API answers them. */
final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    final int status;

    ApiException(int status, String message) {
        super(message);
        this.status = status;
    }

    static ApiException badRequest(String message) {
        return new ApiException(400, message);
    }

    static ApiException notFound(String message) {
        return new ApiException(404, message);
    }

    /** The status libpod's handlers give for an engine error. */
    static int statusOf(JpodException e) {
        ErrorCode c = e.code();
        if (c == null) {
            return 500;
        }
        return switch (c) {
            case NO_SUCH_CTR, NO_SUCH_POD, NO_SUCH_VOLUME, NO_SUCH_IMAGE, NO_SUCH_NETWORK, NO_SUCH_EXEC_SESSION,
                    CTR_REMOVED, POD_REMOVED, VOLUME_REMOVED, NO_SUCH_PATH -> 404;
            case CTR_EXISTS, POD_EXISTS, VOLUME_EXISTS, IMAGE_EXISTS, CTR_STATE_INVALID, POD_STATE_INVALID,
                    IMAGE_IN_USE, CTR_IN_USE, VOLUME_BEING_USED, NETWORK_IN_USE, NETWORK_EXISTS -> 409;
            case INVALID_ARG, EMPTY_ID, CONFIG_INVALID, NS_MISMATCH -> 400;
            case RUNTIME_STOPPED, RUNTIME_FINALIZED, DB_CLOSED, PROVIDER_MISSING -> 503;
            case NOT_IMPLEMENTED -> 501;
            // docker's and podman's answers to a registry's 401; a blocked registry is refused as a 403
            case UNAUTHORIZED -> 401;
            case REGISTRY_BLOCKED, READ_ONLY -> 403;
            default -> 500;
        };
    }
}
