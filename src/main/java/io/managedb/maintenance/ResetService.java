package io.managedb.maintenance;

import io.managedb.Progress;
import io.managedb.backup.BackupOptions;
import io.managedb.backup.BackupService;
import io.managedb.config.Environment;
import io.managedb.config.Target;
import io.managedb.db.Admin;
import io.managedb.db.Connections;
import io.managedb.db.Sql;
import io.managedb.db.TargetLock;
import io.managedb.pg.PgTools;
import io.managedb.restore.DatabaseReplacer;
import io.managedb.safety.Guard;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Empties a database: safety backup (label pre-reset), then drop and recreate it with the same owner, encoding,
 * locale, database-level settings and environment stamp (an empty database swapped in for the old one), optionally
 * followed by {@code init}. Without the CREATEDB privilege it drops every non-system schema's contents instead.
 */
public final class ResetService {
    private final PgTools tools;
    private final BackupService backups;
    private final InitService init;

    public ResetService(PgTools tools, BackupService backups, InitService init) {
        this.tools = tools;
        this.backups = backups;
        this.init = init;
    }

    /**
     * @param runInit run init afterwards (migrations, triggers; seeds when {@code seed})
     */
    public ResetResult reset(Environment env, boolean runInit, boolean seed, boolean safetyBackup, Duration lockWait,
                             Guard guard, Progress progress) {
        Target target = env.target();
        guard.confirm(env, "reset (drop and recreate) database " + target.database());
        boolean exists;
        boolean mayCreate;
        try (Admin admin = Admin.connect(target)) {
            exists = admin.exists(target.database());
            mayCreate = admin.mayCreateDatabases();
        }
        try (TargetLock lock = TargetLock.forWriting(env, "reset", lockWait)) {
            String backup = safetyBackup && exists
                    ? backups.backupLocked(env, BackupOptions.safety("pre-reset"), progress).path() : null;
            int terminated;
            String mode = "recreated";
            if (mayCreate || !exists) {
                try (DatabaseReplacer replacer = DatabaseReplacer.prepare(target, tools.runner())) {
                    terminated = replacer.swap();
                }
            } else {
                terminated = emptySchemas(target);
                mode = "emptied";
            }
            InitResult initResult = runInit ? init.initLocked(env, seed, false, progress) : null;
            return new ResetResult(env.name(), target.database(), backup, terminated, mode, initResult);
        }
    }

    /** Drops and recreates every non-system schema (same owner); returns how many sessions were terminated. */
    private static int emptySchemas(Target target) {
        try (Connection c = Connections.open(target); Statement st = c.createStatement()) {
            int terminated;
            try (ResultSet rs = st.executeQuery("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                    + " WHERE datname = current_database() AND pid <> pg_backend_pid()")) {
                rs.next();
                terminated = rs.getInt(1);
            }
            List<String[]> schemas = new ArrayList<>();
            try (ResultSet rs = st.executeQuery("SELECT nspname, pg_get_userbyid(nspowner) FROM pg_namespace"
                    + " WHERE nspname NOT LIKE 'pg\\_%' AND nspname <> 'information_schema'")) {
                while (rs.next()) {
                    schemas.add(new String[] {rs.getString(1), rs.getString(2)});
                }
            }
            c.setAutoCommit(false);
            for (String[] s : schemas) {
                st.execute("DROP SCHEMA " + Sql.quoteIdent(s[0]) + " CASCADE");
                st.execute("CREATE SCHEMA " + Sql.quoteIdent(s[0]) + " AUTHORIZATION " + Sql.quoteIdent(s[1]));
                if (s[0].equals("public")) {
                    st.execute("GRANT USAGE ON SCHEMA public TO PUBLIC");
                }
            }
            c.commit();
            return terminated;
        } catch (SQLException e) {
            throw Connections.translate(target, e);
        }
    }
}
