package io.managedb.migrate;

import io.managedb.ExitCode;
import io.managedb.ManageDbException;
import io.managedb.Progress;
import io.managedb.backup.BackupOptions;
import io.managedb.backup.BackupService;
import io.managedb.config.Environment;
import io.managedb.config.Target;
import io.managedb.db.Connections;
import io.managedb.db.TargetLock;
import io.managedb.safety.Guard;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.output.MigrateResult;
import org.flywaydb.core.api.output.RepairResult;
import org.flywaydb.core.api.output.ValidateResult;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * The schema lifecycle on top of Flyway: create, apply, rollback (manage-db runs the undo scripts Flyway's community
 * edition does not), status, validate, baseline and repair. Writes hold the target lock; destructive operations are
 * guarded; protected environments get a backup first.
 */
public final class MigrateService {
    private static final DateTimeFormatter VERSION = DateTimeFormatter.ofPattern("yyyyMMddHHmmss")
            .withZone(ZoneOffset.UTC);

    private final BackupService backups;
    private final MigrationFiles files;
    private final Clock clock;

    public MigrateService(BackupService backups, Path migrationsDir) {
        this(backups, migrationsDir, Clock.systemUTC());
    }

    MigrateService(BackupService backups, Path migrationsDir, Clock clock) {
        this.backups = backups;
        this.files = new MigrationFiles(migrationsDir);
        this.clock = clock;
    }

    private Flyway flyway(Target target, UnaryOperator<FluentConfiguration> customize) {
        return FlywayFactory.create(target, files.dir(), customize);
    }

    /** Writes {@code V<yyyyMMddHHmmss>__<slug>.sql} and its undo script {@code U<same>__<slug>.sql}. */
    public CreateResult create(String description) {
        String slug = description.strip().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_")
                .replaceAll("^_+|_+$", "");
        if (slug.isEmpty()) {
            throw new ManageDbException(ExitCode.USAGE, "the description must contain letters or digits");
        }
        Instant now = clock.instant();
        String version = VERSION.format(now);
        files.usingVersion(MigrationVersion.fromVersion(version)).ifPresent(p -> {
            throw ManageDbException.refused("version " + version + " is already used by " + p.getFileName()
                    + "; wait a second and try again");
        });
        Path migration = files.dir().resolve("V" + version + "__" + slug + ".sql");
        Path undo = files.dir().resolve("U" + version + "__" + slug + ".sql");
        try {
            Files.createDirectories(files.dir());
            Files.writeString(migration, "-- Migration: " + description.strip() + "\n-- Created " + now
                    + " by manage-db. Runs in one transaction; undo it in " + undo.getFileName() + ".\n\n",
                    StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE_NEW);
            Files.writeString(undo, "-- Undo of " + migration.getFileName() + ": revert exactly what it does.\n"
                    + "-- Run by manage-db migrate rollback, in one transaction.\n\n",
                    StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE_NEW);
        } catch (IOException e) {
            throw ManageDbException.failed("cannot write migration files: " + e.getMessage(), e);
        }
        return new CreateResult(version, migration.toString(), undo.toString());
    }

    /** Every migration with its state; {@code ok} is false when anything is pending, failed or edited. */
    public StatusResult status(Environment env) {
        Target target = env.target();
        try {
            MigrationInfo[] all = flyway(target, c -> c).info().all();
            List<MigrationRow> rows = new ArrayList<>();
            List<String> problems = new ArrayList<>();
            int pending = 0;
            int failed = 0;
            for (MigrationInfo i : all) {
                Boolean match = i.getAppliedChecksum() == null || i.getResolvedChecksum() == null ? null
                        : i.getAppliedChecksum().equals(i.getResolvedChecksum());
                String state = state(i.getState());
                rows.add(new MigrationRow(i.getVersion() == null ? null : i.getVersion().getVersion(),
                        i.getDescription(), i.getType() == null ? null : i.getType().name(), state,
                        i.getInstalledOn() == null ? null : i.getInstalledOn().toInstant().toString(),
                        i.getExecutionTime(), match, i.getScript()));
                if (i.getState() == MigrationState.PENDING || i.getState() == MigrationState.OUTDATED) {
                    pending++;
                    problems.add(i.getScript() + " is " + state);
                } else if (i.getState().isFailed()) {
                    failed++;
                    problems.add(i.getScript() + " failed");
                } else if (Boolean.FALSE.equals(match) && i.isVersioned()) {
                    problems.add(i.getScript() + " was edited after being applied (checksum mismatch)");
                }
            }
            MigrationInfo current = flyway(target, c -> c).info().current();
            return new StatusResult(env.name(), target.database(),
                    current == null || current.getVersion() == null ? null : current.getVersion().getVersion(),
                    rows, pending, failed, problems, problems.isEmpty());
        } catch (FlywayException e) {
            throw FlywayErrors.translate(e, target);
        }
    }

