package io.managedb.cli;

import io.managedb.backup.BackupFormat;
import io.managedb.backup.BackupOptions;
import io.managedb.backup.BackupResult;
import io.managedb.cli.options.EnvironmentSelection;
import io.managedb.cli.options.WaitOptions;
import io.managedb.core.Progress;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

import java.nio.file.Path;

@Command(name = "backup", description = "Back up environments' databases (pg_dump), verified and checksummed.",
        subcommands = {BackupListCommand.class, BackupVerifyCommand.class, BackupPruneCommand.class},
        footerHeading = "%nExamples:%n",
        footer = {"  manage-db backup --env test",
                  "  manage-db backup -e prod --label before-upgrade --json",
                  "  manage-db backup --all --parallel 2 -q    every environment, 2 at a time",
                  "  manage-db backup -e prod -q && manage-db backup prune -e prod --keep-daily 7 --keep-weekly 4",
                  "",
                  "With several environments (-e a,b or --all) each is backed up whatever the others do: one",
                  "line (--json: one object) per environment; the exit code is the worst one (README: Exit",
                  "codes). Pings go to MANAGE_DB_NOTIFY_URL, metrics to MANAGE_DB_METRICS_FILE.",
                  "",
                  "Backups are named <env>_<database>_<yyyyMMddTHHmmssZ>[_<label>].dump (plain: .sql.gz,",
                  "directory: .dir) in MANAGE_DB_BACKUP_DIR, with a manifest <backup>.json beside each.",
                  "MANAGE_DB_BACKUP_DIR=s3://bucket/prefix (or PROD_BACKUP_DIR for prod alone) streams them to",
                  "object storage (MANAGE_DB_S3_ENDPOINT, AWS_* credentials; README: Object storage)."})
final class BackupCommand extends BaseCommand {
    @Mixin
    EnvironmentSelection selection;

    @Mixin
    WaitOptions waitOptions;

    @Option(names = {"-o", "--output"}, paramLabel = "PATH",
            description = "Write to PATH instead of a generated name in MANAGE_DB_BACKUP_DIR.")
    Path output;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "custom",
            description = "custom (default), plain (gzipped SQL) or directory.")
    BackupFormat format;

    @Option(names = {"-j", "--jobs"}, paramLabel = "N", defaultValue = "1",
            description = "Parallel dump jobs (directory format only).")
    int jobs;

    @ArgGroup(exclusive = true)
    ScopeOptions scope;

    static final class ScopeOptions {
        @Option(names = "--schema-only", description = "Only the schema, no data.")
        boolean schemaOnly;

        @Option(names = "--data-only", description = "Only the data, no schema.")
        boolean dataOnly;
    }

    @Option(names = "--label", paramLabel = "TEXT", description = "A label added to the file name.")
    String label;

    @Option(names = "--compress", paramLabel = "LEVEL", description = "Compression level 0-9 (pg_dump's default).")
    Integer compress;

    @Override
    public Integer call() {
        if (output != null && selection.fleet()) {
            throw new ParameterException(spec.commandLine(), "--output names one file: give one environment");
        }
        BackupOptions.Scope s = scope == null ? BackupOptions.Scope.FULL
                : scope.schemaOnly ? BackupOptions.Scope.SCHEMA_ONLY : BackupOptions.Scope.DATA_ONLY;
        BackupOptions options = new BackupOptions(output == null ? null : session().workDir().resolve(output),
                format, jobs, s, label, compress, false, waitOptions.duration());
        Progress progress = selection.fleet() ? Progress.NONE : ProgressPrinter.forSession(session(), output());
        return new FleetRunner<BackupResult>(this, "backup").size(BackupResult::sizeBytes).run(selection,
                env -> Services.backup(session()).backup(env, options, progress),
                (text, r) -> text.line("backup of " + r.environment() + " written: " + r.path() + " ("
                        + Text.bytes(r.sizeBytes()) + ", sha256 " + r.sha256().substring(0, 12) + "…, "
                        + r.durationSeconds() + " s)"),
                r -> "backup written: " + r.path() + " (" + Text.bytes(r.sizeBytes()) + ", " + r.durationSeconds()
                        + " s)");
    }
}
