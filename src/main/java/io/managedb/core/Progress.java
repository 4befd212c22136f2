package io.managedb.core;

/**
 * Progress of long work, reported by services and shown by the CLI on a terminal (never on stdout).
 */
@FunctionalInterface
public interface Progress {
    /** A short status line, e.g. "tables 12/40, 1.2 GB written"; called often, may be throttled by the receiver. */
    void update(String status);

    /** The work is over: clear the status line. */
    default void done() {
    }

    Progress NONE = status -> { };

    /** A byte count for a status line, e.g. "12.3 MB". */
    static String megabytes(long bytes) {
        return String.format(java.util.Locale.ROOT, "%.1f MB", bytes / 1048576.0);
    }
}
