package io.managedb.cli;

import io.managedb.core.ExitCode;
import io.managedb.migrate.StatusResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code migrate status}: every migration and its state. */
@Command(name = "status", aliases = {"info", "history"}, description = "Every migration and its state.")
final class MigrateStatusCommand extends TargetCommand {
    @Option(names = "--check", description = "Exit 7 when anything is pending, failed, or edited after being applied.")
    boolean check;

    @Override
    public Integer call() {
        StatusResult r = migrate().status(config().environment(target.env));
        ExitCode code = check && !r.ok() ? ExitCode.CHECK_FAILED : ExitCode.OK;
        return output().result(r, code, "migrations of " + r.environment() + " need attention: "
                + String.join("; ", r.problems()), text -> MigrateRendering.status(text, r));
    }
}
