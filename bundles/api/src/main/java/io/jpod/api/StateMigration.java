package io.jpod.api;

/**
 * What {@link EngineAssembler#migrateState} moved from one state provider's store to another's.
 *
 * @param from       the state provider the engine used before
 * @param to         the state provider it uses now
 * @param containers how many containers were copied
 * @param pods       how many pods were copied
 * @param volumes    how many volumes were copied
 * @param exitCodes  how many recorded exit codes were copied
 * @param configFile the jpod.conf whose {@code database_backend} now names {@code to}
 */
public record StateMigration(String from, String to, int containers, int pods, int volumes, int exitCodes,
        String configFile) {
}
