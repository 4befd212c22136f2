package io.managedb.cli;

import io.managedb.backup.BackupFormat;
import io.managedb.backup.BackupOptions;
import io.managedb.backup.BackupResult;
import io.managedb.cli.options.TargetOptions;
import io.managedb.cli.options.WaitOptions;
import io.managedb.config.Environment;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;

@Command(name = "backup", description = "Back up an environment's database (pg_dump), verified and checksummed.",
        subcommands = {BackupListCommand.class, BackupVerifyCommand.class, BackupPruneCommand.class},
        footerHeading = "%nExamples:%n",
        footer = {"  manage-db backup --env test",
                  "  manage-db backup -e prod --label before-upgrade --json",
                  "  manage-db backup -e prod --format directory --jobs 4",
                  "  manage-db backup -e prod -q && manage-db backup prune -e prod --keep-daily 7 --keep-weekly 4",
                  "",
                  "Backups are named <env>_<database>_<yyyyMMddTHHmmssZ>[_<label>].dump (plain: .sql.gz,",
                  "directory: .dir) in MANAGE_DB_BACKUP_DIR, with a manifest <backup>.json beside each."})
final class BackupCommand extends BaseCommand {
    @Mixin
    TargetOptions target;

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
        Environment env = config().environment(target.env);
        BackupOptions.Scope s = scope == null ? BackupOptions.Scope.FULL
                : scope.schemaOnly ? BackupOptions.Scope.SCHEMA_ONLY : BackupOptions.Scope.DATA_ONLY;
        Output out = output();
        BackupOptions options = new BackupOptions(output == null ? null : session().workDir().resolve(output),
                format, jobs, s, label, compress, false, waitOptions.duration());
        BackupResult r = Services.backup(session()).backup(env, options, ProgressPrinter.forSession(session(), out));
        return out.result(r, text -> text.line("backup of " + r.environment() + " written: " + r.path() + " ("
                + Text.bytes(r.sizeBytes()) + ", sha256 " + r.sha256().substring(0, 12) + "…, "
                + r.durationSeconds() + " s)"));
    }
}
