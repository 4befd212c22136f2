package io.managedb.drift;

import io.managedb.core.ExitCode;
import io.managedb.core.ManageDbException;
import io.managedb.core.Progress;
import io.managedb.db.ScratchDatabase;
import io.managedb.config.Environment;
import io.managedb.config.Target;
import io.managedb.db.Catalog;
import io.managedb.db.Connections;
import io.managedb.db.Sql;
import io.managedb.migrate.ApplyOptions;
import io.managedb.migrate.MigrateService;
import io.managedb.migrate.MigrationSettings;
import io.managedb.pg.ProcessRunner;
import org.flywaydb.core.api.MigrationVersion;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Compares an environment's live schema with the one its migrations build (applied up to the environment's version
 * in a scratch database of its server, which is then dropped) or with another environment's. Only reads the
 * environments it inspects.
 */
public final class DriftService {
    private final ProcessRunner runner;
    private final MigrateService migrate;

    /** @param runner drops the scratch database when the JVM is stopped mid-way */
    public DriftService(ProcessRunner runner, MigrateService migrate) {
        this.runner = runner;
        this.migrate = migrate;
    }

    /** The environment against the schema its own migrations build, up to its applied version. */
    public DriftReport againstMigrations(Environment env) {
        Target target = env.target();
        MigrationSettings settings = migrate.settings();
        Map<String, SchemaObject> actual;
        String version;
        try (Connection c = Connections.open(target)) {
            version = appliedVersion(c, env, settings);
            actual = SchemaReader.read(c, settings.historyTable());
        } catch (SQLException e) {
            throw Connections.translate(target, e);
        }
        return ScratchDatabase.with(target, "drift", false, runner, scratch -> {
            Environment expectedEnv = new Environment(env.name() + " (expected schema)", scratch, "a scratch database",
                    false, false);
            migrate.apply(expectedEnv, new ApplyOptions(version, ApplyOptions.BackupMode.NEVER, false, false,
                    Duration.ZERO), Progress.NONE);
            try (Connection c = Connections.open(expectedEnv.target())) {
                return compare(env.name(), "migrations", version, SchemaReader.read(c, settings.historyTable()),
                        actual);
            } catch (SQLException e) {
                throw Connections.translate(expectedEnv.target(), e);
            }
        });
    }

    /** The environment's live schema against another environment's (e.g. prod against staging). */
    public DriftReport againstEnvironment(Environment env, Environment reference) {
        String table = migrate.settings().historyTable();
        return compare(env.name(), reference.name(), null, read(reference.target(), table), read(env.target(), table));
    }

    private static Map<String, SchemaObject> read(Target target, String historyTable) {
        try (Connection c = Connections.open(target)) {
            return SchemaReader.read(c, historyTable);
        } catch (SQLException e) {
            throw Connections.translate(target, e);
        }
    }

    /** The newest successfully applied version in the environment's history table (Flyway's ordering). */
    private static String appliedVersion(Connection c, Environment env, MigrationSettings settings)
            throws SQLException {
        String schema = settings.schemas().isEmpty() ? Catalog.single(c, "SELECT current_schema()")
                : settings.schemas().get(0);
        String table = Sql.quoteIdent(schema) + "." + Sql.quoteIdent(settings.historyTable());
        if (Catalog.single(c, "SELECT to_regclass(" + Sql.quoteLiteral(table) + ")") == null) {
            throw new ManageDbException(ExitCode.USAGE, "environment " + env.name() + " has no migration history ("
                    + settings.historyTable() + "): nothing to build the expected schema from; compare it with"
                    + " another environment (--against ENV2)");
        }
        MigrationVersion newest = null;
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT version FROM " + table
                + " WHERE success AND version IS NOT NULL")) {
            while (rs.next()) {
                MigrationVersion v = MigrationVersion.fromVersion(rs.getString(1));
                newest = newest == null || v.compareTo(newest) > 0 ? v : newest;
            }
        }
        if (newest == null) {
            throw new ManageDbException(ExitCode.USAGE, "environment " + env.name()
                    + " has applied no versioned migration yet; compare it with another environment (--against ENV2)");
        }
        return newest.getVersion();
    }

    static DriftReport compare(String environment, String against, String version,
                               Map<String, SchemaObject> expected, Map<String, SchemaObject> actual) {
        List<String> missing = new ArrayList<>();
        List<String> extra = new ArrayList<>();
        List<DriftReport.Change> changed = new ArrayList<>();
        TreeSet<String> ids = new TreeSet<>(expected.keySet());
        ids.addAll(actual.keySet());
        for (String id : ids) {
            SchemaObject e = expected.get(id);
            SchemaObject a = actual.get(id);
            if (a == null) {
                missing.add(id);
            } else if (e == null) {
                extra.add(id);
            } else if (!e.parts().equals(a.parts())) {
                changed.add(new DriftReport.Change(id, a.difference(e), e.definition(), a.definition()));
            }
        }
        boolean drift = !missing.isEmpty() || !extra.isEmpty() || !changed.isEmpty();
        return new DriftReport(environment, against, version, missing, extra, changed, ids.size(), drift);
    }
}
