package io.managedb.cli;

import io.managedb.core.ExitCode;
import io.managedb.backup.VerifyResult;
import io.managedb.cli.options.EnvironmentSelection;
import io.managedb.core.Progress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;

@Command(name = "verify", description = "Verify a backup: checksum, readability, and with --deep a trial restore.")
final class BackupVerifyCommand extends BaseCommand {
    @Mixin EnvironmentSelection selection;

    @Parameters(paramLabel = "FILE|latest", description = "A backup file, or latest: the newest good full backup of ENV.")
    String backup;

    @Option(names = "--deep", description = "Also restore into a scratch database and compare row counts with the"
            + " manifest (the scratch database is dropped afterwards).") boolean deep;

    @Override
    public Integer call() {
        if (selection.fleet() && !backup.equals("latest")) {
            throw new ParameterException(spec.commandLine(), "several environments need 'latest', not a file");
        }
        var catalog = Services.catalog(session());
        Progress progress = selection.fleet() ? Progress.NONE : ProgressPrinter.forSession(session(), output());
        return new FleetRunner<VerifyResult>(this, "verify")
                .exitCode(r -> r.ok() ? ExitCode.OK : ExitCode.CHECK_FAILED)
                .size(r -> r.path() == null ? null : sizeOf(Path.of(r.path()))).run(selection, env -> {
                    try (var archive = catalog.open(catalog.resolve(backup, env, session().workDir()))) {
                        return Services.verify(session()).verify(archive, deep, env, progress);
                    }
                }, (text, r) -> {
                    text.line(r.path() + ": " + (r.ok() ? text.ok("ok") : text.bad("FAILED")));
                    r.checks().forEach(c -> text.line("  " + (c.ok() ? text.ok("ok  ") : text.bad("FAIL")) + "  "
                            + c.name() + ": " + c.detail()));
                }, r -> r.path() + ": " + (r.ok() ? "ok" : "FAILED: " + String.join("; ", r.checks().stream()
                        .filter(c -> !c.ok()).map(c -> c.name() + ": " + c.detail()).toList())));
    }

    static Long sizeOf(Path path) {
        try {
            return java.nio.file.Files.isDirectory(path) ? null : java.nio.file.Files.size(path);
        } catch (java.io.IOException e) {
            return null;
        }
    }
}
