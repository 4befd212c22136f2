package io.managedb.db;

import io.managedb.config.Target;
import io.managedb.core.Async;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;

/**
 * Counts the rows of a database while a restore fills it, on a connection and a thread of its own, so that the
 * counts cost the restore as little time as they can. Each table the restore says is loaded ({@link #loaded}: with
 * one pg_restore job, as it goes on to the next table) is counted then, while the next table's rows load. The
 * others are counted once every table's rows are in ({@link #allLoaded}), giving way to the restore's sessions: a
 * table whose lock is not granted within 20 ms (pg_restore building its indexes) is tried again every 50 ms, so that
 * this session never waits on the restore long enough to deadlock with it. What is still locked when the restore
 * ends is counted then, waiting for its locks. While rows load, counting uses no parallel workers: they would take
 * the cores the loading needs. Once every table's rows are in, a count may use them: the last table to be counted
 * is often the largest, whose index build held it until the restore's end, and then nothing else runs.
 */
public final class RowCounter implements AutoCloseable {
    private final Target database;
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "manage-db-row-count");
        t.setDaemon(true);
        return t;
    });
    private final Queue<String> loaded = new ConcurrentLinkedQueue<>();
    // used on the counting thread only, but the connection, which close() closes from any thread
    private final Map<String, Long> counts = new TreeMap<>();
    private volatile Connection connection;
    private boolean closed;
    private List<String[]> tables;
    private Map<String, String[]> byName;
    private boolean givingWay;
    private boolean serial;
    private boolean jitOff;
    private CompletableFuture<Map<String, Long>> all;

    public RowCounter(Target database) {
        this.database = database;
    }

    /** The rows of this table ({@code schema.table}, as pg_restore names it) are in and committed. */
    public void loaded(String table) {
        loaded.add(table);
        try {
            thread.execute(() -> {
                try {
                    countLoaded();
                } catch (SQLException | RuntimeException e) {
                    // what could not be counted now is counted with the rest, where a real error is reported
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            // counting has stopped: the restore failed
        }
    }

    /**
     * Every table's rows are in and committed: counts the rest, giving way to the restore until {@code restoreDone}
     * says that it has ended, and closes the connection. Later calls change nothing.
     */
    public synchronized void allLoaded(BooleanSupplier restoreDone) {
        if (all == null) {
            all = CompletableFuture.supplyAsync(() -> {
                try {
                    countLoaded();
                    countRest(restoreDone);
                    return new TreeMap<>(counts);
                } catch (SQLException e) {
                    throw Connections.translate(database, e);
                } finally {
                    closeConnection();
                }
            }, thread);
        }
    }

    /**
     * Every table's row count ({@code schema.table}), once the restore has ended; counted now when the restore never
     * said that its rows were in.
     */
    public Map<String, Long> counts() {
        allLoaded(() -> true);
        return Async.join(all);
    }

    private void countLoaded() throws SQLException {
        List<String[]> names = new ArrayList<>();
        for (String name; (name = loaded.poll()) != null; ) {
            String[] table = byName().get(name);
            if (table != null && !counts.containsKey(name)) {
                names.add(table);
            }
        }
        if (!names.isEmpty()) {
            session(true, true);
            Catalog.countFree(connection, names, counts); // what is locked now is counted with the rest
        }
    }

    private void countRest(BooleanSupplier restoreDone) throws SQLException {
        byName();
        List<String[]> pending = new ArrayList<>();
        for (String[] t : tables) {
            // a name two tables share (schema "a.b" table "c", schema "a" table "b.c") is counted here, as before
            if (!counts.containsKey(t[0] + "." + t[1]) || !byName.containsKey(t[0] + "." + t[1])) {
                pending.add(t);
            }
        }
        session(true, false);
        while (!pending.isEmpty() && !restoreDone.getAsBoolean()) {
            pending = Catalog.countFree(connection, pending, counts);
            if (!pending.isEmpty()) {
                Catalog.sleep(50);
            }
        }
        session(false, false);
        counts.putAll(Catalog.rowCounts(connection, pending));
    }

    /** The user tables by their {@code schema.table} names, but for names two tables share. */
    private Map<String, String[]> byName() throws SQLException {
        if (byName == null) {
            connect();
            tables = Catalog.userTables(connection);
            byName = new HashMap<>();
            Set<String> shared = new HashSet<>();
            for (String[] t : tables) {
                String name = t[0] + "." + t[1];
                if (byName.put(name, t) != null) {
                    shared.add(name);
                }
            }
            byName.keySet().removeAll(shared);
        }
        return byName;
    }

    /**
     * While the restore runs: short lock waits ({@code givingWay}); while rows load, no parallel workers
     * ({@code serial}). Otherwise the server's own settings, but never JIT compilation.
     */
    private void session(boolean givingWay, boolean serial) throws SQLException {
        StringBuilder sql = new StringBuilder();
        if (!jitOff) {
            // a count of a large table costs more than jit_above_cost: compiling it (about 20 ms) saves nothing
            sql.append("SET jit = off;");
        }
        if (givingWay != this.givingWay) {
            sql.append(givingWay ? "SET lock_timeout = '20ms';" : "RESET lock_timeout;");
        }
        if (serial != this.serial) {
            sql.append(serial ? "SET max_parallel_workers_per_gather = 0;" : "RESET max_parallel_workers_per_gather;");
        }
        if (!sql.isEmpty()) {
            try (Statement st = connection.createStatement()) {
                st.execute(sql.toString());
            }
            this.givingWay = givingWay;
            this.serial = serial;
            this.jitOff = true;
        }
    }

    /** The one counting session; none once closed, so that nothing stays connected to the scratch database. */
    private void connect() throws SQLException {
        if (connection == null) {
            Connection c = Connections.connect(database);
            synchronized (this) {
                if (!closed) {
                    connection = c;
                    return;
                }
            }
            c.close();
            throw new SQLException("row counting was stopped");
        }
    }

    private synchronized void closeConnection() {
        closed = true;
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // closing: nothing left to do with it
            }
        }
    }

    /** Stops counting (the restore failed or is done) and closes the connection, from any thread. */
    @Override
    public void close() {
        thread.shutdownNow();
        closeConnection();
    }
}
