package io.managedb.doctor;

import io.managedb.config.Durations;
import io.managedb.core.ManageDbException;
import io.managedb.backup.BackupCatalog;
import io.managedb.backup.BackupEntry;
import io.managedb.backup.BackupResult;
import io.managedb.backup.BackupService;
import io.managedb.config.Environment;
import io.managedb.config.Target;
import io.managedb.db.Catalog;
import io.managedb.db.Connections;
import io.managedb.db.Database;
import io.managedb.db.EnvironmentStamp;
import io.managedb.db.TargetLock;
import io.managedb.migrate.MigrateService;
import io.managedb.migrate.ValidationResult;
import io.managedb.pg.PgTool;
import io.managedb.pg.PgTools;
import io.managedb.pg.ToolVersion;
import io.managedb.triggers.TriggerService;
import io.managedb.triggers.TriggerVerification;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Proves every building block of manage-db on an environment and leaves it exactly as it was: configuration,
 * connection, versions, transactions, the target lock, the stamp, a backup with its verification and a restore drill,
 * migrations, triggers, a copy, free space and the newest backup's age. The data checks work in a temporary
 * directory and in scratch databases that are always removed; nothing in the environment's database changes, so a
 * protected environment needs no confirmation.
 */
public final class DoctorService {
    private final PgTools tools;
    private final MigrateService migrate;
    private final TriggerService triggers;
    private final BackupCatalog catalog;
    private final Duration maxBackupAge;
    private final DataDrills drills;

    /**
     * @param backups      makes the drill's backup (into a temporary directory, never the backup directory)
     * @param catalog      the backup directory, for its free space and the newest backup's age
     * @param maxBackupAge how old the newest good backup may be (null: not checked)
     */
    public DoctorService(PgTools tools, BackupService backups, MigrateService migrate, TriggerService triggers,
                         BackupCatalog catalog, Duration maxBackupAge) {
        this.tools = tools;
        this.migrate = migrate;
        this.triggers = triggers;
        this.catalog = catalog;
        this.maxBackupAge = maxBackupAge;
        this.drills = new DataDrills(tools, backups);
    }

    public DoctorResult run(List<Environment> environments, boolean quick) {
        return DoctorResult.of(environments.stream().map(e -> run(e, quick)).toList());
    }

    /** Runs every check on one environment; with {@code quick}, those that move data are skipped. */
    public DoctorReport run(Environment env, boolean quick) {
        Target t = env.target();
        Checks checks = new Checks();
        checks.run("configuration", () -> {
            if (!t.unixSocket()) {
                InetAddress.getByName(t.host());
            }
            return env.source() + (t.unixSocket() ? ", socket " : ", host ") + t.host() + " resolves";
        });
        Connection c = checks.open("connection", t);
        try {
            String noConnection = "no connection";
            checks.run("server version", c == null ? noConnection : null, () -> versions(c));
            checks.run("transactions", c == null ? noConnection : null, () -> transactions(t));
            checks.run("target lock", c == null ? noConnection : null, () -> {
                TargetLock.acquire(t, "doctor", Duration.ZERO).close();
                return "taken and released";
            });
            checks.run("environment stamp", c == null ? noConnection : null, () -> stamp(c, env));
            dataChecks(env, quick, c == null ? noConnection : quick ? "--quick" : null, checks);
            checks.run("migrations validate", c == null ? noConnection : null, () -> migrations(c, env));
            checks.run("triggers verify", c == null ? noConnection : null, () -> triggers(env));
            checks.run("copy", c == null ? noConnection : quick ? "--quick" : null, () -> drills.copy(env));
            checks.run("free space", c == null ? noConnection : null, () -> freeSpace(c, env));
            checks.run("backup age", maxBackupAge == null ? "MANAGE_DB_MAX_BACKUP_AGE not set" : null,
                    () -> backupAge(env));
        } finally {
            if (c != null) {
                try {
                    c.close();
                } catch (SQLException ignored) {
                    // nothing was changed over it
                }
            }
        }
        return DoctorReport.of(env.name(), t.masked(), quick, checks.list);
    }

