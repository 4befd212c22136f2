package io.managedb.migrate;

import java.util.List;

/**
 * What {@code migrate status} reports; {@code ok} is false when anything is pending, failed, missing or edited after
 * being applied (the --check gate).
 */
public record StatusResult(String environment, String database, String currentVersion, List<MigrationRow> migrations,
                           int pending, int failed, List<String> problems, boolean ok) {
}
