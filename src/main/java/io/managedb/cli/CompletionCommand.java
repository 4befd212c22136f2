package io.managedb.cli;

import picocli.AutoComplete;
import picocli.CommandLine.Command;

@Command(name = "completion", description = "Print a bash/zsh completion script.")
final class CompletionCommand extends BaseCommand {
    @Override
    public Integer call() {
        java.util.Collection<String> names;
        try {
            names = config().environments().keySet();
        } catch (io.managedb.core.ManageDbException e) {
            names = java.util.List.of("dev", "test", "prod"); // a broken .env must not break completion
        }
        CommandSetup.forHelp(spec.root().commandLine()); // the enum options' values
        CommandSetup.completeEnvironments(spec.root().commandLine(), names);
        spec.commandLine().getOut().print(AutoComplete.bash("manage-db", spec.root().commandLine()));
        spec.commandLine().getOut().flush();
        return 0;
    }
}