    private static String state(MigrationState s) {
        return switch (s) {
            case SUCCESS -> "applied";
            case MISSING_SUCCESS, MISSING_FAILED, FUTURE_SUCCESS, FUTURE_FAILED -> "missing";
            default -> s.name().toLowerCase(Locale.ROOT).replace('_', ' ');
        };
    }

    /** Checksum mismatches and applied migrations whose files are missing, each named. */
    public ValidationResult validate(Environment env) {
        Target target = env.target();
        try {
            // an applied migration newer than every local file is "future" to Flyway: here it is a missing file too
            ValidateResult r = flyway(target, c -> c.ignoreMigrationPatterns("*:pending")).validateWithResult();
            List<String> problems = new ArrayList<>();
            for (var invalid : r.invalidMigrations) {
                String name = invalid.filepath != null && !invalid.filepath.isEmpty()
                        ? Path.of(invalid.filepath).getFileName().toString()
                        : "version " + invalid.version + " (" + invalid.description + ")";
                String code = invalid.errorDetails == null || invalid.errorDetails.errorCode == null ? ""
                        : invalid.errorDetails.errorCode.toString();
                String why = switch (code) {
                    case "CHECKSUM_MISMATCH" -> "edited after being applied (checksum mismatch)";
                    case "APPLIED_VERSIONED_MIGRATION_NOT_RESOLVED", "APPLIED_REPEATABLE_MIGRATION_NOT_RESOLVED" ->
                            "applied but its file is missing";
                    case "FAILED_VERSIONED_MIGRATION", "FAILED_REPEATABLE_MIGRATION" -> "failed";
                    default -> invalid.errorDetails == null ? "invalid"
                            : FlywayErrors.firstLine(invalid.errorDetails.errorMessage);
                };
                problems.add(name + ": " + why);
            }
            if (!r.validationSuccessful && problems.isEmpty() && r.errorDetails != null) {
                problems.add(FlywayErrors.firstLine(r.errorDetails.errorMessage));
            }
            return new ValidationResult(env.name(), target.database(), problems.isEmpty(), problems);
        } catch (FlywayException e) {
            throw FlywayErrors.translate(e, target);
        }
    }

    /** Applies pending migrations, holding the target lock. */
    public ApplyResult apply(Environment env, ApplyOptions options, Progress progress) {
        if (options.dryRun()) {
            return plan(env, options);
        }
        try (TargetLock lock = TargetLock.forWriting(env, "migrate apply", options.lockWait())) {
            return applyLocked(env, options, progress);
        }
    }

