package io.managedb.maintenance;

import io.managedb.core.ExitCode;
import io.managedb.files.Checksums;
import io.managedb.files.Trees;
import io.managedb.core.ManageDbException;
import io.managedb.core.Progress;
import io.managedb.config.Environment;
import io.managedb.config.Target;
import io.managedb.db.Admin;
import io.managedb.db.Connections;
import io.managedb.db.EnvironmentStamp;
import io.managedb.db.TargetLock;
import io.managedb.operation.Destructive;
import io.managedb.operation.GuardedOperation;
import io.managedb.safety.Guard;
import io.managedb.migrate.ApplyOptions;
import io.managedb.migrate.ApplyResult;
import io.managedb.migrate.MigrateService;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Brings a database to life: creates it if missing, stamps its environment, applies pending migrations, installs
 * triggers, and with seeding runs the seed files (each once per database, all in one transaction). Running it
 * again changes nothing and says so.
 */
public final class InitService {
    private final MigrateService migrate;
    private final Path seedDir;
    private final TriggerInstaller triggers;
    private final GuardedOperation pipeline;

    public InitService(MigrateService migrate, Path seedDir, TriggerInstaller triggers, GuardedOperation pipeline) {
        this.migrate = migrate;
        this.seedDir = seedDir;
        this.triggers = triggers;
        this.pipeline = pipeline;
    }

    public InitResult init(Environment env, boolean seed, Duration lockWait, Progress progress) {
        // init only adds what is missing: nothing to confirm; migrations take their own pre-migrate backup
        return pipeline.run(env, Destructive.<Environment, InitResult>named("init", () -> env)
                .work((plan, lock, backup) -> init(env, seed, progress, lock)), Guard.yes(), lockWait, progress);
    }

    /**
     * Initialises while the caller holds the target lock (reset --init): creates the database if it does not
     * exist, stamps it, applies migrations, installs triggers, seeds.
     */
    public InitResult init(Environment env, boolean seed, Progress progress, TargetLock lock) {
        Target target = env.target();
        boolean created = false;
        try (Admin admin = Admin.connect(target)) {
            if (!admin.exists(target.database())) {
                admin.create(target.database(), null);
                created = true;
            }
        }
        boolean stamped = stamp(env);
        ApplyResult applied = migrate.apply(env, new ApplyOptions(null, created
                ? ApplyOptions.BackupMode.NEVER : ApplyOptions.BackupMode.AUTO, false, false, Duration.ZERO), progress,
                lock);
        TriggerInstaller.Installed installed = triggers.apply(env, lock);
        String triggerSummary = installed == null ? null : installed.summary();
        List<String> notes = new ArrayList<>();
        List<String> seeded = seed ? seed(target, notes) : List.of();
        List<String> migrations = applied.migrations().stream().map(ApplyResult.Script::script).toList();
        boolean changed = created || stamped || !migrations.isEmpty() || !seeded.isEmpty()
                || installed != null && installed.changed();
        return new InitResult(env.name(), target.database(), created, stamped, migrations, triggerSummary, seeded,
                notes, changed);
    }

    /** Stamps an unstamped database; refuses one stamped as another environment. */
    private static boolean stamp(Environment env) {
        try (Admin admin = Admin.connect(env.target())) {
            Optional<String> stamp = EnvironmentStamp.read(admin.connection(), env.target().database());
            if (stamp.isPresent()) {
                EnvironmentStamp.requireMatches(admin.connection(), env);
                return false;
            }
            EnvironmentStamp.write(admin.connection(), env.target().database(), env.name());
            return true;
        } catch (SQLException e) {
            throw Connections.translate(env.target(), e);
        }
    }

    private List<String> seed(Target target, List<String> notes) {
        List<Path> files = Trees.sqlFiles(seedDir);
        List<String> seeded = new ArrayList<>();
        try (Connection c = Connections.open(target)) {
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                st.execute("CREATE SCHEMA IF NOT EXISTS manage_db");
                st.execute("CREATE TABLE IF NOT EXISTS manage_db.seed_history (file text PRIMARY KEY,"
                        + " sha256 text NOT NULL, seeded_at timestamptz NOT NULL DEFAULT now())");
                for (Path f : files) {
                    String name = f.getFileName().toString();
                    String sql = Files.readString(f, StandardCharsets.UTF_8);
                    String sha = Checksums.ofText(sql);
                    String previous = previousSeed(c, name);
                    if (previous != null) {
                        if (!previous.equals(sha)) {
                            notes.add("seed " + name + " changed since it was run; not run again");
                        }
                        continue;
                    }
                    try {
                        st.execute(sql);
                    } catch (SQLException e) {
                        throw new ManageDbException(ExitCode.FAILED, "seed file " + name + " failed: "
                                + Connections.translate(target, e).getMessage().replaceFirst("^database error on [^:]+: ",
                                "") + "; no seed was applied", e);
                    }
                    try (PreparedStatement ps = c.prepareStatement(
                            "INSERT INTO manage_db.seed_history (file, sha256) VALUES (?, ?)")) {
                        ps.setString(1, name);
                        ps.setString(2, sha);
                        ps.executeUpdate();
                    }
                    seeded.add(name);
                }
                c.commit();
            } catch (RuntimeException | SQLException | IOException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw Connections.translate(target, e);
        } catch (IOException e) {
            throw ManageDbException.failed("cannot read seed files: " + e.getMessage(), e);
        }
        return seeded;
    }

    private static String previousSeed(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT sha256 FROM manage_db.seed_history WHERE file = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }


}
