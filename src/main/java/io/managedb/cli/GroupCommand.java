package io.managedb.cli;

import io.managedb.core.ExitCode;
import picocli.CommandLine.Model.CommandSpec;

/** A command that only groups subcommands: run alone, it prints its usage on stderr (exit 2). */
abstract class GroupCommand extends BaseCommand {
    @Override
    public Integer call() {
        return usage(spec);
    }

    static int usage(CommandSpec spec) {
        CommandSetup.forHelp(spec.commandLine());
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCode.USAGE.code();
    }
}
