package io.managedb.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;

/** Builds the picocli command line, runs one invocation and returns its exit code. */
final class Invocation {
    /** The top-level commands, in help order. */
    private static final List<String> COMMANDS = List.of("check", "doctor", "drift", "env", "backup", "restore",
            "migrate", "copy", "schedule", "triggers", "init", "reset", "completion");

    private Invocation() {
    }

    private static Object command(String name) {
        return switch (name) {
            case "check" -> new CheckCommand();
            case "doctor" -> new DoctorCommand();
            case "drift" -> new DriftCommand();
            case "env" -> new EnvCommand();
            case "backup" -> new BackupCommand();
            case "restore" -> new RestoreCommand();
            case "migrate" -> new MigrateCommand();
            case "copy" -> new CopyCommand();
            case "schedule" -> new ScheduleCommand();
            case "triggers" -> new TriggersCommand();
            case "init" -> new InitCommand();
            case "reset" -> new ResetCommand();
            case "completion" -> new CompletionCommand();
            default -> throw new IllegalArgumentException(name);
        };
    }

    /** A group's subcommands, in help order (the groups' annotations name none: they are added here). */
    private static List<Object> subcommands(String group) {
        return switch (group) {
            case "backup" -> List.of(new BackupListCommand(), new BackupVerifyCommand(), new BackupPruneCommand());
            case "env" -> List.of(new EnvListCommand(), new EnvShowCommand(), new EnvUseCommand());
            case "migrate" -> List.of(new MigrateCreateCommand(), new MigrateApplyCommand(),
                    new MigrateRollbackCommand(), new MigrateStatusCommand(), new MigrateValidateCommand(),
                    new MigrateBaselineCommand(), new MigrateRepairCommand());
            case "schedule" -> List.of(new SchedulePrintCommand());
            case "triggers" -> List.of(new TriggersApplyCommand(), new TriggersVerifyCommand(),
                    new TriggersListCommand(), new TriggersRemoveCommand());
            default -> List.of();
        };
    }

    /**
     * A command with its subcommands: only the one {@code next} names (by name or alias) when it names one, else all
     * of them.
     */
    private static CommandLine withSubcommands(String name, String next) {
        CommandLine cl = new CommandLine(command(name));
        List<Object> all = subcommands(name);
        List<Object> named = all.stream().filter(sub -> {
            Command c = sub.getClass().getAnnotation(Command.class);
            return c.name().equals(next) || Arrays.asList(c.aliases()).contains(next);
        }).toList();
        // a loop, not cl::addSubcommand: a method reference into picocli (class files of Java 5) keeps its classes
        // out of the class-data archive ("old class has been linked")
        for (Object sub : named.isEmpty() ? all : named) {
            cl.addSubcommand(sub);
        }
        return cl;
    }

    /**
     * Registers only the command being run, and of a group only the subcommand right after its name (building
     * picocli's model of every command costs ~200 ms at startup), or all of them for help, completion and unknown
     * names.
     */
    private static void addSubcommands(CommandLine cl, String[] args) {
        String command = null;
        String next = null;
        for (int i = 0; i < args.length && command == null; i++) {
            if (args[i].equals("--env-file")) {
                i++;
            } else if (!args[i].startsWith("-")) {
                command = args[i];
                next = i + 1 < args.length ? args[i + 1] : null;
            }
        }
        if (command != null && COMMANDS.contains(command) && !command.equals("completion")) {
            cl.addSubcommand(command, withSubcommands(command, next));
        } else if (command == null && Arrays.stream(args).allMatch(a -> a.equals("-h") || a.equals("--help"))) {
            // the root's help lists each command by name and description: no need for their whole models
            COMMANDS.forEach(name -> cl.addSubcommand(name, summary(name, command(name))));
            cl.addSubcommand("help", summary("help", new HelpCommand()));
        } else {
            addAllSubcommands(cl);
        }
    }

    private static void addAllSubcommands(CommandLine cl) {
        COMMANDS.forEach(name -> cl.addSubcommand(name, withSubcommands(name, null)));
        cl.addSubcommand("help", new HelpCommand());
    }

    /** A command as the root's help lists it: its name and description, without its options and subcommands. */
    private static CommandSpec summary(String name, Object command) {
        Command annotation = command.getClass().getAnnotation(Command.class);
        CommandSpec spec = CommandSpec.create().name(name);
        spec.usageMessage().description(annotation.description()).header(annotation.header())
                .hidden(annotation.hidden());
        return spec;
    }


    /** Every command's full model, as help and completion see it. */
    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new RootCommand());
        addAllSubcommands(cl);
        CommandSetup.apply(cl);
        return cl;
    }

    /** Runs one invocation through picocli. */
    static int run(Context context, PrintWriter out, PrintWriter err, String... args) {
        RootCommand root = new RootCommand();
        try (Session session = new Session(context, root)) {
            root.session = session;
            CommandLine cl = new CommandLine(root);
            addSubcommands(cl, args);
            CommandSetup.forParsing(cl);
            // plain text, as the pre-rendered pages are, on a terminal too
            cl.setColorScheme(CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF));
            cl.setOut(out);
            cl.setErr(err);
            cl.setCaseInsensitiveEnumValuesAllowed(true);
            ErrorHandler handler = new ErrorHandler(session);
            cl.setExecutionExceptionHandler(handler);
            cl.setParameterExceptionHandler(handler);
            cl.setExecutionStrategy(parseResult -> {
                for (CommandLine.ParseResult p = parseResult; p != null; p = p.subcommand()) {
                    if (p.isUsageHelpRequested()) {
                        CommandSetup.forHelp(cl);
                    }
                }
                if (root.verbose && root.quiet) {
                    throw new CommandLine.ParameterException(cl, "--verbose and --quiet cannot be used together");
                }
                if (!root.verbose) {
                    return new CommandLine.RunLast().execute(parseResult);
                }
                try (Logging.Scope scope = Logging.verbose()) {
                    return new CommandLine.RunLast().execute(parseResult);
                }
            });
            return cl.execute(args);
        } finally {
            out.flush();
            err.flush();
        }
    }
}
