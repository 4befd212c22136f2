package io.managedb;

/**
 * The one exception services throw for expected failures. It carries the exit code the CLI returns and a
 * message meant for the operator: one clear line, never a password.
 */
public class ManageDbException extends RuntimeException {
    private final ExitCode exitCode;

    public ManageDbException(ExitCode exitCode, String message) {
        this(exitCode, message, null);
    }

    public ManageDbException(ExitCode exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public ExitCode exitCode() {
        return exitCode;
    }

    public static ManageDbException config(String message) {
        return new ManageDbException(ExitCode.CONFIG, message);
    }

    public static ManageDbException failed(String message, Throwable cause) {
        return new ManageDbException(ExitCode.FAILED, message, cause);
    }

    public static ManageDbException refused(String message) {
        return new ManageDbException(ExitCode.REFUSED, message);
    }
}
