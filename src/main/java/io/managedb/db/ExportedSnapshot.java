package io.managedb.db;

import io.managedb.ManageDbException;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * A read-only REPEATABLE READ transaction whose snapshot is exported for pg_dump ({@code --snapshot}), so that the
 * row counts taken in it (on another thread, while pg_dump runs) describe exactly what was dumped.
 */
public final class ExportedSnapshot implements AutoCloseable {
    private final Connection connection;
    private final String id;
    private final CompletableFuture<Map<String, Long>> counts;

    private ExportedSnapshot(Connection connection, String id, CompletableFuture<Map<String, Long>> counts) {
        this.connection = connection;
        this.id = id;
        this.counts = counts;
    }

    /** Begins the transaction on {@code c} (which it then owns until close) and, if asked, starts counting rows. */
    public static ExportedSnapshot begin(Connection c, boolean countRows) throws SQLException {
        c.setAutoCommit(false);
        c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
        c.setReadOnly(true);
        String id = Catalog.single(c, "SELECT pg_export_snapshot()");
        CompletableFuture<Map<String, Long>> counts = !countRows ? CompletableFuture.completedFuture(null)
                : CompletableFuture.supplyAsync(() -> {
                    try {
                        return Catalog.rowCounts(c);
                    } catch (SQLException e) {
                        throw new IllegalStateException(e.getMessage(), e);
                    }
                });
        return new ExportedSnapshot(c, id, counts);
    }

    public String id() {
        return id;
    }

    /** Rows per table in the snapshot (null when not counted); waits for the count to finish. */
    public Map<String, Long> rowCounts() {
        try {
            return counts.join();
        } catch (CompletionException e) {
            throw ManageDbException.failed("counting rows failed: " + e.getCause().getMessage(), e);
        }
    }

    @Override
    public void close() throws SQLException {
        if (!counts.isDone()) {
            // a count still running (a copy that failed or was stopped early) is cancelled, not waited for: it may
            // be waiting for a lock for as long as another session holds it
            connection.unwrap(org.postgresql.PGConnection.class).cancelQuery();
        }
        try {
            counts.join();
        } catch (RuntimeException ignored) {
            // a failed or cancelled count: nothing to wait for
        }
        connection.rollback();
    }
}
