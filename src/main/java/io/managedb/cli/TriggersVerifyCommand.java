package io.managedb.cli;

import io.managedb.core.ExitCode;
import io.managedb.triggers.TriggerVerification;
import picocli.CommandLine.Command;

/** {@code triggers verify}: exit 7 when a managed trigger is missing, disabled or changed. */
@Command(name = "verify", description = "Exit 7 when a managed trigger is missing, disabled or changed.")
final class TriggersVerifyCommand extends TargetCommand {
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