    private void dataChecks(Environment env, boolean quick, String skip, Checks checks) {
        if (skip != null) {
            checks.skip("backup", skip);
            checks.skip("backup verify", skip);
            checks.skip("restore drill", skip);
            return;
        }
        Path dir = null;
        try {
            dir = drills.tempDirectory();
            Path in = dir;
            BackupResult[] backup = new BackupResult[1];
            boolean made = checks.run("backup", () -> {
                backup[0] = drills.backup(env, in);
                return "into a temporary directory, " + size(backup[0].sizeBytes());
            });
            String noBackup = made ? null : "no backup";
            checks.run("backup verify", noBackup, () -> drills.verify(Path.of(backup[0].path())));
            checks.run("restore drill", noBackup, () -> drills.restoreDrill(env, Path.of(backup[0].path())));
        } catch (IOException e) {
            checks.list.add(new DoctorCheck("backup", DoctorCheck.FAILED, 0,
                    "cannot create a temporary directory: " + e.getMessage()));
        } finally {
            if (dir != null) {
                drills.remove(dir);
            }
        }
    }

    private String versions(Connection c) throws SQLException {
        String server = Catalog.serverVersion(c);
        int num = Catalog.serverVersionNum(c);
        List<String> found = new ArrayList<>();
        for (PgTool tool : PgTool.values()) {
            ToolVersion v = tools.version(tool);
            if (!PgTools.compatible(v, num)) {
                throw ManageDbException.config(tool.program() + " " + v.version() + " (" + v.path()
                        + ") is older than the server (PostgreSQL " + server + ")");
            }
            found.add(tool.program() + " " + v.version());
        }
        return "PostgreSQL " + server + "; " + String.join(", ", found);
    }

    /** A savepoint rolled back inside a transaction on a temporary table, then the whole transaction rolled back. */
    private static String transactions(Target t) {
        try (Database db = Database.open(t, 1)) {
            try {
                db.inTransaction(c -> {
                    execute(c, "CREATE TEMPORARY TABLE manage_db_doctor (n int) ON COMMIT DROP");
                    execute(c, "INSERT INTO manage_db_doctor VALUES (1)");
                    try {
                        db.inTransaction(inner -> {
                            execute(inner, "INSERT INTO manage_db_doctor VALUES (2)");
                            throw new Rollback(0);
                        });
                    } catch (Rollback expected) {
                        // the savepoint was rolled back
                    }
                    throw new Rollback(Long.parseLong(Catalog.single(c, "SELECT count(*) FROM manage_db_doctor")));
                });
            } catch (Rollback r) {
                if (r.rows != 1) {
                    throw ManageDbException.failed("the savepoint's rollback left " + r.rows + " rows, expected 1",
                            null);
                }
            }
            String left = db.inTransaction(c -> Catalog.single(c, "SELECT to_regclass('pg_temp.manage_db_doctor')"));
            if (left != null) {
                throw ManageDbException.failed("the rolled-back temporary table still exists", null);
            }
        }
        return "savepoint, then transaction, rolled back on a temporary table";
    }

    /** Ends a transaction of the transaction check on purpose, carrying what it saw. */
    private static final class Rollback extends RuntimeException {
        final long rows;

        Rollback(long rows) {
            super(null, null, false, false);
            this.rows = rows;
        }
    }

