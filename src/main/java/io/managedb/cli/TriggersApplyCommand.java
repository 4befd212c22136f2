package io.managedb.cli;

import io.managedb.triggers.TriggerReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code triggers apply}: installs or updates the managed triggers. */
@Command(name = "apply", description = "Install or update the enabled sets and the project files (one transaction).")
final class TriggersApplyCommand extends LockingCommand {
    @Option(names = "--dry-run", description = "Report what would change; change nothing.") boolean dryRun;

    @Override
    public Integer call() {
        TriggerReport r = Services.triggers(session()).apply(config().environment(target.env()), dryRun,
                target.lockWait());
        return output().result(r, text -> TriggersCommand.render(text, r));
    }
}
