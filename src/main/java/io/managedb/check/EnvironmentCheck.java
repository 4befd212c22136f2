package io.managedb.check;

import java.util.List;

/**
 * Health of one environment. Fields the check could not reach are null.
 *
 * @param problems what is wrong, one line each; empty when healthy
 */
public record EnvironmentCheck(String environment, String target, boolean zeroConfigDefault, boolean protectedEnv,
                               boolean reachable, Double latencyMs, String serverVersion,
                               List<ToolStatus> tools, Long databaseSizeBytes, Integer tables,
                               MigrationState migrations, String stamp, NewestBackup newestBackup,
                               String triggers, List<String> problems) {

    /** The newest good backup of an environment. */
    public record NewestBackup(String path, String createdAt, long ageSeconds) {
    }

    public boolean healthy() {
        return reachable && problems.isEmpty();
    }
}
