package io.managedb.maintenance;

import java.util.List;

/**
 * What {@code init} did; {@code changed} is false when the database was already initialised.
 *
 * @param seeded seed files run now (each seed file runs once per database)
 */
public record InitResult(String environment, String database, boolean created, boolean stamped,
                         List<String> migrationsApplied, String triggers, List<String> seeded, List<String> notes,
                         boolean changed) {
}
