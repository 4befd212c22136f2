package io.managedb.cli;

import io.managedb.cli.options.DestructiveOptions;
import io.managedb.migrate.RepairSummary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code migrate repair}: removes failed history entries and realigns checksums. */
@Command(name = "repair", description = "Remove failed entries from the history and realign checksums.")
final class MigrateRepairCommand extends BaseCommand {
    @Mixin DestructiveOptions destructive;

    @Override
    public Integer call() {
        RepairSummary r = migrate().repair(config().environment(destructive.env()),
                destructive.lockWait(), destructive.guard(session().context().prompter()));
        return output().result(r, text -> {
            r.removedFailed().forEach(n -> text.line("removed failed entry " + n));
            r.aligned().forEach(n -> text.line("realigned checksum of " + n));
            r.markedDeleted().forEach(n -> text.line("marked missing " + n + " as deleted"));
            text.line("repair of " + r.environment() + " done");
        });
    }
}
