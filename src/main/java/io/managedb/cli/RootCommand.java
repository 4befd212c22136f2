package io.managedb.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code manage-db}: global options, inherited by every subcommand (registered by {@link Cli}). */
@Command(name = "manage-db", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Back up, restore, migrate, copy, check, reset and initialise PostgreSQL databases.",
        sortOptions = false)
public final class RootCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--env-file", paramLabel = "FILE", scope = ScopeType.INHERIT,
            description = "The .env file to read (default: $MANAGE_DB_ENV_FILE, else ./.env).") Path envFile;

    @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT,
            description = "Debug logs and stack traces on stderr.") boolean verbose;

    @Option(names = {"-q", "--quiet"}, scope = ScopeType.INHERIT,
            description = "Print nothing on success (for cron).") boolean quiet;

    @Option(names = "--json", scope = ScopeType.INHERIT,
            description = "Print the result as one JSON document on stdout.") boolean json;

    @Option(names = "--no-color", scope = ScopeType.INHERIT, description = "No colours (also: NO_COLOR=1).")
    boolean noColor;

    /** Set by {@link Cli} before execution. */
    Session session;

    @Override
    public Integer call() {
        return GroupCommand.usage(spec);
    }
}
