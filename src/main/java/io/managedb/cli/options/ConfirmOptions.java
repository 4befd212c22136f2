package io.managedb.cli.options;

import picocli.CommandLine.Option;

/** Confirmation for destructive commands. */
public final class ConfirmOptions {
    @Option(names = {"-y", "--yes"}, description = "Do not ask (not enough for protected environments).")
    public boolean yes;

    @Option(names = "--confirm", paramLabel = "ENV",
            description = "Confirm by naming the target environment (required for protected ones without a terminal).")
    public String confirm;
}