    private static void execute(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    private static String stamp(Connection c, Environment env) throws SQLException {
        Optional<String> stamp = EnvironmentStamp.read(c, env.target().database());
        if (stamp.isEmpty()) {
            throw new Skip("the database is not stamped (init and reset stamp it)");
        }
        if (!stamp.get().equals(env.name())) {
            throw ManageDbException.refused("database " + env.target().database() + " is stamped as environment '"
                    + stamp.get() + "'");
        }
        return "stamped as " + stamp.get();
    }

    private String migrations(Connection c, Environment env) throws SQLException {
        var s = migrate.settings();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT to_regclass(format('%I.%I', coalesce(?, current_schema()), ?)) IS NOT NULL")) {
            ps.setString(1, s.schemas().isEmpty() ? null : s.schemas().get(0));
            ps.setString(2, s.historyTable());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next() || !rs.getBoolean(1)) {
                    throw new Skip("no migration history (" + s.historyTable() + ")");
                }
            }
        }
        ValidationResult r = migrate.validate(env);
        if (!r.ok()) {
            throw ManageDbException.failed(String.join("; ", r.problems()), null);
        }
        return "applied migrations match their files (version " + Catalog.flywayVersion(c) + ")";
    }

    private String triggers(Environment env) {
        if (triggers.summary(env) == null) {
            throw new Skip("no managed triggers");
        }
        TriggerVerification v = triggers.verify(env);
        if (!v.ok()) {
            throw ManageDbException.failed(String.join("; ", v.problems()), null);
        }
        return v.checked() + " managed triggers as installed";
    }

    /**
     * The backup directory's file system must have room for the database's whole size: a custom-format dump is
     * compressed and usually a fraction of it (indexes are not dumped), so this leaves a margin without guessing.
     */
    private String freeSpace(Connection c, Environment env) throws SQLException, IOException {
        long size = Long.parseLong(Catalog.single(c, "SELECT pg_database_size(current_database())"));
        io.managedb.storage.Repository repo = catalog.repository(env.name());
        if (repo.localPath("") == null) {
            return "backups go to " + repo.location() + ": custom and plain backups stream there, no local space"
                    + " needed";
        }
        Path dir = repo.localPath("").toAbsolutePath();
        while (!Files.exists(dir) && dir.getParent() != null) {
            dir = dir.getParent();
        }
        long usable = Files.getFileStore(dir).getUsableSpace();
        String detail = size(usable) + " free in " + dir + ", database " + size(size);
        if (usable < size) {
            throw ManageDbException.failed(detail + ": not enough for a backup of this size", null);
        }
        return detail;
    }

    private static String size(long bytes) {
        String[] units = {"kB", "MB", "GB", "TB"};
        double v = bytes / 1024.0;
        int u = 0;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return bytes < 1024 ? bytes + " B" : String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }

    private String backupAge(Environment env) {
        Optional<BackupEntry> latest = catalog.latest(env);
        String limit = Durations.format(maxBackupAge);
        if (latest.isEmpty()) {
            throw ManageDbException.failed("no good full backup in " + catalog.repository(env.name()).location() + " (allowed age " + limit + ")",
                    null);
        }
        Duration age = Duration.between(latest.get().createdAt(), Instant.now());
        String detail = "newest good backup " + Durations.age(age) + " old ("
                + latest.get().name() + "), allowed " + limit;
        if (age.compareTo(maxBackupAge) > 0) {
            throw ManageDbException.failed(detail, null);
        }
        return detail;
    }

    /** Why a check does not apply, thrown from inside it. */
    private static final class Skip extends RuntimeException {
        Skip(String why) {
            super(why, null, false, false);
        }
    }

    /** A check's work: returns what it found, throws what went wrong. */
    @FunctionalInterface
    private interface Step {
        String run() throws Exception;
    }

    /** The checks run so far, each timed. */
    private static final class Checks {
        final List<DoctorCheck> list = new ArrayList<>();

        boolean run(String name, Step step) {
            return run(name, null, step);
        }

        /** Runs a check unless {@code skip} says why not; returns whether it passed. */
        boolean run(String name, String skip, Step step) {
            if (skip != null) {
                skip(name, skip);
                return false;
            }
            long t0 = System.nanoTime();
            String status = DoctorCheck.OK;
            String detail;
            try {
                detail = step.run();
            } catch (Skip s) {
                status = DoctorCheck.SKIPPED;
                detail = s.getMessage();
            } catch (ManageDbException e) {
                status = DoctorCheck.FAILED;
                detail = e.getMessage();
            } catch (Exception e) {
                status = DoctorCheck.FAILED;
                detail = e instanceof java.net.UnknownHostException ? "cannot resolve host " + e.getMessage()
                        : Connections.firstLine(e.getMessage() == null ? e.toString() : e.getMessage());
            }
            list.add(new DoctorCheck(name, status, status.equals(DoctorCheck.SKIPPED) ? 0
                    : (System.nanoTime() - t0) / 1_000_000, detail));
            return status.equals(DoctorCheck.OK);
        }

        void skip(String name, String why) {
            list.add(new DoctorCheck(name, DoctorCheck.SKIPPED, 0, why));
        }

        /** The connection check: opens the connection the later checks share, and measures round trips. */
        Connection open(String name, Target t) {
            Connection[] c = new Connection[1];
            boolean ok = run(name, () -> {
                c[0] = Connections.open(t);
                long[] trips = new long[5];
                try (Statement st = c[0].createStatement()) {
                    for (int i = 0; i < trips.length; i++) {
                        long t0 = System.nanoTime();
                        st.execute("SELECT 1");
                        trips[i] = System.nanoTime() - t0;
                    }
                }
                Arrays.sort(trips);
                return String.format(Locale.ROOT, "latency %.1f ms", trips[trips.length / 2] / 1_000_000.0);
            });
            if (!ok && c[0] != null) {
                try {
                    c[0].close();
                } catch (SQLException ignored) {
                    // it failed already
                }
                return null;
            }
            return c[0];
        }
    }
}
