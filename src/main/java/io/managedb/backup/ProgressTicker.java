package io.managedb.backup;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Repeats a progress report on a timer while long work runs, so that a byte count moves while pg_dump is inside one
 * large table (its stderr says only when a table starts). Closing it stops the reports.
 */
final class ProgressTicker implements AutoCloseable {
    static final Duration INTERVAL = Duration.ofMillis(250);

    private final ScheduledExecutorService timer;

    private ProgressTicker(Runnable report) {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "manage-db-progress");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleAtFixedRate(() -> {
            try {
                report.run();
            } catch (RuntimeException e) {
                // a report that fails (a directory being renamed) is skipped; the next one tries again
            }
        }, INTERVAL.toMillis(), INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    }

    static ProgressTicker start(Runnable report) {
        return new ProgressTicker(report);
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
