package io.managedb.cli;

import io.managedb.ExitCode;
import io.managedb.cli.options.ConfirmOptions;
import io.managedb.cli.options.TargetOptions;
import io.managedb.cli.options.WaitOptions;
import io.managedb.config.Environment;
import io.managedb.migrate.ApplyOptions;
import io.managedb.migrate.ApplyResult;
import io.managedb.migrate.CreateResult;
import io.managedb.migrate.MigrateService;
import io.managedb.migrate.RepairSummary;
import io.managedb.migrate.RollbackResult;
import io.managedb.migrate.StatusResult;
import io.managedb.migrate.ValidationResult;
import io.managedb.safety.Guard;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;

@Command(name = "migrate", description = "Schema migrations (Flyway SQL scripts in MANAGE_DB_MIGRATIONS_DIR).",
        subcommands = {MigrateCommand.Create.class, MigrateCommand.Apply.class, MigrateCommand.Rollback.class,
            MigrateCommand.Status.class, MigrateCommand.Validate.class, MigrateCommand.Baseline.class,
            MigrateCommand.Repair.class},
        footerHeading = "%nExamples:%n",
        footer = {"  manage-db migrate create \"add patient index\"",
                  "  manage-db migrate apply -e prod --confirm prod --json",
                  "  manage-db migrate status --check        CI gate: exit 7 when pending, failed or edited",
                  "  manage-db migrate rollback --steps 2 -e dev -y",
                  "",
                  "Scripts: V<version>__<desc>.sql (versioned), U<version>__<desc>.sql (its undo, run by",
                  "rollback), R__<desc>.sql (repeatable). A script that cannot run in a transaction (CREATE INDEX",
                  "CONCURRENTLY) is detected by Flyway, or set executeInTransaction=false in <script>.sql.conf."})
