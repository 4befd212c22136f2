package io.managedb.cli;

import io.managedb.core.ExitCode;
import io.managedb.cli.options.TargetOptions;
import io.managedb.migrate.StatusResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code migrate status}: every migration and its state. */
@Command(name = "status", aliases = {"info", "history"}, description = "Every migration and its state.")
final class MigrateStatusCommand extends BaseCommand {
    @Mixin
    TargetOptions target;

    @Option(names = "--check", description = "Exit 7 when anything is pending, failed, or edited after being applied.")
    boolean check;

    @Override
    public Integer call() {
        Output out = output();
        StatusResult r = MigrateCommand.service(this, out).status(config().environment(target.env));
        ExitCode code = check && !r.ok() ? ExitCode.CHECK_FAILED : ExitCode.OK;
        return out.result(r, code, "migrations of " + r.environment() + " need attention: "
                + String.join("; ", r.problems()), text -> MigrateRendering.status(text, r));
    }
}
