package io.managedb.cli;

import io.managedb.cli.options.DestructiveOptions;
import io.managedb.triggers.TriggerReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code triggers remove}: removes manage-db's triggers. */
@Command(name = "remove", description = "Remove manage-db's triggers (tables and data are left untouched).")
final class TriggersRemoveCommand extends BaseCommand {
    @Mixin DestructiveOptions destructive;

    @Option(names = "--set", paramLabel = "NAME", description = "Only this set: updated_at, audit or files.")
    String set;

    @Option(names = "--drop-audit-log", description = "Also drop manage_db.audit_log.") boolean dropAuditLog;

    @Override
    public Integer call() {
        TriggerReport r = Services.triggers(session()).remove(config().environment(destructive.env()), set, dropAuditLog,
                destructive.lockWait(), destructive.guard(session().context().prompter()));
        return output().result(r, text -> {
            r.removed().forEach(x -> text.line("removed " + x));
            text.line(r.removed().size() + " object(s) removed");
        });
    }
}
