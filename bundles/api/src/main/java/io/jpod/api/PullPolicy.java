package io.jpod.api;

import java.util.Locale;

/** When a pull (or a {@code run}/{@code create} that needs an image) asks the registry, as podman's {@code --pull}. */
public enum PullPolicy {
    /** Always ask the registry; a stored image of the same manifest is only named again. */
    ALWAYS,
    /** Ask the registry only when no image of that name is stored (podman's and docker's default). */
    MISSING,
    /** Never ask: the image must be stored. */
    NEVER,
    /** Ask the registry; keep the stored image when the registry has the same one or cannot be reached. */
    NEWER;

    /**
     * {@code always}, {@code missing}, {@code never}, {@code newer} in any case (also podman's {@code true}/
     * {@code false} spellings: always, never); null or empty is {@link #MISSING}.
     */
    public static PullPolicy parse(String s) {
        if (s == null || s.isBlank()) {
            return MISSING;
        }
        return switch (s.strip().toLowerCase(Locale.ROOT)) {
            case "always", "true" -> ALWAYS;
            case "missing", "ifmissing", "ifnotpresent" -> MISSING;
            case "never", "false" -> NEVER;
            case "newer", "ifnewer" -> NEWER;
            default -> throw new JpodException(ErrorCode.INVALID_ARG, "unsupported pull policy \"" + s
                    + "\": use always, missing, never or newer: " + ErrorCode.INVALID_ARG.text());
        };
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