    /** Applies pending migrations while the caller holds the target lock (init). */
    public ApplyResult applyLocked(Environment env, ApplyOptions options, Progress progress) {
        Instant started = Instant.now();
        Target target = env.target();
        ApplyResult plan = plan(env, options);
        if (plan.migrations().isEmpty()) {
            return new ApplyResult(env.name(), target.database(), false, plan.fromVersion(), plan.toVersion(),
                    List.of(), null, Duration.between(started, Instant.now()).toMillis() / 1000.0);
        }
        String backup = null;
        boolean wantBackup = options.backup() == ApplyOptions.BackupMode.ALWAYS
                || options.backup() == ApplyOptions.BackupMode.AUTO && env.protectedEnv();
        if (wantBackup && !plan.migrations().isEmpty()) {
            backup = backups.backupLocked(env, BackupOptions.safety("pre-migrate"), progress).path();
        }
        try {
            progress.update("applying " + plan.migrations().size() + " migration(s)");
            MigrateResult r = flyway(target, c -> options.target() == null ? c : c.target(options.target())).migrate();
            List<ApplyResult.Script> applied = r.migrations.stream().map(m -> new ApplyResult.Script(m.version,
                    m.description, m.filepath == null ? null : Path.of(m.filepath).getFileName().toString(), null))
                    .toList();
            return new ApplyResult(env.name(), target.database(), false, r.initialSchemaVersion,
                    r.targetSchemaVersion != null ? r.targetSchemaVersion : r.initialSchemaVersion, applied, backup,
                    Duration.between(started, Instant.now()).toMillis() / 1000.0);
        } catch (FlywayException e) {
            throw FlywayErrors.translate(e, target);
        } finally {
            progress.done();
        }
    }

