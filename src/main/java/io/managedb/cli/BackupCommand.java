package io.managedb.cli;

import io.managedb.pg.DumpScope;
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

@Command(name = "backup", description = "Back up environments' databases (pg_dump), verified and checksummed.")
final class BackupCommand extends BaseCommand {
    @Mixin EnvironmentSelection selection;

    @Mixin WaitOptions waitOptions;

    @Option(names = {"-o", "--output"}, paramLabel = "PATH",
            description = "Write to PATH instead of a generated name in MANAGE_DB_BACKUP_DIR.") Path output;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "custom",
            description = "custom (default), plain (gzipped SQL) or directory.") BackupFormat format;

    @Option(names = {"-j", "--jobs"}, paramLabel = "N", defaultValue = "1",
            description = "Parallel dump jobs (directory format only).") int jobs;

    @ArgGroup(exclusive = true) ScopeOptions scope;

    static final class ScopeOptions {
        @Option(names = "--schema-only", description = "Only the schema, no data.") boolean schemaOnly;

        @Option(names = "--data-only", description = "Only the data, no schema.") boolean dataOnly;
    }

    @Option(names = "--label", paramLabel = "TEXT", description = "A label added to the file name.") String label;

    @Option(names = "--compress", paramLabel = "LEVEL", description = "Compression level 0-9 (pg_dump's default).")
    Integer compress;

    @Override
    public Integer call() {
        if (output != null && selection.fleet()) {
            throw new ParameterException(spec.commandLine(), "--output names one file: give one environment");
        }
        DumpScope s = scope == null ? DumpScope.FULL
                : scope.schemaOnly ? DumpScope.SCHEMA_ONLY : DumpScope.DATA_ONLY;
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
