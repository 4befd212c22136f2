package io.managedb.cli.options;

import picocli.CommandLine.Option;

/** {@code -e/--env} for commands that act on one environment's database. */
public final class TargetOptions {
    @Option(names = {"-e", "--env"}, paramLabel = "ENV",
            description = "Environment (dev, test, prod, or any <NAME>_DATABASE_URL); default: $MANAGE_DB_ENV, else dev.")
    public String env;
}
