package io.managedb.cli;

import io.managedb.safety.Prompter;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/**
 * What the CLI takes from the outside world, passed in so that tests can supply their own: the process environment,
 * the working directory, a prompter, and whether stdout/stderr are a terminal.
 */
public record Context(Map<String, String> env, Path workDir, Prompter prompter, boolean terminal) {

    public Context {
        env = Map.copyOf(env);
    }

    /** The real process: its environment, working directory and terminal; prompts go to {@code err}. */
    public static Context system(PrintWriter err) {
        Console console = System.console();
        return new Context(System.getenv(), Path.of(System.getProperty("user.dir")),
                console != null ? new ConsolePrompter(err) : Prompter.NONE, console != null);
    }

    /** A non-interactive context, as under cron or CI. */
    public static Context of(Map<String, String> env, Path workDir) {
        return new Context(env, workDir, Prompter.NONE, false);
    }

    /** Prompts on stderr and reads the answer from stdin, so that stdout stays clean for results. */
    private static final class ConsolePrompter implements Prompter {
        private final BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        private final PrintWriter err;

        ConsolePrompter(PrintWriter err) {
            this.err = err;
        }

        @Override
        public boolean interactive() {
            return true;
        }

        @Override
        public String ask(String prompt) {
            err.print(prompt);
            err.flush();
            try {
                return in.readLine();
            } catch (IOException e) {
                return null;
            }
        }
    }
}
