package io.managedb.migrate;

/**
 * One migration as {@code migrate status} shows it.
 *
 * @param state         applied, pending, failed, missing, outdated, ignored, baseline, future, ...
 * @param checksumMatch whether the file still matches what was applied; null when not applicable
 */
public record MigrationRow(String version, String description, String type, String state, String installedOn,
                           Integer executionTimeMs, Boolean checksumMatch, String script) {
}
