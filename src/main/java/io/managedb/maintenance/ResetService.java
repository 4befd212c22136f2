package io.managedb.maintenance;

import io.managedb.core.Progress;
import io.managedb.config.Environment;
import io.managedb.config.Target;
import io.managedb.db.Admin;
import io.managedb.db.Connections;
import io.managedb.db.Sql;
import io.managedb.operation.Destructive;
import io.managedb.operation.GuardedOperation;
import io.managedb.pg.PgTools;
import io.managedb.db.DatabaseReplacer;
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
    private final InitService init;
    private final GuardedOperation pipeline;

    public ResetService(PgTools tools, InitService init, GuardedOperation pipeline) {
        this.tools = tools;
        this.init = init;
        this.pipeline = pipeline;
    }

    /** What a reset works with: whether the database exists and may be recreated; under the lock, its replacer. */
    private record Plan(boolean exists, boolean mayCreate, DatabaseReplacer replacer) implements AutoCloseable {
        @Override
        public void close() {
            if (replacer != null) {
                replacer.close();
            }
        }
    }

    /**
     * @param runInit run init afterwards (migrations, triggers; seeds when {@code seed})
     */
    public ResetResult reset(Environment env, boolean runInit, boolean seed, boolean safetyBackup, Duration lockWait,
                             Guard guard, Progress progress) {
        Target target = env.target();
        return pipeline.run(env, Destructive.<Plan, ResetResult>named("reset", () -> {
                    try (Admin admin = Admin.connect(target)) {
                        return new Plan(admin.exists(target.database()), admin.mayCreateDatabases(), null);
                    }
                })
                .confirming(plan -> "reset (drop and recreate) database " + target.database())
                // a replacement is created (and the target's properties tried on it) before the safety backup
                .underLock((plan, lock) -> plan.mayCreate() || !plan.exists() ? new Plan(plan.exists(),
                        plan.mayCreate(), DatabaseReplacer.prepare(target, tools.runner())) : plan)
                .safetyBackup(plan -> safetyBackup && plan.exists() ? "pre-reset" : null)
                .work((plan, lock, backup) -> {
                    int terminated = plan.replacer() != null ? plan.replacer().swap() : emptySchemas(target);
                    String mode = plan.replacer() != null ? "recreated" : "emptied";
                    InitResult initResult = runInit ? init.init(env, seed, progress, lock) : null;
                    return new ResetResult(env.name(), target.database(), backup, terminated, mode, initResult);
                }), guard, lockWait, progress);
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
