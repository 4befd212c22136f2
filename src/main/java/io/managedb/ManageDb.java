package io.managedb;

import io.managedb.cli.Cli;
import io.managedb.cli.Context;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/** The manage-db command line. {@link #run} never exits, so tests and other Java code can call it. */
public final class ManageDb {
    private ManageDb() {
    }

    public static void main(String[] args) {
        // stdout is flushed once at the end (and by each result), not at every line: a listing of 10,000 backups
        PrintWriter out = new PrintWriter(new java.io.BufferedWriter(new java.io.OutputStreamWriter(
                new java.io.FileOutputStream(java.io.FileDescriptor.out), StandardCharsets.UTF_8), 1 << 16));
        if (Cli.answered(out, args)) {
            return; // --version or help: nothing to stop, no environment to read
        }
        io.managedb.pg.Signals.install();
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        System.exit(run(Context.system(err), out, err, args));
    }

    /** Runs with the given environment, non-interactively, in the JVM's working directory; returns the exit code. */
    public static int run(PrintWriter out, PrintWriter err, Map<String, String> env, String... args) {
        return run(Context.of(env, Path.of(System.getProperty("user.dir"))), out, err, args);
    }

    /** Runs with a full context (environment, working directory, prompter, terminal); returns the exit code. */
    public static int run(Context context, PrintWriter out, PrintWriter err, String... args) {
        return Cli.execute(context, out, err, args);
    }
}
