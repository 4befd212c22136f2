package io.managedb.cli;

import picocli.CommandLine.Command;

@Command(name = "env", description = "List, show and select environments.",
        subcommands = {EnvListCommand.class, EnvShowCommand.class, EnvUseCommand.class},
        footerHeading = "%nExamples:%n",
        footer = {"  manage-db env list",
                  "  manage-db env show prod",
                  "  manage-db env use test"})
final class EnvCommand extends BaseCommand {
    @Override
    public Integer call() {
        return EnvListCommand.list(this);
    }
}
