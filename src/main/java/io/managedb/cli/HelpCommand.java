package io.managedb.cli;

import io.managedb.core.ExitCode;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.util.List;
import java.util.concurrent.Callable;

/** {@code manage-db help [COMMAND [SUBCOMMAND]]}: the same help as {@code COMMAND SUBCOMMAND --help}. */
@Command(name = "help", helpCommand = true, description = "Show the help of a command or subcommand.")
final class HelpCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "COMMAND", arity = "0..*", description = "A command and its subcommand.")
    List<String> path = List.of();

    @Override
    public Integer call() {
        CommandLine cl = spec.parent().commandLine();
        for (String name : path) {
            CommandLine sub = cl.getSubcommands().get(name);
            if (sub == null) {
                throw new CommandLine.ParameterException(spec.commandLine(), "unknown command '" + name + "' in "
                        + cl.getCommandSpec().qualifiedName() + " (commands: "
                        + String.join(", ", cl.getSubcommands().keySet()) + ")");
            }
            cl = sub;
        }
        CommandSetup.forHelp(cl);
        cl.usage(spec.commandLine().getOut());
        return ExitCode.OK.code();
    }
}