final class MigrateCommand extends BaseCommand {
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCode.USAGE.code();
    }

    /** The service, with a note on stderr when a Flyway CLI configuration supplied settings. */
    static MigrateService service(BaseCommand command, Output out) {
        MigrateService service = Services.migrate(command.session());
        if (service.settings().source() != null) {
            out.info("manage-db: using migrations settings from " + service.settings().source().getFileName() + " ("
                    + service.settings().source() + "): locations, table, schemas, placeholders");
        }
        return service;
    }

    @Command(name = "create", description = "Write a new migration and its undo script.",
            footerHeading = "%nExamples:%n",
            footer = {"  manage-db migrate create \"add patient index\"",
                      "  manage-db migrate create \"backfill totals\" --json"})
    static final class Create extends BaseCommand {
        @Parameters(paramLabel = "DESCRIPTION", description = "What the migration does, e.g. \"add patient index\".")
        String description;

        @Override
        public Integer call() {
            Output out = output();
            CreateResult r = service(this, out).create(description);
            return out.result(r, text -> {
                text.line(r.migration());
                text.line(r.undo());
            });
        }
    }

    @Command(name = "apply", aliases = "up", description = "Apply pending migrations, each in its own transaction.",
            footerHeading = "%nExamples:%n",
            footer = {"  manage-db migrate apply -e test",
                      "  manage-db migrate apply -e prod --confirm prod --json",
                      "  manage-db migrate apply -e dev --target 20261124120000 --dry-run",
                      "  manage-db migrate apply -e legacy --baseline-on-migrate --baseline-version 1"})
    static final class Apply extends BaseCommand {
        @Mixin
        TargetOptions target;

        @Mixin
        WaitOptions waitOptions;

        @Option(names = "--target", paramLabel = "VERSION", description = "Apply up to this version only.")
        String targetVersion;

        @ArgGroup(exclusive = true)
        BackupChoice backup;

        static final class BackupChoice {
            @Option(names = "--backup", description = "Back up first (label pre-migrate), on any environment.")
            boolean always;

            @Option(names = "--no-backup", description = "No backup first, even on a protected environment.")
            boolean never;
        }

        @Option(names = "--dry-run", description = "List what would run (with -v, print the SQL); change nothing.")
        boolean dryRun;

        @Option(names = "--baseline-on-migrate", description = "On a non-empty database without migration history,"
                + " record a baseline first (as 'migrate baseline' does), then apply what is newer.")
        boolean baselineOnMigrate;

        @Option(names = "--baseline-version", paramLabel = "V",
                description = "The version --baseline-on-migrate records (default 1).")
        String baselineVersion;

        @Option(names = "--confirm", paramLabel = "ENV", description = "Name the target environment, as CI jobs do"
                + " for protected ones: a name that is not -e's refuses (exit 5) before anything runs.")
        String confirm;

        @Override
        public Integer call() {
            if (baselineVersion != null && !baselineOnMigrate) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                        "--baseline-version needs --baseline-on-migrate");
            }
            Environment env = config().environment(target.env);
            if (confirm != null) {
                new io.managedb.safety.Guard(true, confirm, io.managedb.safety.Prompter.NONE)
                        .confirm(env, "apply migrations");
            }
            ApplyOptions.BackupMode mode = backup == null ? ApplyOptions.BackupMode.AUTO
                    : backup.always ? ApplyOptions.BackupMode.ALWAYS : ApplyOptions.BackupMode.NEVER;
            Output out = output();
            ApplyResult r = service(this, out).apply(env, new ApplyOptions(targetVersion, mode, dryRun,
                    dryRun && session().options().verbose, waitOptions.duration(), baselineOnMigrate,
                    baselineVersion), ProgressPrinter.forSession(session(), out));
            return out.result(r, text -> render(text, r));
        }

        private static void render(Text text, ApplyResult r) {
            if (r.backup() != null) {
                text.line("backup: " + r.backup());
            }
            if (r.migrations().isEmpty()) {
                text.line(r.environment() + " is up to date (version " + (r.toVersion() == null ? "none" : r.toVersion())
                        + ")");
                return;
            }
            if (r.baselineVersion() != null) {
                text.line((r.dryRun() ? "would baseline" : "baselined") + " at version " + r.baselineVersion());
            }
            for (ApplyResult.Script s : r.migrations()) {
                text.line((r.dryRun() ? "would apply " : "applied ") + s.script());
                if (s.sql() != null) {
                    text.line(s.sql().stripTrailing());
                }
            }
            String versions = "version " + (r.fromVersion() == null ? "none" : r.fromVersion()) + " -> "
                    + (r.toVersion() == null ? "none" : r.toVersion());
            text.line(r.dryRun() ? r.environment() + ": would apply " + r.count() + " migration(s), " + versions
                    + " (dry run: nothing changed)"
                    : r.environment() + ": applied " + r.count() + " migration(s), " + versions + ", in "
                    + String.format(java.util.Locale.ROOT, "%.1f s", r.durationSeconds()));
        }
    }

    @Command(name = "rollback", aliases = "down", description = "Undo the last applied migrations with their U scripts.",
            footerHeading = "%nExamples:%n",
            footer = {"  manage-db migrate rollback -e dev -y",
                      "  manage-db migrate rollback -e dev -y --steps 2",
                      "  manage-db migrate rollback -e test -y --target 20261124120000 --dry-run"})
    static final class Rollback extends BaseCommand {
        @Mixin
        TargetOptions target;

        @Mixin
        ConfirmOptions confirm;

        @Mixin
        WaitOptions waitOptions;

        @Option(names = "--steps", paramLabel = "N", defaultValue = "1", description = "How many (default 1).")
        int steps;

        @Option(names = "--target", paramLabel = "VERSION", description = "Undo every migration newer than VERSION.")
        String targetVersion;

        @Option(names = "--no-backup", description = "No backup first on a protected environment.")
        boolean noBackup;

        @Option(names = "--dry-run", description = "List what would be undone; change nothing.")
        boolean dryRun;

        @Override
        public Integer call() {
            Environment env = config().environment(target.env);
            Output out = output();
            RollbackResult r = service(this, out).rollback(env, steps, targetVersion, noBackup, dryRun,
                    waitOptions.duration(), new Guard(confirm.yes, confirm.confirm, session().context().prompter()),
                    ProgressPrinter.forSession(session(), out));
            return out.result(r, text -> {
                if (r.backup() != null) {
                    text.line("backup: " + r.backup());
                }
                if (r.undone().isEmpty()) {
                    text.line("nothing to roll back");
                }
                r.undone().forEach(s -> text.line((r.dryRun() ? "would undo " : "undone ") + s.version() + " ("
                        + s.script() + ")"));
                text.line(r.environment() + " is at version " + (r.currentVersion() == null ? "none" : r.currentVersion())
                        + (r.dryRun() ? " (dry run: nothing changed)" : ""));
            });
        }
    }

    @Command(name = "status", aliases = {"info", "history"}, description = "Every migration and its state.",
            footerHeading = "%nExamples:%n",
            footer = {"  manage-db migrate status -e prod",
                      "  manage-db migrate status -e prod --check      CI gate: exit 7 when not clean",
                      "  manage-db migrate status -e test --json"})
    static final class Status extends BaseCommand {
        @Mixin
        TargetOptions target;

        @Option(names = "--check", description = "Exit 7 when anything is pending, failed, or edited after being applied.")
        boolean check;

        @Override
        public Integer call() {
            Output out = output();
            StatusResult r = service(this, out).status(config().environment(target.env));
            ExitCode code = check && !r.ok() ? ExitCode.CHECK_FAILED : ExitCode.OK;
            return out.result(r, code, "migrations of " + r.environment() + " need attention: "
                    + String.join("; ", r.problems()), text -> {
                text.table(List.of("VERSION", "DESCRIPTION", "TYPE", "STATE", "INSTALLED ON", "TIME", "CHECKSUM"),
                        r.migrations().stream().map(m -> List.of(m.version() == null ? "" : m.version(),
                                m.description(), m.type() == null ? "" : m.type(),
                                m.state().equals("applied") ? text.ok(m.state()) : m.state().equals("pending")
                                        ? text.warn(m.state()) : text.bad(m.state()),
                                m.installedOn() == null ? "" : m.installedOn().replace("T", " ").replaceAll("\\.\\d+Z$", "Z"),
                                m.executionTimeMs() == null ? "" : m.executionTimeMs() + " ms",
                                m.checksumMatch() == null ? "" : m.checksumMatch() ? "ok" : text.bad("MISMATCH")))
                                .toList());
                text.line(r.environment() + ": version " + (r.currentVersion() == null ? "none" : r.currentVersion())
                        + ", " + r.pending() + " pending, " + r.failed() + " failed");
                r.problems().forEach(p -> text.line(text.warn("  " + p)));
            });
        }
    }

    @Command(name = "validate", description = "Exit 7 on checksum mismatches or missing files, naming them.",
            footerHeading = "%nExamples:%n",
            footer = {"  manage-db migrate validate -e prod",
                      "  manage-db migrate validate -e test --json"})
    static final class Validate extends BaseCommand {
        @Mixin
        TargetOptions target;

        @Override
        public Integer call() {
            Output out = output();
            ValidationResult r = service(this, out).validate(config().environment(target.env));
            return out.result(r, r.ok() ? ExitCode.OK : ExitCode.CHECK_FAILED, "invalid migrations of "
                    + r.environment() + ": " + String.join("; ", r.problems()), text -> {
                text.line(r.ok() ? "migrations of " + r.environment() + " are valid" : "invalid migrations:");
                r.problems().forEach(p -> text.line("  " + p));
            });
        }
    }

    @Command(name = "baseline", description = "Adopt an existing database: record a baseline version.",
            footerHeading = "%nExamples:%n",
            footer = {"  manage-db migrate baseline -e legacy --version 1",
                      "  manage-db migrate baseline -e prod --version 20261101000000 --json"})
    static final class Baseline extends BaseCommand {
        @Mixin
        TargetOptions target;

        @Mixin
        WaitOptions waitOptions;

        @Option(names = "--version", paramLabel = "V", description = "Baseline version (default 1).")
        String version;

        /** The recorded baseline. */
        record Baselined(String environment, String version) {
        }

        @Override
        public Integer call() {
            Environment env = config().environment(target.env);
            Output out = output();
            String v = service(this, out).baseline(env, version, waitOptions.duration());
            Baselined r = new Baselined(env.name(), v);
            return out.result(r, text -> text.line(r.environment() + " baselined at version " + r.version()));
        }
    }

    @Command(name = "repair", description = "Remove failed entries from the history and realign checksums.",
            footerHeading = "%nExamples:%n",
            footer = {"  manage-db migrate repair -e dev -y",
                      "  manage-db migrate repair -e prod --confirm prod --json"})
    static final class Repair extends BaseCommand {
        @Mixin
        TargetOptions target;

        @Mixin
        ConfirmOptions confirm;

        @Mixin
        WaitOptions waitOptions;

        @Override
        public Integer call() {
            Output out = output();
            RepairSummary r = service(this, out).repair(config().environment(target.env),
                    waitOptions.duration(), new Guard(confirm.yes, confirm.confirm, session().context().prompter()));
            return out.result(r, text -> {
                r.removedFailed().forEach(n -> text.line("removed failed entry " + n));
                r.aligned().forEach(n -> text.line("realigned checksum of " + n));
                r.markedDeleted().forEach(n -> text.line("marked missing " + n + " as deleted"));
                text.line("repair of " + r.environment() + " done");
            });
        }
    }
}
