package io.managedb.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.managedb.core.ManageDbException;
import io.managedb.config.Target;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import javax.sql.DataSource;

/**
 * Pooled connections to one database (HikariCP) and transactions for application code:
 * <pre>{@code
 * try (Database db = Database.open(target)) {
 *     db.inTransaction(c -> { ...; return null; });
 * }
 * }</pre>
 * A nested {@link #inTransaction(Work)} on the same thread becomes a savepoint: an exception inside it rolls back to
 * the savepoint and propagates; the outer transaction commits only when its own work returns normally.
 */
public final class Database implements AutoCloseable {
    private final Target target;
    private final HikariDataSource pool;
    private final ThreadLocal<Connection> current = new ThreadLocal<>();

    /** Work done with a connection inside a transaction. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection connection) throws Exception;
    }

    private Database(Target target, HikariDataSource pool) {
        this.target = target;
        this.pool = pool;
    }

    /** A pool of at most {@code maxConnections}; fails at once (exit code 4) when the database is unreachable. */
    public static Database open(Target target, int maxConnections) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(target.jdbcUrl());
        config.setDataSourceProperties(target.jdbcProperties());
        config.setMaximumPoolSize(maxConnections);
        config.setMinimumIdle(0);
        config.setConnectionTimeout(10_000);
        config.setInitializationFailTimeout(1);
        config.setPoolName("manage-db");
        try {
            return new Database(target, new HikariDataSource(config));
        } catch (RuntimeException e) {
            Throwable cause = e.getCause();
            while (cause != null && !(cause instanceof SQLException)) {
                cause = cause.getCause();
            }
            if (cause instanceof SQLException sql) {
                throw Connections.translate(target, sql);
            }
            throw ManageDbException.failed("cannot open a connection pool to " + target.masked() + ": "
                    + e.getMessage(), e);
        }
    }

    public static Database open(Target target) {
        return open(target, 4);
    }

    public Target target() {
        return target;
    }

    public DataSource dataSource() {
        return pool;
    }

    /** A connection from the pool; close it to give it back. */
    public Connection connection() {
        try {
            return pool.getConnection();
        } catch (SQLException e) {
            throw Connections.translate(target, e);
        }
    }

    /** Runs work in a transaction (or a savepoint when nested), committing on success and rolling back on failure. */
    public <T> T inTransaction(Work<T> work) {
        Connection outer = current.get();
        if (outer != null) {
            return inSavepoint(outer, work);
        }
        try (Connection c = connection()) {
            c.setAutoCommit(false);
            current.set(c);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (Exception | Error e) {
                c.rollback();
                throw rethrow(e);
            } finally {
                current.remove();
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw Connections.translate(target, e);
        }
    }

    private <T> T inSavepoint(Connection c, Work<T> work) {
        try {
            Savepoint savepoint = c.setSavepoint();
            try {
                T result = work.run(c);
                c.releaseSavepoint(savepoint);
                return result;
            } catch (Exception | Error e) {
                c.rollback(savepoint);
                throw rethrow(e);
            }
        } catch (SQLException e) {
            throw Connections.translate(target, e);
        }
    }

    private RuntimeException rethrow(Throwable e) {
        if (e instanceof RuntimeException r) {
            return r;
        }
        if (e instanceof Error err) {
            throw err;
        }
        if (e instanceof SQLException sql) {
            return Connections.translate(target, sql);
        }
        return ManageDbException.failed(e.getMessage(), e);
    }

    @Override
    public void close() {
        pool.close();
    }
}
