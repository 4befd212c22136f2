package io.managedb.cli;

import io.managedb.config.Environment;
import io.managedb.migrate.ApplyOptions;
import io.managedb.migrate.ApplyResult;
import io.managedb.safety.Guard;
import io.managedb.safety.Prompter;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** {@code migrate apply}: applies pending migrations. */
@Command(name = "apply", aliases = "up", description = "Apply pending migrations, each in its own transaction.")
final class MigrateApplyCommand extends LockingCommand {
    @Option(names = "--target", paramLabel = "VERSION", description = "Apply up to this version only.")
    String targetVersion;

    @ArgGroup(exclusive = true) BackupChoice backup;

    static final class BackupChoice {
        @Option(names = "--backup", description = "Back up first (label pre-migrate), on any environment.")
        boolean always;

        @Option(names = "--no-backup", description = "No backup first, even on a protected environment.") boolean never;
    }

    @Option(names = "--dry-run", description = "List what would run (with -v, print the SQL); change nothing.")
    boolean dryRun;

    @Option(names = "--baseline-on-migrate", description = "On a non-empty database without migration history,"
            + " record a baseline first (as 'migrate baseline' does), then apply what is newer.")
    boolean baselineOnMigrate;

    @Option(names = "--baseline-version", paramLabel = "V",
            description = "The version --baseline-on-migrate records (default 1).") String baselineVersion;

    @Option(names = "--confirm", paramLabel = "ENV", description = "Name the target environment, as CI jobs do"
            + " for protected ones: a name that is not -e's refuses (exit 5) before anything runs.") String confirm;

    @Override
    public Integer call() {
        if (baselineVersion != null && !baselineOnMigrate) {
            throw new ParameterException(spec.commandLine(), "--baseline-version needs --baseline-on-migrate");
        }
        Environment env = config().environment(target.env());
        if (confirm != null) {
            new Guard(true, confirm, Prompter.NONE).confirm(env, "apply migrations");
        }
        ApplyOptions.BackupMode mode = backup == null ? ApplyOptions.BackupMode.AUTO
                : backup.always ? ApplyOptions.BackupMode.ALWAYS : ApplyOptions.BackupMode.NEVER;
        Output out = output();
        ApplyResult r = migrate().apply(env, new ApplyOptions(targetVersion, mode, dryRun,
                dryRun && session().options().verbose, target.lockWait(), baselineOnMigrate, baselineVersion),
                ProgressPrinter.forSession(session(), out));
        return out.result(r, text -> MigrateRendering.apply(text, r));
    }
}
