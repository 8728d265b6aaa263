package io.jpod.api.config;

/**
 * Overrides given at start, as libpod's RuntimeOptions ({@code WithStorageConfig}, {@code WithStateType},
 * {@code WithOCIRuntime}, {@code WithEventsLogger}, {@code WithTmpDir}, {@code WithStaticDir},
 * {@code WithVolumePath}, {@code WithNamespace}, {@code WithRenumber}, {@code WithMigrate},
 * {@code WithMigrateRuntime}). A null field is not set. These are the CLI's global flags and the
 * assembler's component properties of the same names.
 */
public record RuntimeOptions(String storageDriver, String graphRoot, String runRoot, String databaseBackend,
        String runtime, String eventsLogger, String lockType, String tmpDir, String staticDir, String volumePath,
        String namespace, boolean renumber, boolean migrate, String migrateRuntime) {

    public static final RuntimeOptions NONE = new RuntimeOptions(null, null, null, null, null, null, null, null, null,
            null, null, false, false, null);

    /** True when a path override was given explicitly for the DB config field of that name. */
    public boolean sets(String dbField) {
        return switch (dbField) {
            case "staticDir" -> staticDir != null;
            case "tmpDir" -> tmpDir != null;
            case "graphRoot" -> graphRoot != null;
            case "runRoot" -> runRoot != null;
            case "graphDriver" -> storageDriver != null;
            case "volumePath" -> volumePath != null;
            default -> false;
        };
    }
}
