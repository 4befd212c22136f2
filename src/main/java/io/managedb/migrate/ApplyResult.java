package io.managedb.migrate;

import java.util.List;

/**
 * What {@code migrate apply} did, or with dryRun would do.
 *
 * @param baselineVersion the baseline recorded first (--baseline-on-migrate on a database without history), or null
 * @param count           how many migrations were applied (or are pending)
 * @param migrations      the scripts applied (or pending), in order, with their SQL when it was asked for
 * @param backup          the pre-migrate backup, or null
 */
public record ApplyResult(String environment, String database, boolean dryRun, String fromVersion, String toVersion,
                          String baselineVersion, int count, List<Script> migrations, String backup,
                          double durationSeconds) {

    /** A migration script; sql is null unless requested. */
    public record Script(String version, String description, String script, String sql) {
    }
}
