package io.managedb.db;

import io.managedb.core.ManageDbException;
import io.managedb.db.ScratchNames;
import io.managedb.config.Target;
import io.managedb.db.Admin;
import io.managedb.db.Connections;
import io.managedb.db.EnvironmentStamp;
import io.managedb.db.Sql;
import io.managedb.pg.ProcessRunner;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * Replaces a database atomically: the new content is built in a scratch database (same owner, encoding and locale),
 * and only when it is complete are the two swapped by renaming both in one transaction. Until then the target is
 * untouched; a scratch database left by a killed run is dropped by the next one. The target's database-level
 * settings (including its environment stamp), privileges, comment and connection limit carry over to the new one.
 * The caller holds the target lock.
 */
public final class DatabaseReplacer implements AutoCloseable {
    private static final Set<String> LIST_SETTINGS = Set.of("search_path", "temp_tablespaces",
            "local_preload_libraries", "session_preload_libraries", "shared_preload_libraries");

    /**
     * How long the swap gives the target's terminated sessions to leave the server before it renames: a rename that
     * finds one still leaving sleeps 100 ms before it looks again (seen: 101 ms instead of 1).
     */
    private static final long SESSIONS_LEAVING_MILLIS = 500;

    private final Admin admin;
    private final Target target;
    private final ProcessRunner runner;
    private final String scratch;
    private final boolean targetExists;
    private final Runnable dropOnAbort;
    private final Target restoreInto;
    private boolean swapped;
    private volatile CompletableFuture<Void> flush;

    private DatabaseReplacer(Admin admin, Target target, ProcessRunner runner, String scratch, boolean targetExists) {
        this.admin = admin;
        this.target = target;
        this.restoreInto = admin.forRestore(target.withDatabase(scratch));
        this.runner = runner;
        this.scratch = scratch;
        this.dropOnAbort = Admin.dropOnAbort(target, scratch);
        this.targetExists = targetExists;
    }

    /** Drops stale scratch databases of this target and creates a fresh, empty one. */
    public static DatabaseReplacer prepare(Target target, ProcessRunner runner) {
        Admin admin = Admin.connect(target);
        try {
            String db = target.database();
            for (String stale : admin.databasesLike(ScratchNames.pattern(db, "new"))) {
                admin.dropIfExists(stale);
            }
            for (String stale : admin.databasesLike(ScratchNames.pattern(db, "old"))) {
                admin.dropIfExists(stale);
            }
            boolean exists = admin.exists(db);
            String scratch = ScratchNames.of(db, "new", UUID.randomUUID());
            DatabaseReplacer replacer = new DatabaseReplacer(admin, target, runner, scratch, exists);
            runner.onAbort(replacer.dropOnAbort);
            if (exists) {
                admin.createLike(scratch, db);
                replacer.checkProperties();
            } else {
                admin.create(scratch, null);
            }
            return replacer;
        } catch (RuntimeException e) {
            admin.close();
            throw e;
        }
    }

    /** Where to build the new content (see {@link Admin#forRestore}). */
    public Target scratch() { return restoreInto; }

    public boolean targetExists() { return targetExists; }

    /**
     * Once the new content's rows are in: when the target exists, writes them to disk now, in the background
     * ({@link Admin#checkpoint}), while the rest (indexes, constraints) is built. Dropping the replaced database at
     * the swap forces a checkpoint, which would otherwise write all of them then, after the build.
     */
    public synchronized void flushEarly() {
        if (targetExists && flush == null) {
            flush = CompletableFuture.runAsync(() -> Admin.checkpoint(restoreInto));
        }
    }

