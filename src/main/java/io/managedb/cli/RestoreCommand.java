package io.managedb.cli;

import io.managedb.cli.options.DestructiveOptions;
import io.managedb.config.Environment;
import io.managedb.restore.RestoreRequest;
import io.managedb.restore.RestoreResult;
import io.managedb.safety.Guard;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "restore", description = "Replace an environment's database with a backup, atomically.")
final class RestoreCommand extends BaseCommand {
    @Mixin DestructiveOptions destructive;

    @Parameters(paramLabel = "FILE|latest", description = "A backup file, or latest: the newest good full backup of ENV"
            + " (or of --from ENV2); safety, schema-only and data-only backups are not considered.") String backup;

    @Option(names = "--from", paramLabel = "ENV2", description = "With latest: take ENV2's newest backup.") String from;

    @Option(names = {"-j", "--jobs"}, paramLabel = "N", defaultValue = "1",
            description = "Parallel restore jobs (custom and directory backups).") int jobs;

    @Option(names = "--no-safety-backup", description = "Do not back up the target first.") boolean noSafetyBackup;

    @Option(names = "--keep-ownership", description = "Restore owners and privileges as they were in the backup"
            + " (default: like pg_restore --no-owner --no-acl, so that backups move between servers).")
    boolean keepOwnership;

    @Option(names = "--schema-only", description = "Restore a schema-only backup: the database is replaced by the"
            + " backup's schema, with no rows. Required for such a backup; latest never picks one.") boolean schemaOnly;

    @Override
    public Integer call() {
        Environment env = config().environment(destructive.env());
        Environment fromEnv = from == null ? null : config().environment(from);
        Output out = output();
        RestoreRequest request = new RestoreRequest(backup.equals("latest") ? null
                : Services.catalog(session()).locate(backup, session().workDir(), env), fromEnv, jobs, !noSafetyBackup,
                keepOwnership, destructive.lockWait(), schemaOnly);
        Guard guard = destructive.guard(session().context().prompter());
        RestoreResult r = Services.restore(session()).restore(env, request, guard,
                ProgressPrinter.forSession(session(), out));
        return out.result(r, text -> {
            text.line("restored " + r.archive() + " into " + r.environment() + " (database " + r.database() + ") in "
                    + r.durationSeconds() + " s");
            if (r.safetyBackup() != null) {
                text.line("safety backup: " + r.safetyBackup());
            }
            if (r.tablesVerified() != null) {
                text.line("row counts of " + r.tablesVerified() + " tables match the backup");
            }
            if (r.sessionsTerminated() > 0) {
                text.line(r.sessionsTerminated() + " session(s) of the old database were disconnected");
            }
        });
    }
}
