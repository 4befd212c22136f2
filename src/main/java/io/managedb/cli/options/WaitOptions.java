package io.managedb.cli.options;

import picocli.CommandLine.Option;

import java.time.Duration;

/** {@code --wait} for commands that take the target lock. */
public final class WaitOptions {
    @Option(names = "--wait", paramLabel = "SECONDS",
            description = "Wait up to SECONDS for another manage-db holding the database's lock (default: fail at once, exit 6).")
    public long waitSeconds;

    public Duration duration() {
        return Duration.ofSeconds(Math.max(0, waitSeconds));
    }
}
