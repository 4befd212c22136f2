package io.managedb.db;

import io.managedb.core.ExitCode;
import io.managedb.core.ManageDbException;
import io.managedb.config.Target;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Server-level statements (create, drop, rename a database; terminate its sessions) over a connection to the
 * server's maintenance database ({@code postgres}, else {@code template1}).
 */
public final class Admin implements AutoCloseable {
    private final Target server;
    private final Connection connection;

    private Admin(Target server, Connection connection) {
        this.server = server;
        this.connection = connection;
    }

    /** Connects to the maintenance database of {@code target}'s server, with the target's credentials. */
    public static Admin connect(Target target) {
        return new Admin(target, openMaintenance(target));
    }

    static Connection openMaintenance(Target target) {
        try {
            return Connections.connect(target.withDatabase("postgres"));
        } catch (SQLException e) {
            if ("3D000".equals(e.getSQLState())) {
                try {
                    return Connections.connect(target.withDatabase("template1"));
                } catch (SQLException again) {
                    throw Connections.translate(target, again);
                }
            }
            // the configured database is what the user knows, not the maintenance database
            throw Connections.translate(target, e);
        }
    }

    public Connection connection() {
        return connection;
    }

    /** Names of databases matching a LIKE pattern. */
    public java.util.List<String> databasesLike(String pattern) {
        java.util.List<String> names = new java.util.ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement("SELECT datname FROM pg_database WHERE datname LIKE ?")) {
            ps.setString(1, pattern);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
            }
        } catch (SQLException e) {
            throw Connections.translate(server, e);
        }
        return names;
    }

    public boolean exists(String database) {
        return queryBoolean("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = ?)", database);
    }

    /** CREATE DATABASE name [OWNER owner] [TEMPLATE template0 ...]. */
    public void create(String database, String owner) {
        execute("CREATE DATABASE " + Sql.quoteIdent(database)
                + (owner == null ? "" : " OWNER " + Sql.quoteIdent(owner)));
    }

    /**
     * Creates a database like {@code like}, empty (from template0): the same owner, encoding, locale provider,
     * collation and character type (and ICU or builtin locale), and default tablespace, so that text sorts the same.
     */
    public void createLike(String database, String like) {
        int version = serverVersion();
        String locale = version >= 170000 ? "datlocale" : version >= 150000 ? "daticulocale" : "NULL";
        String provider = version >= 150000 ? "datlocprovider" : "'c'";
        String sql = "SELECT pg_get_userbyid(datdba), pg_encoding_to_char(encoding), datcollate, datctype, "
                + provider + ", " + locale + ", (SELECT spcname FROM pg_tablespace WHERE oid = dattablespace)"
                + (version >= 160000 ? ", daticurules" : ", NULL")
                + " FROM pg_database WHERE datname = ?";
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setString(1, like);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new ManageDbException(ExitCode.UNREACHABLE, "database " + like + " does not exist");
                }
                StringBuilder create = new StringBuilder("CREATE DATABASE " + Sql.quoteIdent(database) + " OWNER "
                        + Sql.quoteIdent(rs.getString(1)) + " TEMPLATE template0 ENCODING "
                        + Sql.quoteLiteral(rs.getString(2)) + " LC_COLLATE " + Sql.quoteLiteral(rs.getString(3))
                        + " LC_CTYPE " + Sql.quoteLiteral(rs.getString(4)));
                switch (rs.getString(5)) {
                    case "i" -> {
                        create.append(" LOCALE_PROVIDER icu ICU_LOCALE ").append(Sql.quoteLiteral(rs.getString(6)));
                        if (rs.getString(8) != null) {
                            create.append(" ICU_RULES ").append(Sql.quoteLiteral(rs.getString(8)));
                        }
                    }
                    case "b" -> create.append(" LOCALE_PROVIDER builtin BUILTIN_LOCALE ")
                            .append(Sql.quoteLiteral(rs.getString(6)));
                    default -> create.append(version >= 150000 ? " LOCALE_PROVIDER libc" : "");
                }
                if (!"pg_default".equals(rs.getString(7))) {
                    create.append(" TABLESPACE ").append(Sql.quoteIdent(rs.getString(7)));
                }
                execute(create.toString());
            }
        } catch (SQLException e) {
            throw Connections.translate(server, e);
        }
    }

    private int serverVersion() {
        try {
            return Catalog.serverVersionNum(connection);
        } catch (SQLException e) {
            throw Connections.translate(server, e);
        }
    }

    /** The least maintenance_work_mem a restore's index builds get (pgcopydb uses 1 GB). */
    private static final String INDEX_MEMORY = "512MB";

    /**
     * Where a restore into {@code scratch} connects: as a superuser, with {@code session_replication_role=replica},
     * so that the restore's own statements (a materialized view's refresh, say) fire no event trigger or ordinary
     * trigger of the restored database, and its content equals the backup's. Other roles cannot create event
     * triggers, nor set that parameter. Any role: with {@code synchronous_commit=off}, so that the thousands of
     * commits of a restore of many objects do not each wait for a WAL flush. Nothing is less durable for it: a
     * scratch database is worth nothing until it is swapped in, and the swap's own (synchronous) commit flushes the
     * WAL up to itself, every earlier commit of the restore included. And with at least {@value #INDEX_MEMORY} of
     * maintenance_work_mem (unless the server gives more), so that index builds sort in memory rather than in
     * temporary files: each build, one per job, may use that much.
     */
    public Target forRestore(Target scratch) {
        Target restore = scratch.withSetting("synchronous_commit", "off");
        try {
            if ("true".equals(Catalog.single(connection, "SELECT (pg_size_bytes(current_setting("
                    + "'maintenance_work_mem')) < pg_size_bytes('" + INDEX_MEMORY + "'))::text"))) {
                restore = restore.withSetting("maintenance_work_mem", INDEX_MEMORY);
            }
            return "on".equals(Catalog.single(connection, "SHOW is_superuser"))
                    ? restore.withSetting("session_replication_role", "replica") : restore;
        } catch (SQLException e) {
            throw Connections.translate(server, e);
        }
    }

    /** Whether this role may create databases (superuser or CREATEDB). */
    public boolean mayCreateDatabases() {
        return queryBoolean("SELECT rolsuper OR rolcreatedb FROM pg_roles WHERE rolname = ?", serverUser());
    }

    private String serverUser() {
        try {
            return Catalog.single(connection, "SELECT current_user");
        } catch (SQLException e) {
            throw Connections.translate(server, e);
        }
    }

    /**
     * What to run if the JVM is stopped (SIGTERM) while a scratch database exists: drops it through a connection of
     * its own, since the operation's connection may be busy, or being closed, on another thread.
     */
    public static Runnable dropOnAbort(Target server, String database) {
        return () -> {
            try (Admin own = connect(server)) {
                own.dropIfExists(database);
            }
        };
    }

    /**
     * Runs CHECKPOINT on {@code target}'s server: writes every dirty page to disk now. Needs the right to (superuser
     * or pg_checkpoint); without it, or on any error, nothing happens: the next checkpoint writes them instead.
     */
    public static void checkpoint(Target target) {
        try (Connection c = Connections.open(target); Statement st = c.createStatement()) {
            st.execute("CHECKPOINT");
        } catch (SQLException | RuntimeException e) {
            // no right to checkpoint, or the work is failing: nothing lost
        }
    }

    public void dropIfExists(String database) {
        execute("DROP DATABASE IF EXISTS " + Sql.quoteIdent(database) + " WITH (FORCE)");
    }

    public void rename(String from, String to) {
        execute("ALTER DATABASE " + Sql.quoteIdent(from) + " RENAME TO " + Sql.quoteIdent(to));
    }

    /** Terminates every other session connected to the database; returns how many there were. */
    public int terminateSessions(String database) {
        String sql = "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                + " WHERE datname = ? AND pid <> pg_backend_pid()";
        return queryValue(sql, database, Long.class).intValue();
    }

    /**
     * Waits, for at most {@code maxMillis}, until no other session is connected to the database, looking every 2 ms.
     * A session that has just been terminated may still be leaving the server, and a RENAME that finds it there
     * sleeps 100 ms before it looks again. The caller goes on either way: the server then waits for the rest itself,
     * or refuses.
     */
    public void awaitNoOtherSessions(String database, long maxMillis) throws InterruptedException {
        String sql = "SELECT count(*) FROM pg_stat_activity WHERE datname = ? AND pid <> pg_backend_pid()";
        long deadline = System.nanoTime() + maxMillis * 1_000_000;
        while (queryValue(sql, database, Long.class) > 0 && System.nanoTime() < deadline) {
            Thread.sleep(2);
        }
    }

    /** Stops new connections to a database (or allows them again). */
    public void allowConnections(String database, boolean allow) {
        execute("ALTER DATABASE " + Sql.quoteIdent(database) + " WITH ALLOW_CONNECTIONS " + allow);
    }

    public void execute(String sql) {
        try (Statement st = connection.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw Connections.translate(server, e);
        }
    }

    private boolean queryBoolean(String sql, String param) {
        return Boolean.TRUE.equals(queryValue(sql, param, Boolean.class));
    }

    /** The first column of the one row a query with one text parameter returns. */
    private <T> T queryValue(String sql, String param, Class<T> type) {
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setString(1, param);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getObject(1, type);
            }
        } catch (SQLException e) {
            throw Connections.translate(server, e);
        }
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException ignored) {
            // closing a connection that failed: nothing left to do
        }
    }
}
