package io.managedb.cli;

import io.managedb.cli.options.DestructiveOptions;
import io.managedb.config.Environment;
import io.managedb.migrate.RollbackResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code migrate rollback}: undoes the last applied migrations. */
@Command(name = "rollback", aliases = "down", description = "Undo the last applied migrations with their U scripts.")
final class MigrateRollbackCommand extends BaseCommand {
    @Mixin DestructiveOptions destructive;

    @Option(names = "--steps", paramLabel = "N", defaultValue = "1", description = "How many (default 1).") int steps;

    @Option(names = "--target", paramLabel = "VERSION", description = "Undo every migration newer than VERSION.")
    String targetVersion;

    @Option(names = "--no-backup", description = "No backup first on a protected environment.") boolean noBackup;

    @Option(names = "--dry-run", description = "List what would be undone; change nothing.") boolean dryRun;

    @Override
    public Integer call() {
        Environment env = config().environment(destructive.env());
        Output out = output();
        RollbackResult r = migrate().rollback(env, steps, targetVersion, noBackup, dryRun,
                destructive.lockWait(), destructive.guard(session().context().prompter()),
                ProgressPrinter.forSession(session(), out));
        return out.result(r, text -> MigrateRendering.rollback(text, r));
    }
}