    /** What apply would run, touching nothing. */
    private ApplyResult plan(Environment env, ApplyOptions options) {
        Target target = env.target();
        try {
            Flyway flyway = flyway(target, c -> options.target() == null ? c : c.target(options.target()));
            var info = flyway.info();
            List<ApplyResult.Script> pending = new ArrayList<>();
            for (MigrationInfo i : info.pending()) {
                String sql = options.includeSql() && i.getPhysicalLocation() != null
                        ? readQuietly(Path.of(i.getPhysicalLocation())) : null;
                pending.add(new ApplyResult.Script(i.getVersion() == null ? null : i.getVersion().getVersion(),
                        i.getDescription(), i.getScript(), sql));
            }
            MigrationInfo current = info.current();
            String from = current == null || current.getVersion() == null ? null : current.getVersion().getVersion();
            String to = pending.stream().map(ApplyResult.Script::version).filter(v -> v != null)
                    .reduce((a, b) -> b).orElse(from);
            return new ApplyResult(env.name(), target.database(), true, from, to, pending, null, 0);
        } catch (FlywayException e) {
            throw FlywayErrors.translate(e, target);
        }
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "-- cannot read " + file + ": " + e.getMessage();
        }
    }

    /**
     * Undoes the last {@code steps} applied versioned migrations (or every one newer than {@code targetVersion}),
     * newest first: each undo script runs in a transaction that also removes the migration's history row. A missing
     * undo script stops the rollback before anything changes.
     */
    public RollbackResult rollback(Environment env, int steps, String targetVersion, boolean noBackup, boolean dryRun,
                                   Duration lockWait, Guard guard, Progress progress) {
        Target target = env.target();
        List<MigrationInfo> plan = rollbackPlan(target, steps, targetVersion);
        List<ApplyResult.Script> scripts = new ArrayList<>();
        List<Path> undoFiles = new ArrayList<>();
        for (MigrationInfo i : plan) {
            Path undo = files.undoScript(i.getVersion()).orElseThrow(() -> new ManageDbException(ExitCode.FAILED,
                    "cannot roll back " + i.getScript() + ": its undo script " + i.getScript().replaceFirst("^V", "U")
                            + " is missing from " + files.dir() + "; nothing was changed"));
            undoFiles.add(undo);
            scripts.add(new ApplyResult.Script(i.getVersion().getVersion(), i.getDescription(),
                    undo.getFileName().toString(), null));
        }
        if (dryRun || plan.isEmpty()) {
            return new RollbackResult(env.name(), target.database(), dryRun, scripts, currentVersion(target), null);
        }
        guard.confirm(env, "roll back " + plan.size() + " migration(s) of database " + target.database());
        try (TargetLock lock = TargetLock.forWriting(env, "migrate rollback", lockWait)) {
            String backup = env.protectedEnv() && !noBackup
                    ? backups.backupLocked(env, BackupOptions.safety("pre-rollback"), progress).path() : null;
            try (Connection c = Connections.open(target)) {
                for (int n = 0; n < plan.size(); n++) {
                    undo(c, plan.get(n), undoFiles.get(n), n);
                }
            } catch (SQLException e) {
                throw Connections.translate(target, e);
            }
            return new RollbackResult(env.name(), target.database(), false, scripts, currentVersion(target), backup);
        }
    }

    private List<MigrationInfo> rollbackPlan(Target target, int steps, String targetVersion) {
        MigrationInfo[] applied;
        try {
            applied = flyway(target, c -> c).info().applied();
        } catch (FlywayException e) {
            throw FlywayErrors.translate(e, target);
        }
        List<MigrationInfo> versioned = Arrays.stream(applied)
                .filter(i -> i.isVersioned() && i.getState() == MigrationState.SUCCESS && i.getType() != null
                        && !i.getType().name().contains("BASELINE"))
                .sorted(Comparator.comparing(MigrationInfo::getInstalledRank).reversed())
                .toList();
        if (targetVersion != null) {
            MigrationVersion limit = MigrationVersion.fromVersion(targetVersion);
            return versioned.stream().filter(i -> i.getVersion().compareTo(limit) > 0).toList();
        }
        if (steps < 1) {
            throw new ManageDbException(ExitCode.USAGE, "--steps must be at least 1");
        }
        if (steps > versioned.size()) {
            throw new ManageDbException(ExitCode.USAGE, "cannot roll back " + steps + " migration(s): only "
                    + versioned.size() + " applied");
        }
        return versioned.subList(0, steps);
    }

    private void undo(Connection c, MigrationInfo migration, Path undoFile, int done) throws SQLException {
        String sql = readQuietly(undoFile);
        c.setAutoCommit(false);
        try (Statement st = c.createStatement()) {
            if (!sql.isBlank()) {
                st.execute(sql);
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "DELETE FROM flyway_schema_history WHERE installed_rank = ?")) {
                ps.setInt(1, migration.getInstalledRank());
                ps.executeUpdate();
            }
            c.commit();
        } catch (SQLException e) {
            c.rollback();
            throw new ManageDbException(ExitCode.FAILED, "undo script " + undoFile.getFileName() + " failed: "
                    + FlywayErrors.firstLine(e.getMessage()) + "; it was rolled back"
                    + (done > 0 ? " (" + done + " newer migration(s) were already undone)" : ", nothing changed"), e);
        } finally {
            c.setAutoCommit(true);
        }
    }

    private String currentVersion(Target target) {
        try {
            MigrationInfo current = flyway(target, c -> c).info().current();
            return current == null || current.getVersion() == null ? null : current.getVersion().getVersion();
        } catch (FlywayException e) {
            throw FlywayErrors.translate(e, target);
        }
    }

    /** Adopts an existing database: records a baseline version so that only newer migrations apply. */
    public String baseline(Environment env, String version, Duration lockWait) {
        Target target = env.target();
        try (TargetLock lock = TargetLock.forWriting(env, "migrate baseline", lockWait)) {
            var r = flyway(target, c -> c.baselineVersion(version == null ? "1" : version)
                    .baselineDescription("manage-db baseline")).baseline();
            return r.baselineVersion;
        } catch (FlywayException e) {
            throw FlywayErrors.translate(e, target);
        }
    }

    /** Removes failed entries from the history and realigns checksums with the files (guarded). */
    public RepairSummary repair(Environment env, Duration lockWait, Guard guard) {
        Target target = env.target();
        guard.confirm(env, "repair the migration history of database " + target.database());
        try (TargetLock lock = TargetLock.forWriting(env, "migrate repair", lockWait)) {
            RepairResult r = flyway(target, c -> c).repair();
            return new RepairSummary(env.name(), target.database(), names(r.migrationsRemoved),
                    names(r.migrationsAligned), names(r.migrationsDeleted));
        } catch (FlywayException e) {
            throw FlywayErrors.translate(e, target);
        }
    }

    private static List<String> names(List<org.flywaydb.core.api.output.RepairOutput> outputs) {
        return outputs == null ? List.of() : outputs.stream()
                .map(o -> o.filepath != null && !o.filepath.isEmpty() ? Path.of(o.filepath).getFileName().toString()
                        : o.version + " " + o.description).toList();
    }
}
