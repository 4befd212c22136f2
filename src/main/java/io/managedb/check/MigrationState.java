package io.managedb.check;

/** What Flyway's history table and the migrations directory say. */
public record MigrationState(String currentVersion, int applied, int pending, int failed) {
}
