package io.managedb.migrate;

import io.managedb.core.ExitCode;
import io.managedb.core.ManageDbException;
import io.managedb.core.Progress;
import io.managedb.backup.BackupOptions;
import io.managedb.backup.BackupService;
import io.managedb.config.Environment;
import io.managedb.config.Target;
import io.managedb.db.Connections;
import io.managedb.db.Sql;
import io.managedb.db.TargetLock;
import io.managedb.operation.Destructive;
import io.managedb.operation.GuardedOperation;
import io.managedb.safety.Guard;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.CoreErrorCode;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.output.MigrateResult;
import org.flywaydb.core.api.output.RepairResult;
import org.flywaydb.core.api.output.ValidateResult;
import org.flywaydb.core.internal.exception.FlywayMigrateException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.text.SimpleDateFormat;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Date;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
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
    private final MigrationSettings settings;
    private final MigrationFiles files;
    private final Placeholders placeholders;
    private final Clock clock;
    private final GuardedOperation pipeline;

    public MigrateService(BackupService backups, Path migrationsDir) {
        this(backups, MigrationSettings.of(migrationsDir));
    }

    public MigrateService(BackupService backups, MigrationSettings settings) {
        this(backups, settings, Clock.systemUTC());
    }

    MigrateService(BackupService backups, Path migrationsDir, Clock clock) {
        this(backups, MigrationSettings.of(migrationsDir), clock);
    }

    MigrateService(BackupService backups, MigrationSettings settings, Clock clock) {
        this.backups = backups;
        this.settings = settings;
        this.files = new MigrationFiles(settings.locations());
        this.placeholders = new Placeholders(settings);
        this.clock = clock;
        this.pipeline = new GuardedOperation(backups);
    }

    private MigrateService(MigrateService service, GuardedOperation pipeline) {
        this.backups = service.backups;
        this.settings = service.settings;
        this.files = service.files;
        this.placeholders = service.placeholders;
        this.clock = service.clock;
        this.pipeline = pipeline;
    }

    /** This service running its destructive operations through {@code pipeline} (to observe its steps). */
    public MigrateService with(GuardedOperation pipeline) {
        return new MigrateService(this, pipeline);
    }

    /** Flyway checksums repeatable migrations with their placeholders replaced: every Flyway command reads them. */
    private void checkRepeatables() {
        files.flywayScripts().stream().filter(p -> p.getFileName().toString().startsWith("R"))
                .forEach(placeholders::check);
    }

    /** Where the migrations are and how Flyway treats them. */
    public MigrationSettings settings() {
        return settings;
    }

    private Flyway flyway(Target target, UnaryOperator<FluentConfiguration> customize) {
        return FlywayFactory.create(target, settings, customize);
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

    /**
     * Every migration with its state; {@code ok} is false when anything is pending, failed, edited or applied but
     * missing its file (what {@link #validate} reports too). An edited repeatable migration is one entry, "outdated".
     */
    public StatusResult status(Environment env) {
        Target target = env.target();
        checkRepeatables();
        try {
            var info = flyway(target, c -> c).info();
            MigrationInfo[] all = info.all();
            Set<String> outdated = new HashSet<>();
            for (MigrationInfo i : all) {
                if (i.getVersion() == null && i.getState() == MigrationState.OUTDATED) {
                    outdated.add(i.getDescription());
                }
            }
            List<MigrationRow> rows = new ArrayList<>();
            List<String> problems = new ArrayList<>();
            int pending = 0;
            int failed = 0;
            for (MigrationInfo i : all) {
                if (i.getVersion() == null && i.getState() == MigrationState.PENDING
                        && outdated.contains(i.getDescription())) {
                    continue; // Flyway lists the new run of an outdated repeatable separately: it is the same entry
                }
                Boolean match = i.getAppliedChecksum() == null || i.getResolvedChecksum() == null ? null
                        : i.getAppliedChecksum().equals(i.getResolvedChecksum());
                String state = state(i.getState());
                rows.add(new MigrationRow(i.getVersion() == null ? null : i.getVersion().getVersion(),
                        i.getDescription(), i.getType() == null ? null : i.getType().name(), state,
                        i.getInstalledOn() == null ? null : i.getInstalledOn().toInstant().toString(),
                        i.getExecutionTime(), match, i.getScript()));
                if (i.getState() == MigrationState.PENDING) {
                    pending++;
                    problems.add(i.getScript() + " is pending");
                } else if (i.getState() == MigrationState.OUTDATED) {
                    pending++;
                    problems.add(i.getScript() + " is outdated (changed since it was applied; apply runs it again)");
                } else if (state.equals("missing")) {
                    problems.add(i.getScript() + ": applied but its file is missing");
                } else if (i.getState().isFailed()) {
                    failed++;
                    problems.add(i.getScript() + " failed");
                } else if (Boolean.FALSE.equals(match) && i.isVersioned()) {
                    problems.add(i.getScript() + " was edited after being applied (checksum mismatch)");
                }
            }
            MigrationInfo current = info.current();
            return new StatusResult(env.name(), target.database(),
                    current == null || current.getVersion() == null ? null : current.getVersion().getVersion(),
                    rows, pending, failed, problems, problems.isEmpty());
        } catch (FlywayException e) {
            throw FlywayErrors.translate(e, target, files);
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
        checkRepeatables();
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
            throw FlywayErrors.translate(e, target, files);
        }
    }

    /** Applies pending migrations, holding the target lock. */
    public ApplyResult apply(Environment env, ApplyOptions options, Progress progress) {
        return apply(env, options, progress, null);
    }

    /**
     * Applies pending migrations.
     *
     * @param held the target lock the caller holds (init, reset --init), or null to take it for the duration
     */
    public ApplyResult apply(Environment env, ApplyOptions options, Progress progress, TargetLock held) {
        if (options.dryRun()) {
            return plan(env, options).result();
        }
        if (held != null) {
            return applyHeld(env, options, progress, held);
        }
        try (TargetLock lock = TargetLock.forWriting(env, "migrate apply", options.lockWait())) {
            return applyHeld(env, options, progress, lock);
        }
    }

    /** Applies pending migrations while the caller holds the target lock (init). */
    private ApplyResult applyHeld(Environment env, ApplyOptions options, Progress progress, TargetLock lock) {
        Instant started = Instant.now();
        Target target = env.target();
        Plan plan = plan(env, options);
        ApplyResult planned = plan.result();
        if (planned.migrations().isEmpty()) {
            return new ApplyResult(env.name(), target.database(), false, planned.fromVersion(), planned.toVersion(),
                    null, 0, List.of(), null, seconds(started));
        }
        String backup = null;
        boolean wantBackup = options.backup() == ApplyOptions.BackupMode.ALWAYS
                || options.backup() == ApplyOptions.BackupMode.AUTO && env.protectedEnv();
        if (wantBackup) {
            backup = backups.backup(env, BackupOptions.safety("pre-migrate"), progress, lock).path();
        }
        try {
            progress.update("applying " + planned.migrations().size() + " migration(s)");
            MigrateResult r = flyway(target, c -> configure(c, options)).migrate();
            List<ApplyResult.Script> applied = r.migrations.stream().map(m -> new ApplyResult.Script(m.version,
                    m.description, m.filepath == null ? null : Path.of(m.filepath).getFileName().toString(), null))
                    .toList();
            return new ApplyResult(env.name(), target.database(), false, planned.fromVersion(),
                    r.targetSchemaVersion != null ? r.targetSchemaVersion : planned.fromVersion(),
                    planned.baselineVersion(), applied.size(), applied, backup, seconds(started));
        } catch (FlywayException e) {
            if (e.getErrorCode() == CoreErrorCode.NON_EMPTY_SCHEMA_WITHOUT_SCHEMA_HISTORY_TABLE) {
                throw notAdopted(env);
            }
            ManageDbException error = FlywayErrors.translate(e, target, files);
            throw e instanceof FlywayMigrateException m ? partialFailure(env, error, m, plan, backup) : error;
        } finally {
            progress.done();
        }
    }

    private static double seconds(Instant started) {
        return Duration.between(started, Instant.now()).toMillis() / 1000.0;
    }

    private static FluentConfiguration configure(FluentConfiguration c, ApplyOptions options) {
        FluentConfiguration result = options.target() == null ? c : c.target(options.target());
        return options.baselineOnMigrate() ? result.baselineOnMigrate(true)
                .baselineVersion(baselineVersion(options)).baselineDescription("manage-db baseline") : result;
    }

    private static String baselineVersion(ApplyOptions options) {
        return options.baselineVersion() == null ? "1" : options.baselineVersion();
    }

    /** The failure, plus what was committed before it (each migration has its own transaction) and where that left us. */
    private ManageDbException partialFailure(Environment env, ManageDbException error, FlywayMigrateException e,
                                             Plan plan, String backup) {
        List<String> scripts = new ArrayList<>();
        List<String> versions = new ArrayList<>();
        String now;
        try {
            var info = flyway(env.target(), c -> c).info();
            for (MigrationInfo i : info.applied()) {
                if (i.getInstalledRank() != null && i.getInstalledRank() > plan.lastRank() && !i.getState().isFailed()
                        && i.getType() != null && !i.getType().name().contains("BASELINE")) {
                    scripts.add(i.getScript());
                    if (i.getVersion() != null) {
                        versions.add(i.getVersion().getVersion());
                    }
                }
            }
            MigrationInfo current = info.current();
            now = current == null || current.getVersion() == null ? null : current.getVersion().getVersion();
        } catch (FlywayException again) {
            return error;
        }
        List<String> names = scripts.stream().map(sc -> sc.replaceFirst("^(V[^_]+)__.*$", "$1")).toList();
        String message = error.getMessage() + "; applied before the failure: "
                + (scripts.isEmpty() ? "none" : scripts.size() + " (" + String.join(", ", names) + ")")
                + "; the database is " + (scripts.isEmpty() ? "still " : "now ")
                + (now == null ? "without a version" : "at version " + now);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("failedScript", e.getMigration() == null ? null
                : Path.of(e.getMigration().getScript()).getFileName().toString());
        details.put("failedLine", e.getLineNumber() > 0 ? e.getLineNumber() : null);
        details.put("fromVersion", plan.result().fromVersion());
        details.put("appliedBeforeFailure", scripts);
        details.put("appliedVersions", versions);
        details.put("appliedCount", scripts.size());
        details.put("currentVersion", now);
        details.put("backup", backup);
        return new ManageDbException(error.exitCode(), message, e, details);
    }

    /** Flyway's "Use baseline() or set baselineOnMigrate to true", in manage-db's words. */
    private ManageDbException notAdopted(Environment env) {
        String e = " -e " + env.name();
        return new ManageDbException(ExitCode.REFUSED, "database " + env.target().database() + " is not empty but has"
                + " no migration history (" + settings.historyTable() + "): adopt it first with 'manage-db migrate"
                + " baseline" + e + " --version V' (V: the version its schema already has), or apply with"
                + " 'manage-db migrate apply" + e + " --baseline-on-migrate [--baseline-version V]'; nothing was"
                + " changed");
    }

    /** What apply would run, and the history's last installed rank (to tell later what one apply committed). */
    private record Plan(ApplyResult result, int lastRank) {
    }

    /** What apply would run, touching nothing; refuses what apply would refuse. */
    private Plan plan(Environment env, ApplyOptions options) {
        Target target = env.target();
        try {
            checkRepeatables();
            Flyway flyway = flyway(target, c -> options.target() == null ? c : c.target(options.target()));
            var info = flyway.info();
            String baseline = null;
            MigrationVersion baselineLimit = null;
            if (!historyExists(target)) {
                boolean empty = info.getInfoResult().allSchemasEmpty;
                if (!empty && !options.baselineOnMigrate() && info.pending().length > 0) {
                    throw notAdopted(env);
                }
                if (!empty && options.baselineOnMigrate()) {
                    baseline = baselineVersion(options);
                    baselineLimit = MigrationVersion.fromVersion(baseline);
                }
            }
            List<ApplyResult.Script> pending = new ArrayList<>();
            Set<String> seen = new HashSet<>();
            for (MigrationInfo i : info.pending()) {
                if (baselineLimit != null && i.getVersion() != null && i.getVersion().compareTo(baselineLimit) <= 0
                        || !seen.add(i.getScript())) {
                    continue;
                }
                Path file = i.getPhysicalLocation() == null || i.getPhysicalLocation().isEmpty() ? null
                        : Path.of(i.getPhysicalLocation());
                if (file != null) {
                    placeholders.check(file);
                }
                String sql = options.includeSql() && file != null ? readQuietly(file) : null;
                pending.add(new ApplyResult.Script(i.getVersion() == null ? null : i.getVersion().getVersion(),
                        i.getDescription(), i.getScript(), sql));
            }
            MigrationInfo current = info.current();
            String from = current == null || current.getVersion() == null ? null : current.getVersion().getVersion();
            String start = baseline != null ? baseline : from;
            String to = pending.stream().map(ApplyResult.Script::version).filter(v -> v != null)
                    .reduce((a, b) -> b).orElse(start);
            int lastRank = Arrays.stream(info.applied()).map(MigrationInfo::getInstalledRank)
                    .filter(r -> r != null).mapToInt(Integer::intValue).max().orElse(0);
            return new Plan(new ApplyResult(env.name(), target.database(), true, from, to, baseline, pending.size(),
                    pending, null, 0), lastRank);
        } catch (FlywayException e) {
            throw FlywayErrors.translate(e, target, files);
        }
    }

    /** Whether the history table exists, where Flyway looks for it (the first schema, else the current one). */
    private boolean historyExists(Target target) {
        try (Connection c = Connections.open(target);
             PreparedStatement ps = c.prepareStatement("SELECT to_regclass(format('%I.%I', coalesce(?, current_schema()), ?))"
                     + " IS NOT NULL")) {
            ps.setString(1, settings.schemas().isEmpty() ? null : settings.schemas().get(0));
            ps.setString(2, settings.historyTable());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        } catch (SQLException e) {
            throw Connections.translate(target, e);
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
        return pipeline.run(env, Destructive.<Rollback, RollbackResult>named("migrate rollback",
                        () -> rollback(env, steps, targetVersion))
                .preview(plan -> dryRun || plan.migrations().isEmpty() ? new RollbackResult(env.name(),
                        target.database(), dryRun, plan.scripts(), currentVersion(target), null) : null)
                .confirming(plan -> "roll back " + plan.migrations().size() + " migration(s) of database "
                        + target.database())
                .underLock((plan, lock) -> {
                    Rollback now = rollback(env, steps, targetVersion);
                    if (!now.scripts().equals(plan.scripts())) {
                        throw ManageDbException.refused("the migration history of " + target.database()
                                + " changed while waiting for its lock; nothing was rolled back (run it again)");
                    }
                    return now;
                })
                .safetyBackup(plan -> env.protectedEnv() && !noBackup ? "pre-rollback" : null)
                .work((plan, lock, backup) -> {
                    try (Connection c = Connections.open(target)) {
                        useDefaultSchema(c);
                        for (int n = 0; n < plan.migrations().size(); n++) {
                            undo(c, plan.migrations().get(n), plan.undoFiles().get(n), n);
                        }
                    } catch (SQLException e) {
                        throw Connections.translate(target, e);
                    }
                    return new RollbackResult(env.name(), target.database(), false, plan.scripts(),
                            currentVersion(target), backup);
                }), guard, lockWait, progress);
    }

    /** The migrations a rollback undoes, newest first, with their undo scripts. */
    private record Rollback(List<MigrationInfo> migrations, List<Path> undoFiles, List<ApplyResult.Script> scripts) {
    }

    private Rollback rollback(Environment env, int steps, String targetVersion) {
        List<MigrationInfo> plan = rollbackPlan(env, steps, targetVersion);
        List<ApplyResult.Script> scripts = new ArrayList<>();
        List<Path> undoFiles = new ArrayList<>();
        for (MigrationInfo i : plan) {
            Path undo = files.undoScript(i.getVersion()).orElseThrow(() -> new ManageDbException(ExitCode.FAILED,
                    "cannot roll back " + i.getScript() + ": its undo script " + i.getScript().replaceFirst("^V", "U")
                            + " is missing from " + files.dir() + "; nothing was changed"));
            placeholders.check(undo);
            undoFiles.add(undo);
            scripts.add(new ApplyResult.Script(i.getVersion().getVersion(), i.getDescription(),
                    undo.getFileName().toString(), null));
        }
        return new Rollback(plan, undoFiles, scripts);
    }


    private List<MigrationInfo> rollbackPlan(Environment env, int steps, String targetVersion) {
        Target target = env.target();
        MigrationInfo[] applied;
        try {
            applied = flyway(target, c -> c).info().applied();
        } catch (FlywayException e) {
            throw FlywayErrors.translate(e, target, files);
        }
        List<MigrationInfo> versioned = Arrays.stream(applied)
                .filter(i -> i.isVersioned() && i.getState() == MigrationState.SUCCESS && i.getType() != null
                        && !i.getType().name().contains("BASELINE"))
                .sorted(Comparator.comparing(MigrationInfo::getInstalledRank).reversed())
                .toList();
        if (targetVersion != null) {
            MigrationVersion limit = MigrationVersion.fromVersion(targetVersion);
            // below the baseline there is nothing manage-db applied, so nothing it can undo
            Arrays.stream(applied).filter(i -> i.getType() != null && i.getType().name().contains("BASELINE")
                            && i.getVersion() != null && i.getVersion().compareTo(limit) > 0)
                    .findFirst().ifPresent(b -> {
                        throw new ManageDbException(ExitCode.USAGE, "cannot roll back " + env.name() + " to version "
                                + targetVersion + ": it was baselined at version " + b.getVersion().getVersion()
                                + ", and what lies below a baseline was never applied as migrations, so it cannot be"
                                + " undone; the lowest --target is " + b.getVersion().getVersion()
                                + "; nothing was changed");
                    });
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

    /** As Flyway does for migrations: the first configured schema comes first in the search path. */
    private void useDefaultSchema(Connection c) throws SQLException {
        if (!settings.schemas().isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT set_config('search_path', quote_ident(?) || ', ' || current_setting('search_path'), false)")) {
                ps.setString(1, settings.schemas().get(0));
                ps.execute();
            }
        }
    }

    private String historyTableSql() {
        return settings.schemas().isEmpty() ? Sql.quoteIdent(settings.historyTable())
                : Sql.quoteIdent(settings.schemas().get(0)) + "." + Sql.quoteIdent(settings.historyTable());
    }

    /** Flyway's built-in placeholders for an undo script, as Flyway would fill them for a migration. */
    private Map<String, String> builtIns(Connection c, Path undoFile) throws SQLException {
        Map<String, String> values = new HashMap<>();
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT current_schema(), current_user, current_database()")) {
            rs.next();
            values.put("defaultschema", settings.schemas().isEmpty() ? rs.getString(1) : settings.schemas().get(0));
            values.put("user", rs.getString(2));
            values.put("database", rs.getString(3));
        }
        values.put("timestamp", new SimpleDateFormat("yyyy-MM-dd HH:mm:ss", Locale.ROOT).format(new Date()));
        values.put("filename", undoFile.getFileName().toString());
        values.put("workingdirectory", Path.of("").toAbsolutePath().toString());
        values.put("table", settings.historyTable());
        values.put("environment", "default");
        return values;
    }

    private void undo(Connection c, MigrationInfo migration, Path undoFile, int done) throws SQLException {
        String sql = placeholders.replace(undoFile, builtIns(c, undoFile));
        c.setAutoCommit(false);
        try (Statement st = c.createStatement()) {
            if (!sql.isBlank()) {
                st.execute(sql);
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "DELETE FROM " + historyTableSql() + " WHERE installed_rank = ?")) {
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
            throw FlywayErrors.translate(e, target, files);
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
            throw FlywayErrors.translate(e, target, files);
        }
    }

    /** Removes failed entries from the history and realigns checksums with the files (guarded). */
    public RepairSummary repair(Environment env, Duration lockWait, Guard guard) {
        Target target = env.target();
        // only the history table changes, and repair says what it removed and realigned: no safety backup
        return pipeline.run(env, Destructive.<Target, RepairSummary>named("migrate repair", () -> target)
                .confirming(plan -> "repair the migration history of database " + target.database())
                .work((plan, lock, backup) -> {
                    try {
                        RepairResult r = flyway(target, c -> c).repair();
                        return new RepairSummary(env.name(), target.database(), names(r.migrationsRemoved),
                                names(r.migrationsAligned), names(r.migrationsDeleted));
                    } catch (FlywayException e) {
                        throw FlywayErrors.translate(e, target, files);
                    }
                }), guard, lockWait, Progress.NONE);
    }

    private static List<String> names(List<org.flywaydb.core.api.output.RepairOutput> outputs) {
        return outputs == null ? List.of() : outputs.stream()
                .map(o -> o.filepath != null && !o.filepath.isEmpty() ? Path.of(o.filepath).getFileName().toString()
                        : o.version + " " + o.description).toList();
    }
}
