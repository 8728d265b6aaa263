package io.jpod.cli;

/** An error answered by the service (status and its JSON message), or the service not reachable (status 0). */
final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int status;

    ApiException(int status, String message) {
        super(message);
        this.status = status;
    }

    ApiException(String message, Throwable cause) {
        super(message, cause);
        this.status = 0;
    }
}
