package io.managedb.cli;

import io.managedb.ExitCode;
import io.managedb.backup.VerifyResult;
import io.managedb.cli.options.TargetOptions;
import io.managedb.config.Environment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;

@Command(name = "verify", description = "Verify a backup: checksum, readability, and with --deep a trial restore.",
        footerHeading = "%nExamples:%n",
        footer = {"  manage-db backup verify latest -e prod",
                  "  manage-db backup verify backups/prod_app_20261124T020000Z.dump --deep"})
final class BackupVerifyCommand extends BaseCommand {
    @Mixin
    TargetOptions target;

    @Parameters(paramLabel = "FILE|latest", description = "A backup file, or latest: the newest good full backup of ENV.")
    String backup;

    @Option(names = "--deep", description = "Also restore into a scratch database and compare row counts with the"
            + " manifest (the scratch database is dropped afterwards).")
    boolean deep;

    @Override
    public Integer call() {
        Environment env = config().environment(target.env);
        var catalog = Services.catalog(session());
        Path path = backup.equals("latest") ? catalog.requireLatest(env.name(), env.target().database())
                : catalog.locate(backup, session().workDir());
        Output out = output();
        VerifyResult r = new io.managedb.backup.VerifyService(session().tools())
                .verify(catalog.open(path), deep, env, ProgressPrinter.forSession(session(), out));
        return out.result(r, r.ok() ? ExitCode.OK : ExitCode.CHECK_FAILED, text -> {
            text.line(r.path() + ": " + (r.ok() ? text.ok("ok") : text.bad("FAILED")));
            r.checks().forEach(c -> text.line("  " + (c.ok() ? text.ok("ok  ") : text.bad("FAIL")) + "  " + c.name()
                    + ": " + c.detail()));
        });
    }
}
