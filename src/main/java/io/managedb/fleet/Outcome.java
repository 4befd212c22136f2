package io.managedb.fleet;

import io.managedb.core.ExitCode;
import io.managedb.config.Environment;

import java.time.Duration;

/**
 * How one environment's part of a fleet run ended.
 *
 * @param result the operation's result, or null when it failed before producing one
 * @param error  what stopped it, or null
 */
public record Outcome<R>(Environment environment, ExitCode exitCode, R result, RuntimeException error,
                         Duration duration) {

    public boolean ok() {
        return exitCode == ExitCode.OK;
    }

    /** The error line (one line), or null. */
    public String errorMessage() {
        if (error == null) {
            return null;
        }
        String message = error instanceof io.managedb.core.ManageDbException ? error.getMessage()
                : error.getClass().getSimpleName() + (error.getMessage() == null ? "" : ": " + error.getMessage());
        return message == null ? "unknown error" : message.replaceAll("\\s*\\R\\s*", " ").strip();
    }
}
