package io.managedb.cli;

import io.managedb.core.Progress;

import java.io.PrintWriter;

/** Shows progress on one rewritten stderr line, at most ten times a second; only on a terminal. */
final class ProgressPrinter implements Progress {
    private final PrintWriter err;
    private long last;
    private int width;

    private ProgressPrinter(PrintWriter err) {
        this.err = err;
    }

    static Progress forSession(Session session, Output output) {
        return session.context().terminal() && !output.quiet() && !output.json()
                ? new ProgressPrinter(output.err()) : Progress.NONE;
    }

    @Override
    public synchronized void update(String status) {
        long now = System.nanoTime();
        if (now - last < 100_000_000L) {
            return;
        }
        last = now;
        err.print("\r" + status + " ".repeat(Math.max(0, width - status.length())));
        err.flush();
        width = status.length();
    }

    @Override
    public synchronized void done() {
        if (width > 0) {
            err.print("\r" + " ".repeat(width) + "\r");
            err.flush();
            width = 0;
        }
    }
}
