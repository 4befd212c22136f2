package io.managedb.db;

import io.managedb.core.ManageDbException;
import org.postgresql.PGConnection;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * A read-only REPEATABLE READ transaction whose snapshot is exported for pg_dump ({@code --snapshot}) or for
 * {@code SET TRANSACTION SNAPSHOT}, so that the row counts taken in it (on another thread, while the dump or copy
 * runs) describe exactly what was read. Rows are counted with {@code row_security = off}, as pg_dump reads them: a
 * table whose rows row-level security would hide from this role fails the count instead of counting fewer.
 */
public final class ExportedSnapshot implements AutoCloseable {
    private final Connection connection;
    private final String id;
    private volatile CompletableFuture<Map<String, Long>> counts = CompletableFuture.completedFuture(null);
    private volatile boolean counting;
    private boolean started;

    private ExportedSnapshot(Connection connection, String id) {
        this.connection = connection;
        this.id = id;
    }

    /** Begins the transaction on {@code c} (which it then owns until close) and, if asked, counts every table. */
    public static ExportedSnapshot begin(Connection c, boolean countRows) throws SQLException {
        ExportedSnapshot snapshot = begin(c);
        if (countRows) {
            snapshot.countRows(() -> null);
        }
        return snapshot;
    }

    /** Begins the transaction on {@code c}, which it then owns until close; nothing is counted yet. */
    public static ExportedSnapshot begin(Connection c) throws SQLException {
        c.setAutoCommit(false);
        c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
        c.setReadOnly(true);
        return new ExportedSnapshot(c, Catalog.single(c, "SELECT pg_export_snapshot()"));
    }

    /**
     * Starts counting, on another thread, the rows of the tables {@code tables} gives ({schema, table} pairs; it is
     * called on that thread, so it may wait; null: every ordinary table).
     */
    public synchronized void countRows(Supplier<List<String[]>> tables) {
        if (started) {
            throw new IllegalStateException("rows are already counted");
        }
        started = true;
        counts = CompletableFuture.supplyAsync(() -> {
            try {
                List<String[]> names = tables.get();
                counting = true;
                // a failed count must not abort the exporting transaction: its snapshot would go with it
                Savepoint before = connection.setSavepoint();
                try (Statement st = connection.createStatement()) {
                    // no JIT: compiling a large table's count (about 20 ms) saves nothing
                    st.execute("SET LOCAL row_security = off; SET LOCAL jit = off");
                    Map<String, Long> counted = names == null ? Catalog.rowCounts(connection)
                            : Catalog.rowCounts(connection, names);
                    connection.releaseSavepoint(before);
                    return counted;
                } catch (SQLException e) {
                    connection.rollback(before);
                    throw e;
                }
            } catch (SQLException e) {
                throw new IllegalStateException(Connections.firstLine(e.getMessage()), e);
            } finally {
                counting = false;
            }
        });
    }

    /**
     * Takes {@code counts}, found in this snapshot by other means (the rows of a subset, by a transaction that imported
     * it), as the row counts a copy is checked against.
     */
    public synchronized void countedAs(Map<String, Long> counts) {
        if (started) {
            throw new IllegalStateException("rows are already counted");
        }
        started = true;
        this.counts = CompletableFuture.completedFuture(Map.copyOf(counts));
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

    /** Stops a count that still runs (its statement is cancelled), and ends the transaction. */
    @Override
    public void close() throws SQLException {
        boolean cancelled = false;
        if (counting && !counts.isDone()) {
            try {
                connection.unwrap(PGConnection.class).cancelQuery();
                cancelled = true;
            } catch (SQLException ignored) {
                // it ends anyway when the connection does
            }
        }
        try {
            counts.join();
        } catch (RuntimeException ignored) {
            // a failed or cancelled count: nothing to wait for
        }
        try {
            connection.rollback();
        } catch (SQLException e) {
            if (!cancelled) { // a late cancel request may end the rollback itself; the connection is closed next
                throw e;
            }
        }
    }
}
