package io.managedb.cli;

import io.managedb.ExitCode;
import io.managedb.cli.options.ConfirmOptions;
import io.managedb.cli.options.TargetOptions;
import io.managedb.cli.options.WaitOptions;
import io.managedb.safety.Guard;
import io.managedb.triggers.TriggerInfo;
import io.managedb.triggers.TriggerReport;
import io.managedb.triggers.TriggerVerification;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.List;

@Command(name = "triggers", description = "Managed triggers: updated_at, audit, and the project's trigger files.",
        subcommands = {TriggersCommand.Apply.class, TriggersCommand.Verify.class, TriggersCommand.ListTriggers.class,
            TriggersCommand.Remove.class},
        footerHeading = "%nExamples:%n",
        footer = {"  manage-db triggers apply -e test",
                  "  manage-db triggers verify -e prod      exit 7 when a trigger is missing, disabled or changed",
                  "  manage-db triggers list",
                  "  manage-db triggers remove -e dev --set audit -y",
                  "",
                  "Settings: MANAGE_DB_TRIGGERS (updated_at,audit), MANAGE_DB_UPDATED_AT_COLUMNS,",
                  "MANAGE_DB_AUDIT_TABLES, MANAGE_DB_AUDIT_EXCLUDE_COLUMNS, MANAGE_DB_TRIGGERS_DIR."})
final class TriggersCommand extends BaseCommand {
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCode.USAGE.code();
    }

    static void render(Text text, TriggerReport r) {
        r.created().forEach(x -> text.line((r.dryRun() ? "would create " : "created ") + x));
        r.replaced().forEach(x -> text.line((r.dryRun() ? "would replace " : "replaced ") + x));
        r.removed().forEach(x -> text.line((r.dryRun() ? "would remove " : "removed ") + x));
        text.line(r.upToDate() ? "triggers of " + r.environment() + " are up to date (" + r.unchanged().size()
                + " left alone)" : r.unchanged().size() + " left alone" + (r.dryRun() ? " (dry run: nothing changed)" : ""));
    }

    @Command(name = "apply", description = "Install or update the enabled sets and the project files (one transaction).",
        footerHeading = "%nExamples:%n",
        footer = {"  manage-db triggers apply -e test",
                  "  manage-db triggers apply -e prod --dry-run",
                  "  manage-db triggers apply -e dev --json"})
    static final class Apply extends BaseCommand {
        @Mixin
        TargetOptions target;

        @Mixin
        WaitOptions waitOptions;

        @Option(names = "--dry-run", description = "Report what would change; change nothing.")
        boolean dryRun;

        @Override
        public Integer call() {
            TriggerReport r = Services.triggers(session()).apply(config().environment(target.env), dryRun,
                    waitOptions.duration());
            return output().result(r, text -> render(text, r));
        }
    }

    @Command(name = "verify", description = "Exit 7 when a managed trigger is missing, disabled or changed.",
        footerHeading = "%nExamples:%n",
        footer = {"  manage-db triggers verify -e prod",
                  "  manage-db triggers verify -e test --json"})
    static final class Verify extends BaseCommand {
        @Mixin
        TargetOptions target;

        @Override
        public Integer call() {
            TriggerVerification r = Services.triggers(session()).verify(config().environment(target.env));
            return output().result(r, r.ok() ? ExitCode.OK : ExitCode.CHECK_FAILED, text -> {
                text.line(r.ok() ? r.checked() + " managed triggers of " + r.environment() + " are in place"
                        : r.problems().size() + " problem(s) with the triggers of " + r.environment() + ":");
                r.problems().forEach(p -> text.line("  " + p));
            });
        }
    }

    @Command(name = "list", description = "Every trigger: table, timing, events, function, enabled, managed.",
        footerHeading = "%nExamples:%n",
        footer = {"  manage-db triggers list",
                  "  manage-db triggers list -e prod --json"})
    static final class ListTriggers extends BaseCommand {
        @Mixin
        TargetOptions target;

        @Override
        public Integer call() {
            List<TriggerInfo> r = Services.triggers(session()).list(config().environment(target.env));
            return output().result(r, text -> text.table(List.of("TABLE", "TRIGGER", "TIMING", "EVENTS", "FUNCTION",
                    "ENABLED", "MANAGED"), r.stream().map(t -> List.of(t.table(), t.name(), t.timing(), t.events(),
                    t.function(), t.enabled() ? "yes" : text.bad("no"), t.managedBy() == null ? "" : t.managedBy()))
                    .toList()));
        }
    }

    @Command(name = "remove", description = "Remove manage-db's triggers (tables and data are left untouched).",
        footerHeading = "%nExamples:%n",
        footer = {"  manage-db triggers remove -e dev -y",
                  "  manage-db triggers remove -e dev -y --set audit --drop-audit-log",
                  "  manage-db triggers remove -e prod --confirm prod --set updated_at"})
    static final class Remove extends BaseCommand {
        @Mixin
        TargetOptions target;

        @Mixin
        ConfirmOptions confirm;

        @Mixin
        WaitOptions waitOptions;

        @Option(names = "--set", paramLabel = "NAME", description = "Only this set: updated_at, audit or files.")
        String set;

        @Option(names = "--drop-audit-log", description = "Also drop manage_db.audit_log.")
        boolean dropAuditLog;

        @Override
        public Integer call() {
            TriggerReport r = Services.triggers(session()).remove(config().environment(target.env), set, dropAuditLog,
                    waitOptions.duration(), new Guard(confirm.yes, confirm.confirm, session().context().prompter()));
            return output().result(r, text -> {
                r.removed().forEach(x -> text.line("removed " + x));
                text.line(r.removed().size() + " object(s) removed");
            });
        }
    }
}
