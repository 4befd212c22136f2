package io.managedb.cli.options;

import io.managedb.safety.Guard;
import io.managedb.safety.Prompter;
import picocli.CommandLine.Option;

/** Confirmation for destructive commands. */
public final class ConfirmOptions {
    @Option(names = {"-y", "--yes"}, description = "Do not ask (not enough for protected environments).")
    public boolean yes;

    @Option(names = "--confirm", paramLabel = "ENV",
            description = "Confirm by naming the target environment (required for protected ones without a terminal).")
    public String confirm;

    /** The confirmation these options give, asking on {@code prompter} when they give none. */
    public Guard guard(Prompter prompter) {
        return new Guard(yes, confirm, prompter);
    }
}
