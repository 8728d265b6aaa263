package io.jpod.api;

/**
 * The paths a state database was created with, as libpod's DBConfig. They are stored when the
 * database is created; a later start with other explicit paths is refused, since the stored objects
 * point into the old ones.
 */
public record DBConfig(String staticDir, String tmpDir, String graphRoot, String runRoot, String graphDriver,
        String volumePath) {
}
