package io.managedb.core;

/** Exit codes of manage-db, one place, listed in {@code --help}. */
public enum ExitCode {
    OK(0, "success"),
    FAILED(1, "the operation failed"),
    USAGE(2, "usage error (unknown option, bad argument)"),
    CONFIG(3, "configuration error (.env, URL, settings, pg tools)"),
    UNREACHABLE(4, "database unreachable or authentication failed"),
    REFUSED(5, "refused by a safety rule (protected environment, confirmation, stamp)"),
    BUSY(6, "target busy: another manage-db holds its lock"),
    CHECK_FAILED(7, "a check or verification found a problem"),
    INTERRUPTED(130, "interrupted (Ctrl-C, SIGINT)"),
    TERMINATED(143, "terminated (SIGTERM)");

    private final int code;
    private final String description;

    ExitCode(int code, String description) {
        this.code = code;
        this.description = description;
    }

    public int code() { return code; }

    public String description() { return description; }
}
