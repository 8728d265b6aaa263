package io.jpod.api;

/**
 * One path a container changed against its image, as {@code docker diff} lists it.
 *
 * @param path the absolute path in the container, e.g. {@code /etc/hosts}
 * @param kind {@link #MODIFIED} (0, {@code C}), {@link #ADDED} (1, {@code A}) or {@link #DELETED} (2, {@code D}),
 *             the numbers Docker's {@code GET /containers/{id}/changes} answers
 */
public record FileChange(String path, int kind) {
    public static final int MODIFIED = 0;
    public static final int ADDED = 1;
    public static final int DELETED = 2;

    public FileChange {
        if (path == null || !path.startsWith("/")) {
            throw new IllegalArgumentException("a change's path must be absolute: " + path);
        }
        if (kind < MODIFIED || kind > DELETED) {
            throw new IllegalArgumentException("a change's kind is 0, 1 or 2: " + kind);
        }
    }

    /** The letter {@code docker diff} prints: {@code C}, {@code A} or {@code D}. */
    public String letter() {
        return switch (kind) {
            case MODIFIED -> "C";
            case ADDED -> "A";
            default -> "D";
        };
    }
}
