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
        return answered(out, args) ? ExitCode.OK.code() : Invocation.run(context, out, err, args);
    }

    /**
     * Answers {@code --version} and plain help requests (the most frequent probes of a CI job and of a user) without
     * building the command model; false for anything else.
     */
    public static boolean answered(PrintWriter out, String... args) {
        String text = null;
        if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
            String[] lines = new VersionProvider().getVersion();
            text = lines[0].concat("\n").concat(lines[1]).concat("\n");
        } else {
            text = HelpPages.lookup(args);
        }
        if (text == null) {
            return false;
        }
        out.print(text);
        out.flush();
        return true;
    }
}
