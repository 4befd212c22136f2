package io.managedb.cli;

import io.managedb.core.ExitCode;

import java.io.PrintWriter;
import java.util.function.Consumer;

/**
 * Where results go: stdout carries the result (one JSON document with --json, else text), stderr carries logs,
 * progress and prompts. {@code -q} prints nothing on success.
 */
final class Output {
    private final PrintWriter out;
    private final PrintWriter err;
    private final boolean json;
    private final boolean quiet;
    private final boolean color;

    Output(PrintWriter out, PrintWriter err, boolean json, boolean quiet, boolean color) {
        this.out = out;
        this.err = err;
        this.json = json;
        this.quiet = quiet;
        this.color = color;
    }

    /** Renders a result record and returns the exit code. */
    int result(Object result, ExitCode exitCode, Consumer<Text> text) {
        if (json) {
            out.println(Json.write(result));
        } else if (!quiet || exitCode != ExitCode.OK) {
            text.accept(new Text(out, color));
        }
        out.flush();
        return exitCode.code();
    }

    /**
     * Like {@link #result(Object, ExitCode, Consumer)}, but with -q a failed check prints only {@code failure}, one
     * line on stderr, instead of the whole report.
     */
    int result(Object result, ExitCode exitCode, String failure, Consumer<Text> text) {
        if (quiet && !json && exitCode != ExitCode.OK) {
            err.println("manage-db: " + failure.replaceAll("\\s*\\R\\s*", " ").strip());
            err.flush();
            return exitCode.code();
        }
        return result(result, exitCode, text);
    }

    int result(Object result, Consumer<Text> text) {
        return result(result, ExitCode.OK, text);
    }

    /** A note for the operator on stderr, also in JSON mode (stdout stays one document); not with -q. */
    void info(String message) {
        if (!quiet) {
            err.println(message);
            err.flush();
        }
    }

    /** A note for the operator on stderr (not in quiet or JSON mode). */
    void note(String message) {
        if (!quiet && !json) {
            err.println(message);
            err.flush();
        }
    }

    PrintWriter err() {
        return err;
    }

    boolean quiet() {
        return quiet;
    }

    boolean json() {
        return json;
    }
}