    /**
     * Swaps the scratch database in: the target stops accepting connections, its sessions are terminated and given a
     * moment to leave the server, both databases are renamed in one transaction, and the old one is dropped. Returns
     * how many sessions were terminated.
     */
    public int swap() {
        if (flush != null) {
            flush.join();
        }
        copyDatabaseProperties();
        String db = target.database();
        if (!targetExists) {
            admin.rename(scratch, db);
            swapped = true;
            return 0;
        }
        String old = ScratchNames.of(db, "old", UUID.randomUUID());
        admin.allowConnections(db, false);
        int terminated = 0;
        try {
            for (int attempt = 0; ; attempt++) {
                terminated += admin.terminateSessions(db);
                admin.awaitNoOtherSessions(db, SESSIONS_LEAVING_MILLIS);
                try {
                    renameBoth(db, old);
                    break;
                } catch (SQLException e) {
                    if (!"55006".equals(e.getSQLState()) || attempt >= 50) {
                        throw Connections.translate(target, e);
                    }
                    Thread.sleep(100);
                }
            }
        } catch (RuntimeException | InterruptedException e) {
            admin.allowConnections(db, true);
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
                throw new ManageDbException(io.managedb.core.ExitCode.INTERRUPTED, "interrupted; the target is unchanged");
            }
            throw (RuntimeException) e;
        }
        swapped = true;
        runner.removeOnAbort(dropOnAbort);
        try {
            admin.dropIfExists(old);
        } catch (ManageDbException e) {
            // the swap is done; the old copy is dropped by the next run
        }
        return terminated;
    }

    private void renameBoth(String db, String old) throws SQLException {
        Connection c = admin.connection();
        c.setAutoCommit(false);
        try (Statement st = c.createStatement()) {
            st.execute("ALTER DATABASE " + Sql.quoteIdent(db) + " RENAME TO " + Sql.quoteIdent(old));
            st.execute("ALTER DATABASE " + Sql.quoteIdent(scratch) + " RENAME TO " + Sql.quoteIdent(db));
            c.commit();
        } catch (SQLException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    /** Database-level settings (stamp included), privileges, comment and connection limit of the target. */
    private void copyDatabaseProperties() {
        if (targetExists) {
            propertyStatements().forEach(admin::execute);
        }
    }

    /**
     * Tries the statements that carry the target's properties over, in a transaction that is rolled back, so that a
     * role which may not set one of them (a custom parameter on PostgreSQL 15+, say) is told before any work starts.
     */
    private void checkProperties() {
        Connection c = admin.connection();
        String current = null;
        try {
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                for (String sql : propertyStatements()) {
                    current = sql;
                    st.execute(sql);
                }
            } finally {
                c.rollback();
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            String what = current == null ? "" : " (" + current.replace(Sql.quoteIdent(scratch),
                    Sql.quoteIdent(target.database())).replaceFirst(" = .*| IS .*", "") + ")";
            throw ManageDbException.failed("cannot carry the database-level properties of " + target.database()
                    + " over to its replacement as role " + target.user() + what + ": " + e.getMessage()
                    + "; nothing was changed", e);
        }
    }

    private List<String> propertyStatements() {
        List<String> statements = new ArrayList<>();
        String to = Sql.quoteIdent(scratch);
        Connection c = admin.connection();
        String comment = null;
        try {
            try (PreparedStatement ps = c.prepareStatement("SELECT r.rolname, cfg FROM pg_db_role_setting s"
                    + " JOIN pg_database d ON d.oid = s.setdatabase LEFT JOIN pg_roles r ON r.oid = s.setrole,"
                    + " unnest(s.setconfig) cfg WHERE d.datname = ?")) {
                ps.setString(1, target.database());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String cfg = rs.getString(2);
                        int eq = cfg.indexOf('=');
                        String key = cfg.substring(0, eq);
                        String value = cfg.substring(eq + 1);
                        if (rs.getString(1) == null && key.equals(EnvironmentStamp.SETTING)) {
                            continue; // written below, in the form this role may use
                        }
                        String set = " SET " + quoteSettingName(key) + " = "
                                + (LIST_SETTINGS.contains(key) ? value : Sql.quoteLiteral(value));
                        statements.add(rs.getString(1) == null ? "ALTER DATABASE " + to + set
                                : "ALTER ROLE " + Sql.quoteIdent(rs.getString(1)) + " IN DATABASE " + to + set);
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT datacl IS NOT NULL, datconnlimit,"
                    + " shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = ?")) {
                ps.setString(1, target.database());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (rs.getBoolean(1)) {
                        statements.add("REVOKE ALL ON DATABASE " + to + " FROM PUBLIC");
                        statements.addAll(grants(c, to));
                    }
                    if (rs.getInt(2) != -1) {
                        statements.add("ALTER DATABASE " + to + " CONNECTION LIMIT " + rs.getInt(2));
                    }
                    comment = rs.getString(3);
                    if (comment != null) {
                        statements.add("COMMENT ON DATABASE " + to + " IS " + Sql.quoteLiteral(comment));
                    }
                }
            }
            Optional<String> stamp = EnvironmentStamp.read(c, target.database());
            if (stamp.isPresent()) {
                statements.add(EnvironmentStamp.statement(c, scratch, stamp.get(), comment));
            }
        } catch (SQLException e) {
            throw Connections.translate(target, e);
        }
        return statements;
    }

    private List<String> grants(Connection c, String to) throws SQLException {
        List<String> grants = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT CASE WHEN a.grantee = 0 THEN 'PUBLIC'"
                + " ELSE quote_ident(r.rolname) END, a.privilege_type, a.is_grantable"
                + " FROM pg_database d, aclexplode(d.datacl) a LEFT JOIN pg_roles r ON r.oid = a.grantee"
                + " WHERE d.datname = ?")) {
            ps.setString(1, target.database());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    grants.add("GRANT " + rs.getString(2) + " ON DATABASE " + to + " TO " + rs.getString(1)
                            + (rs.getBoolean(3) ? " WITH GRANT OPTION" : ""));
                }
            }
        }
        return grants;
    }

    private static String quoteSettingName(String key) {
        return key.matches("[a-z_][a-z0-9_]*(\\.[a-z_][a-z0-9_]*)?") ? key : Sql.quoteIdent(key);
    }

    /** Drops the scratch database unless it was swapped in. */
    @Override
    public void close() {
        try {
            if (!swapped) {
                admin.dropIfExists(scratch);
                runner.removeOnAbort(dropOnAbort);
            }
        } finally {
            admin.close();
        }
    }
}
