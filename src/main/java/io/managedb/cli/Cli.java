package io.managedb.cli;

import io.managedb.ExitCode;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;

/** Builds the picocli command line, runs one invocation and returns its exit code. */
public final class Cli {
    private Cli() {
    }

    public static int execute(Context context, PrintWriter out, PrintWriter err, String... args) {
        if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
            // the most frequent probe of a CI job: answered without building the whole command model
            for (String line : new VersionProvider().getVersion()) {
                out.println(line);
            }
            out.flush();
            return ExitCode.OK.code();
        }
        RootCommand root = new RootCommand();
        try (Session session = new Session(context, root)) {
            root.session = session;
            CommandLine cl = new CommandLine(root);
            cl.setOut(out);
            cl.setErr(err);
            cl.setCaseInsensitiveEnumValuesAllowed(true);
            ErrorHandler handler = new ErrorHandler(session);
            cl.setExecutionExceptionHandler(handler);
            cl.setParameterExceptionHandler(handler);
            Map<String, String> codes = new LinkedHashMap<>();
            for (ExitCode code : ExitCode.values()) {
                codes.put(String.format("%3d", code.code()), code.description());
            }
            cl.getCommandSpec().usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(codes);
            cl.setExecutionStrategy(parseResult -> {
                if (root.verbose && root.quiet) {
                    throw new CommandLine.ParameterException(cl, "--verbose and --quiet cannot be used together");
                }
                if (root.verbose) {
                    Logging.verbose();
                }
                return new CommandLine.RunLast().execute(parseResult);
            });
            return cl.execute(args);
        } finally {
            out.flush();
            err.flush();
        }
    }
}
