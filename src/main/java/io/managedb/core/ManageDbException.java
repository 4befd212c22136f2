package io.managedb.core;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one exception services throw for expected failures. It carries the exit code the CLI returns and a
 * message meant for the operator: one clear line, never a password.
 */
public class ManageDbException extends RuntimeException {
    private final ExitCode exitCode;
    private final Map<String, Object> details;

    public ManageDbException(ExitCode exitCode, String message) {
        this(exitCode, message, null);
    }

    public ManageDbException(ExitCode exitCode, String message, Throwable cause) {
        this(exitCode, message, cause, Map.of());
    }

    /**
     * @param details facts about the failure for machines (camelCase keys; strings, numbers, lists of them), added
     *                to the {@code --json} error document beside error, exitCode and exitReason
     */
    public ManageDbException(ExitCode exitCode, String message, Throwable cause, Map<String, Object> details) {
        super(message, cause);
        this.exitCode = exitCode;
        this.details = Collections.unmodifiableMap(new LinkedHashMap<>(details));
    }

    public ExitCode exitCode() {
        return exitCode;
    }

    /** Facts about the failure for the --json error document, in order; empty when there are none. */
    public Map<String, Object> details() {
        return details;
    }

    /**
     * The failure of work that came after a safety backup: the same exit code and details, the message saying
     * where the safety backup is, and {@code safetyBackup} in the details.
     */
    public static ManageDbException withSafetyBackup(RuntimeException failure, String backup) {
        ManageDbException e = failure instanceof ManageDbException m ? m
                : new ManageDbException(ExitCode.FAILED, failure.getClass().getSimpleName() + ": " + failure.getMessage(),
                failure);
        Map<String, Object> details = new LinkedHashMap<>(e.details);
        details.put("safetyBackup", backup);
        ManageDbException named = new ManageDbException(e.exitCode, e.getMessage() + "; the safety backup taken before"
                + " is " + backup, e.getCause() == null ? e : e.getCause(), details);
        named.setStackTrace(e.getStackTrace());
        return named;
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
