package io.managedb.cli;

import io.managedb.core.ExitCode;

import java.io.PrintWriter;

/**
 * Runs one invocation of manage-db and returns its exit code. {@code --version} and plain help requests are answered
 * here, without loading picocli's model of the commands (see {@link HelpPages}); everything else goes to
 * {@link Invocation}.
 */
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
        String help = HelpPages.lookup(args);
        if (help != null) {
            out.print(help);
            out.flush();
            return ExitCode.OK.code();
        }
        return Invocation.run(context, out, err, args);
    }
}
