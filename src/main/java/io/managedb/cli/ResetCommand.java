package io.managedb.cli;

import io.managedb.cli.options.DestructiveOptions;
import io.managedb.maintenance.ResetResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "reset", description = "Drop and recreate a database (after a safety backup), optionally init it.")
final class ResetCommand extends BaseCommand {
    @Mixin DestructiveOptions destructive;

    @Option(names = "--init", description = "Run init afterwards (migrations, triggers).") boolean init;

    @Option(names = "--seed", description = "With --init: also run the seed files.") boolean seed;

    @Option(names = "--no-safety-backup", description = "Do not back up the database first.") boolean noSafetyBackup;

    @Override
    public Integer call() {
        Output out = output();
        ResetResult r = Services.reset(session()).reset(config().environment(destructive.env()), init || seed, seed,
                !noSafetyBackup, destructive.lockWait(),
                destructive.guard(session().context().prompter()),
                ProgressPrinter.forSession(session(), out));
        return out.result(r, text -> {
            if (r.safetyBackup() != null) {
                text.line("safety backup: " + r.safetyBackup());
            }
            text.line(r.mode().equals("recreated") ? "dropped and recreated database " + r.database()
                    : "no CREATEDB privilege: dropped the contents of every schema of " + r.database() + " instead");
            text.line(r.sessionsTerminated() + " other session(s) terminated");
            if (r.init() != null) {
                InitCommand.render(text, r.init());
            }
        });
    }
}
