package io.managedb.cli;

import picocli.CommandLine.Command;

@Command(name = "env", description = "List, show and select environments.")
final class EnvCommand extends BaseCommand {
    @Override
    public Integer call() {
        return EnvListCommand.list(this);
    }
}
