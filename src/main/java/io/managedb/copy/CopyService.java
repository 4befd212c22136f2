package io.managedb.copy;

import io.managedb.pg.DumpScope;
import io.managedb.core.Async;
import io.managedb.core.ExitCode;
import io.managedb.core.ManageDbException;
import io.managedb.core.Progress;
import io.managedb.backup.BackupService;
import io.managedb.config.Environment;
import io.managedb.config.Target;
import io.managedb.db.Admin;
import io.managedb.db.Catalog;
import io.managedb.db.Connections;
import io.managedb.db.DatabaseIdentity;
import io.managedb.db.ExportedSnapshot;
import io.managedb.db.Sql;
import io.managedb.db.TargetLock;
import io.managedb.masking.MaskingPlan;
import io.managedb.masking.MaskingRules;
import io.managedb.masking.PersonalColumns;
import io.managedb.pg.ChildEnvironment;
import io.managedb.pg.PgDumpArgs;
import io.managedb.pg.PgRestoreArgs;
import io.managedb.pg.PgTool;
import io.managedb.pg.PgTools;
import io.managedb.pg.ProcessSpec;
import io.managedb.pg.PsqlArgs;
import io.managedb.operation.Destructive;
import io.managedb.operation.GuardedOperation;
import io.managedb.db.DatabaseReplacer;
import io.managedb.safety.Guard;
import io.managedb.subset.Subset;
import io.managedb.subset.SubsetPlan;
import io.managedb.subset.SubsetReport;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Copies a database from one environment to another. A full or schema-only copy is restored into a scratch
 * database (pg_dump piped into pg_restore, or with several jobs a {@link ParallelCopy}) and swapped in only when
 * complete; a data-only copy replaces the selected tables' rows in one transaction. Either way a copy that fails
 * leaves the target as it was. The source is only read; the target is guarded, stamp-checked, backed up first
 * (label pre-copy) and keeps its environment stamp. A subset copy ({@link CopyOptions#subset()}) takes the parallel
 * path: its rows are found in the copy's snapshot ({@link io.managedb.subset.SubsetPlan}) and checked against its
 * counts.
 */
public final class CopyService {
    private final PgTools tools;
    private final GuardedOperation pipeline;

    public CopyService(PgTools tools, BackupService backups) {
        this(tools, new GuardedOperation(backups));
    }

    public CopyService(PgTools tools, GuardedOperation pipeline) {
        this.tools = tools;
        this.pipeline = pipeline;
    }

    /**
     * What a copy works with: the target's state and the source's table selection (pg_dump's own, running in the
     * background); under the lock, the source's read lock and the scratch database to build.
     */
    private record Plan(boolean targetExists, CompletableFuture<List<SourceTable>> selection, String replaced,
                        MaskingPlan masking, String refusal, SubsetPlan subset, SubsetReport subsetPreview,
                        TargetLock sourceLock, DatabaseReplacer replacer) implements AutoCloseable {
        @Override
        public void close() {
            try (TargetLock s = sourceLock; DatabaseReplacer r = replacer) {
                // both released, the scratch database dropped unless it was swapped in
            }
        }
    }

    public CopyResult copy(Environment from, Environment to, CopyOptions o, Guard guard, Progress progress) {
        return copy(from, to, o, guard, guard, progress);
    }

    /**
     * A copy; {@code sourceGuard} confirms an {@code --unmasked} copy out of a protected environment (the source's
     * own confirmation: its typed name, or --confirm naming it).
     */
    public CopyResult copy(Environment from, Environment to, CopyOptions o, Guard guard, Guard sourceGuard,
                           Progress progress) {
        // only with several client versions installed is there a choice: then both servers' versions decide it
        PgTools chosen = tools.choosesPerServer() ? toolsFor(from.target(), to.target()) : tools;
        return (chosen == tools ? this : new CopyService(chosen, pipeline))
                .copyWith(from, to, o, guard, sourceGuard, progress);
    }

    /** The installed client version for both servers: the oldest at least as new as the newer of the two. */
    private PgTools toolsFor(Target source, Target target) {
        try (Connection src = Connections.open(source); Admin admin = Admin.connect(target)) {
            return tools.forServer(Math.max(Catalog.serverVersionNum(src), Catalog.serverVersionNum(admin.connection())));
        } catch (SQLException e) {
            throw Connections.translate(source, e);
        }
    }

    private CopyResult copyWith(Environment from, Environment to, CopyOptions o, Guard guard, Guard sourceGuard,
                                Progress progress) {
        Instant started = Instant.now();
        Target source = from.target();
        Target target = to.target();
        try {
            return pipeline.run(to, Destructive.<Plan, CopyResult>named("copy", () -> plan(from, to, o, sourceGuard))
                    .preview(plan -> !o.dryRun() ? null : new CopyResult(from.name(), to.name(), source.database(),
                            target.database(), o.scope().id(), true, names(Async.join(plan.selection())),
                            plan.replaced(), null, null, null, 0, 0,
                            o.masking().masked() ? plan.masking().report() : null, plan.refusal(),
                            plan.subsetPreview()))
                    .confirming(plan -> "replace " + plan.replaced() + " with a copy from " + from.name())
                    .underLock((plan, lock) -> locked(plan, source, target, o))
                    .safetyBackup(plan -> o.safetyBackup() && plan.targetExists() ? "pre-copy" : null)
                    .work((plan, lock, backup) -> {
                        List<String> tables = names(Async.join(plan.selection()));
                        Copied copied = o.scope() == DumpScope.DATA_ONLY
                                ? copyData(source, target, tables, o, progress)
                                : copyDatabase(source, target, plan, o, progress);
                        return new CopyResult(from.name(), to.name(), source.database(), target.database(),
                                o.scope().id(), false, tables, plan.replaced(), copied.rows(), copied.size(), backup,
                                copied.terminated(), Duration.between(started, Instant.now()).toMillis() / 1000.0,
                                o.masking().masked() ? plan.masking().report() : null, null,
                                plan.subset() == null ? null : plan.subset().report(copied.perTable()));
                    }), guard, o.lockWait(), progress);
        } finally {
            progress.done();
        }
    }

    /**
     * Under the target lock: the source's read lock, and the scratch database (created before the safety backup,
     * so that a role which may not create it is refused first).
     */
    private Plan locked(Plan plan, Target source, Target target, CopyOptions o) {
        TargetLock sourceLock = TargetLock.acquire(source, "copy (reading)", o.lockWait());
        try {
            return new Plan(plan.targetExists(), plan.selection(), plan.replaced(), plan.masking(), null,
                    plan.subset(), null, sourceLock,
                    o.scope() == DumpScope.DATA_ONLY ? null : DatabaseReplacer.prepare(target, tools.runner()));
        } catch (RuntimeException e) {
            sourceLock.close();
            throw e;
        }
    }

    /** The checks that can refuse without changing anything (no confirmation, lock or safety backup yet). */
    private Plan plan(Environment from, Environment to, CopyOptions o, Guard sourceGuard) {
        Target source = from.target();
        Target target = to.target();
        if (source.sameDatabaseAs(target)) {
            throw ManageDbException.refused(from.name() + " and " + to.name() + " are the same database ("
                    + target.masked() + "); refusing to copy a database onto itself");
        }
        if (o.jobs() > 1 && o.scope() == DumpScope.DATA_ONLY) {
            throw new ManageDbException(ExitCode.USAGE, "--jobs applies to full and schema-only copies");
        }
        if (o.masking().masked() && o.scope() == DumpScope.DATA_ONLY) {
            throw new ManageDbException(ExitCode.USAGE, "--masked applies to full copies, not --data-only");
        }
        if (o.subset() != null && o.scope() != DumpScope.FULL) {
            throw new ManageDbException(ExitCode.USAGE, "--subset, --subset-percent and --with-children apply to full"
                    + " copies, not --" + o.scope().id());
        }
        boolean targetExists;
        try (Connection src = Connections.open(source); Admin admin = Admin.connect(target)) {
            tools.requireCompatible(Catalog.serverVersionNum(src), PgTool.PG_DUMP, PgTool.PG_RESTORE);
            // the URLs may spell one server differently (localhost, 127.1, its name, a Unix socket): ask it
            if (DatabaseIdentity.same(src, admin.connection(), target.database())) {
                throw ManageDbException.refused(from.name() + " and " + to.name() + " are the same database ("
                        + source.masked() + " and " + target.masked() + " reach database " + target.database()
                        + " of one server); refusing to copy a database onto itself");
            }
            targetExists = admin.exists(target.database());
        } catch (SQLException e) {
            throw Connections.translate(source, e);
        }
        // pg_dump's selection runs while the checks and locks proceed; it is awaited before anything is changed only
        // when it decides something (a pattern that matches nothing, a dry run, a data-only copy)
        CompletableFuture<List<SourceTable>> selection = CompletableFuture.supplyAsync(
                () -> selectedTables(source, o.tables(), o.excludeTables()));
        if (!o.tables().isEmpty() && Async.join(selection).isEmpty()) {
            throw new ManageDbException(ExitCode.USAGE, "no table of " + source.database() + " matches "
                    + String.join(", ", o.tables()));
        }
        // every check that can refuse without changing anything runs here, before the confirmation and the safety
        // backup: a refused copy leaves no pre-copy backup behind
        if (o.scope() == DumpScope.DATA_ONLY) {
            requireSameSchemas(source, target, names(Async.join(selection)), targetExists);
            requireForeignKeys(source, target, o, Async.join(selection));
        } else if (o.scope() == DumpScope.FULL && !o.excludeTableData().isEmpty()) {
            requireForeignKeys(source, source, o, Async.join(selection));
        }
        String replaced = o.scope() == DumpScope.DATA_ONLY
                ? "the rows of " + Async.join(selection).size() + " table(s) of database " + target.database()
                : "all of database " + target.database() + (o.scope() == DumpScope.SCHEMA_ONLY
                ? " (with the source's schema and no data)" : "");
        MaskingPlan masking = MaskingPlan.none();
        String refusal = null;
        Masking m = o.masking();
        // the rules file holds the masking rules and the virtual foreign keys a subset follows
        MaskingRules rules = m.masked() ? MaskingRules.load(m.rulesFile())
                : o.subset() != null && m.rulesFile() != null ? MaskingRules.loadIfExists(m.rulesFile()) : null;
        SubsetPlan subset = null;
        SubsetReport preview = null;
        if (o.subset() != null) {
            try (Connection src = Connections.open(source)) {
                subset = SubsetPlan.prepare(src, o.subset(), rules);
            } catch (SQLException e) {
                throw Connections.translate(source, e);
            }
            if (o.dryRun()) {
                preview = subset.report(subsetRows(source, subset, copiedTables(source, o, Async.join(selection))));
            }
        }
        boolean leaving = from.protectedEnv() && !to.protectedEnv() && o.scope() != DumpScope.SCHEMA_ONLY;
        if (o.scope() != DumpScope.SCHEMA_ONLY && (m.masked() || leaving && m.mode() == Masking.Mode.OFF)) {
            Set<Long> withRows = copiedData(source, o);
            List<String> tables = Async.join(selection).stream()
                    .filter(t -> withRows == null || withRows.contains(t.oid())).map(SourceTable::name).toList();
            try (Connection src = Connections.open(source)) {
                masking = MaskingPlan.build(src, m.masked() ? rules : null, m.secret(),
                        new PersonalColumns(m.personalColumns()), tables);
            } catch (SQLException e) {
                throw Connections.translate(source, e);
            }
            List<String> uncovered = masking.report().uncovered();
            if (leaving && !uncovered.isEmpty()) {
                refusal = personalDataRefusal(from, to, m, uncovered);
                if (!o.dryRun()) {
                    throw ManageDbException.refused(refusal);
                }
            }
        }
        if (leaving && m.mode() == Masking.Mode.UNMASKED && !o.dryRun()) {
            sourceGuard.confirm(from, "copy its data unmasked into unprotected environment '" + to.name() + "'");
        }
        return new Plan(targetExists, selection, replaced, masking, refusal, subset, preview, null, null);
    }

    /** A dry run's subset: its rows in each of these tables ({schema, table}), found in a snapshot of its own. */
    private static Map<String, Long> subsetRows(Target source, SubsetPlan plan, List<String[]> tables) {
        try (Connection c = Connections.open(source)) {
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            c.setReadOnly(true);
            try (Subset subset = plan.compute(c)) {
                Map<String, Long> found = subset.counts();
                Map<String, Long> rows = new java.util.TreeMap<>();
                tables.forEach(t -> rows.put(t[0] + "." + t[1], found.getOrDefault(t[0] + "." + t[1], 0L)));
                return rows;
            }
        } catch (SQLException e) {
            throw Connections.translate(source, e);
        }
    }

    private static String personalDataRefusal(Environment from, Environment to, Masking m, List<String> uncovered) {
        String columns = String.join(", ", uncovered.subList(0, Math.min(10, uncovered.size())))
                + (uncovered.size() > 10 ? " and " + (uncovered.size() - 10) + " more" : "");
        String copying = "refusing to copy from protected environment '" + from.name() + "' into unprotected '"
                + to.name() + "': ";
        return m.masked()
                ? copying + "the masking rules in " + m.rulesFile() + " leave personal column(s) uncovered: " + columns
                        + "; add a rule for each (keep copies one as it is, on purpose); nothing was changed"
                : copying + "it has personal column(s) (MANAGE_DB_PERSONAL_COLUMNS): " + columns + "; copy with"
                        + " --masked (rules in " + m.rulesFile() + "), or with --unmasked and " + from.name()
                        + "'s confirmation; nothing was changed";
    }

    private static List<String> names(List<SourceTable> tables) {
        return tables.stream().map(SourceTable::name).toList();
    }

    /** Outcome of the copy itself; {@code perTable}: the rows copied per table. */
    private record Copied(Long rows, long size, int terminated, Map<String, Long> perTable) {
    }

    private Copied copyDatabase(Target source, Target target, Plan plan, CopyOptions o, Progress progress) {
        DatabaseReplacer replacer = plan.replacer();
        CompletableFuture<List<SourceTable>> selection = plan.selection();
        // every copy of rows is checked against the source's row counts, taken in its exported snapshot while the
        // rows are copied (pg_dump's, or the parallel relays'): with one job here, with several by ParallelCopy
        try (Connection src = Connections.open(source);
             ExportedSnapshot snapshot = begin(src, source, o, selection);
             ChildEnvironment srcEnv = tools.environment(source);
             // with several jobs the schema is dumped while the scratch database is being created
             // masking happens in the parallel path's relay, so a masked copy takes it even with one job
             ParallelCopy parallel = o.relayed()
                     ? new ParallelCopy(tools, source, snapshot, o, srcEnv, progress, plan.masking(), plan.subset())
                     : null;
             ChildEnvironment dstEnv = tools.environment(replacer.scratch())) {
            // when a database is replaced, dropping it at the swap forces a checkpoint: flush the copy early instead
            Map<String, Long> copied = parallel != null
                    ? parallel.copy(replacer.scratch(), dstEnv, copiedData(source, o), replacer.targetExists())
                    : stream(replacer.scratch(), snapshot.id(), o, srcEnv, dstEnv, progress);
            long size;
            try (Connection c = Connections.open(replacer.scratch())) {
                if (copied == null) {
                    copied = Catalog.rowCounts(c);
                }
                size = Long.parseLong(Catalog.single(c, "SELECT pg_database_size(current_database())"));
            }
            Async.join(selection); // the result names the tables: a failed selection fails the copy before the swap
            Map<String, Long> expected = snapshot.rowCounts();
            if (expected != null) {
                Catalog.countMismatch(expected, copied).ifPresent(m -> {
                    throw ManageDbException.failed("copy check failed: table " + m.table() + " has " + m.actual()
                            + " rows, the source had " + m.expected() + (plan.subset() == null ? "" : " in the subset")
                            + "; the target is unchanged", null);
                });
            }
            int terminated = replacer.swap();
            Long rows = o.scope() == DumpScope.SCHEMA_ONLY ? null
                    : copied.values().stream().mapToLong(Long::longValue).sum();
            return new Copied(rows, size, terminated, copied);
        } catch (SQLException e) {
            throw Connections.translate(target, e);
        }
    }

    /**
     * The source's exported snapshot; with one job, a full copy's rows are counted in it at once, while pg_dump runs
     * (a filtered copy's: only the tables whose rows it copies). With several, {@link ParallelCopy} counts them.
     */
    private ExportedSnapshot begin(Connection src, Target source, CopyOptions o,
                                   CompletableFuture<List<SourceTable>> selection) throws SQLException {
        ExportedSnapshot snapshot = ExportedSnapshot.begin(src);
        if (!o.relayed() && o.scope() == DumpScope.FULL) {
            snapshot.countRows(() -> o.filtered() ? copiedTables(source, o, Async.join(selection)) : null);
        }
        return snapshot;
    }

    /** The tables of a filtered selection whose rows are copied, as {schema, table} pairs. */
    private List<String[]> copiedTables(Target source, CopyOptions o, List<SourceTable> selected) {
        Set<Long> copiedData = copiedData(source, o);
        return selected.stream().filter(t -> t.ordinary() && (copiedData == null || copiedData.contains(t.oid())))
                .map(t -> new String[] {t.schema(), t.table()}).toList();
    }

    /**
     * The OIDs of the tables whose rows are copied when --exclude-table-data leaves some behind (its patterns follow
     * pg_dump's -T rules, so the tables it keeps are those a -T with them keeps); null: every table's.
     */
    private Set<Long> copiedData(Target source, CopyOptions o) {
        if (o.excludeTableData().isEmpty()) {
            return null;
        }
        List<String> exclude = new ArrayList<>(o.excludeTables());
        exclude.addAll(o.excludeTableData());
        Set<Long> kept = new HashSet<>();
        selectedTables(source, o.tables(), exclude).forEach(t -> kept.add(t.oid()));
        return kept;
    }

    /** Streams pg_dump into pg_restore (one job): schema and data into the scratch database. */
    private Map<String, Long> stream(Target scratch, String snapshot, CopyOptions o, ChildEnvironment srcEnv,
                                     ChildEnvironment dstEnv, Progress progress) {
        List<String> dumpArgs = PgDumpArgs.format(PgDumpArgs.Format.CUSTOM).verbose().snapshot(snapshot).compress(0)
                .scope(o.scope() == DumpScope.SCHEMA_ONLY ? DumpScope.SCHEMA_ONLY : DumpScope.FULL)
                .tables(o.tables()).excludeTables(o.excludeTables()).excludeTableData(o.excludeTableData()).toList();
        List<String> restoreArgs = PgRestoreArgs.into(scratch.database()).verbose().toList();
        AtomicInteger dumped = new AtomicInteger();
        AtomicInteger restored = new AtomicInteger();
        AtomicLong moved = new AtomicLong();
        Runnable show = () -> progress.update("tables dumped " + dumped.get() + ", restored " + restored.get() + ", "
                + Progress.megabytes(moved.get()) + " streamed");
        tools.runner().pipe(
                ProcessSpec.of(tools.command(PgTool.PG_DUMP, dumpArgs), srcEnv.variables())
                        .onStderrLine(l -> count(l, "dumping contents of table", dumped, show)),
                ProcessSpec.of(tools.command(PgTool.PG_RESTORE, restoreArgs), dstEnv.variables())
                        .stdoutTo(java.io.OutputStream.nullOutputStream())
                        .onStderrLine(l -> count(l, "processing data for table", restored, show)),
                n -> {
                    moved.addAndGet(n);
                    show.run();
                });
        return null;
    }

    private static void count(String line, String marker, AtomicInteger counter, Runnable show) {
        if (line.contains(marker)) {
            counter.incrementAndGet();
            show.run();
        }
    }

    /** The tables pg_dump selects with these -t/-T patterns (its own rules), in its order. */
    private List<SourceTable> selectedTables(Target source, List<String> include, List<String> exclude) {
        List<String> dumpArgs = PgDumpArgs.format(PgDumpArgs.Format.CUSTOM).scope(DumpScope.SCHEMA_ONLY)
                .tables(include).excludeTables(exclude).toList();
        try (ChildEnvironment env = tools.environment(source)) {
            String toc;
            try {
                toc = tools.runner().pipe(ProcessSpec.of(tools.command(PgTool.PG_DUMP, dumpArgs), env.variables()),
                        ProcessSpec.of(tools.command(PgTool.PG_RESTORE, PgRestoreArgs.list().toList()), tools.localEnvironment()))
                        .stdout();
            } catch (ManageDbException e) {
                if (e.getMessage().contains("no matching tables were found")) {
                    return List.of();
                }
                throw e;
            }
            try (Connection c = Connections.open(source)) {
                return SourceTable.load(c, Toc.parse(toc).oids("TABLE"));
            }
        } catch (SQLException e) {
            throw Connections.translate(source, e);
        }
    }

    /**
     * Refuses, naming both tables, a copy that a foreign key would fail half-way: a data-only copy whose TRUNCATE a
     * table outside it blocks, and rows copied while the rows they reference are left out (--exclude-table-data).
     * The keys are read where they hold: the target's for a data-only copy, the source's otherwise.
     */
    private void requireForeignKeys(Target source, Target keysFrom, CopyOptions o, List<SourceTable> selected) {
        Set<Long> withRows = copiedData(source, o);
        List<String> copied = selected.stream().filter(t -> withRows == null || withRows.contains(t.oid()))
                .map(SourceTable::name).toList();
        List<String> dataLess = selected.stream().filter(t -> withRows != null && !withRows.contains(t.oid()))
                .map(SourceTable::name).toList();
        try (Connection src = Connections.open(source); Connection keys = Connections.open(keysFrom)) {
            if (o.scope() == DumpScope.DATA_ONLY) {
                ForeignKeys.requireTruncatable(keys, names(selected), !o.tables().isEmpty());
            }
            if (!dataLess.isEmpty()) {
                ForeignKeys.requireReferencedRows(src, ForeignKeys.all(keys), copied, dataLess);
            }
        } catch (SQLException e) {
            throw Connections.translate(keysFrom, e);
        }
    }

    /** Refuses a data-only copy when a selected table is missing from the target or its columns differ. */
    private static void requireSameSchemas(Target source, Target target, List<String> tables, boolean targetExists) {
        if (!targetExists) {
            throw ManageDbException.refused("database " + target.database() + " does not exist: a data-only copy"
                    + " needs the target's schema (copy without --data-only first)");
        }
        try (Connection s = Connections.open(source); Connection t = Connections.open(target)) {
            for (String table : tables) {
                List<String> sc = columns(s, table);
                List<String> tc = columns(t, table);
                if (tc == null) {
                    throw ManageDbException.refused("table " + table + " does not exist in " + target.database()
                            + "; schemas differ, nothing was copied");
                }
                if (!mayReplaceRows(t, table)) {
                    throw ManageDbException.refused("role " + target.user() + " may not TRUNCATE and INSERT into table "
                            + table + " of " + target.database() + "; nothing was copied");
                }
                for (int i = 0; i < Math.max(sc.size(), tc.size()); i++) {
                    String a = i < sc.size() ? sc.get(i) : "(none)";
                    String b = i < tc.size() ? tc.get(i) : "(none)";
                    if (!a.equals(b)) {
                        throw ManageDbException.refused("schemas differ for table " + table + ": column " + (i + 1)
                                + " is " + a + " in the source but " + b + " in the target; nothing was copied");
                    }
                }
            }
        } catch (SQLException e) {
            throw Connections.translate(target, e);
        }
    }

    private static boolean mayReplaceRows(Connection c, String table) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT has_table_privilege(?::regclass, 'TRUNCATE')"
                + " AND has_table_privilege(?::regclass, 'INSERT')")) {
            ps.setString(1, Sql.quoteQualified(table));
            ps.setString(2, Sql.quoteQualified(table));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    private static List<String> columns(Connection c, String table) throws SQLException {
        String[] parts = table.split("\\.", 2);
        try (PreparedStatement ps = c.prepareStatement("SELECT a.attname || ' ' || format_type(a.atttypid,"
                + " a.atttypmod) FROM pg_attribute a JOIN pg_class r ON r.oid = a.attrelid JOIN pg_namespace n"
                + " ON n.oid = r.relnamespace WHERE n.nspname = ? AND r.relname = ? AND a.attnum > 0"
                + " AND NOT a.attisdropped ORDER BY a.attnum")) {
            ps.setString(1, parts[0]);
            ps.setString(2, parts[1]);
            List<String> cols = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    cols.add(rs.getString(1));
                }
            }
            return cols.isEmpty() ? null : cols;
        }
    }

    /** Replaces the selected tables' rows in one transaction: TRUNCATE, then the source's data, or nothing. */
    private Copied copyData(Target source, Target target, List<String> tables, CopyOptions o, Progress progress) {
        if (tables.isEmpty()) {
            return new Copied(0L, 0, 0, Map.of());
        }
        boolean superuser;
        try (Connection t = Connections.open(target)) {
            superuser = "on".equals(Catalog.single(t, "SHOW is_superuser"));
        } catch (SQLException e) {
            throw Connections.translate(target, e);
        }
        try (Connection src = Connections.open(source); ExportedSnapshot snapshot = ExportedSnapshot.begin(src, false);
             ChildEnvironment srcEnv = tools.environment(source); ChildEnvironment dstEnv = tools.environment(target)) {
            PgDumpArgs data = PgDumpArgs.format(PgDumpArgs.Format.PLAIN).verbose().snapshot(snapshot.id())
                    .scope(DumpScope.DATA_ONLY)
                    // quoted: a pg_dump pattern that matches exactly this table, whatever its case or characters
                    .tables(tables.stream().map(Sql::quoteQualified).toList()).excludeTableData(o.excludeTableData());
            List<String> dumpArgs = (superuser ? data.disableTriggers() : data).toList();
            String truncate = "TRUNCATE " + String.join(", ", tables.stream().map(Sql::quoteQualified).toList());
            AtomicInteger done = new AtomicInteger();
            tools.runner().pipe(
                    ProcessSpec.of(tools.command(PgTool.PG_DUMP, dumpArgs), srcEnv.variables())
                            .onStderrLine(l -> count(l, "dumping contents of table", done,
                                    () -> progress.update("tables copied " + done.get() + "/" + tables.size()))),
                    ProcessSpec.of(tools.command(PgTool.PSQL, PsqlArgs.into(target.database()).singleTransaction()
                            .command(truncate).toList()),
                            dstEnv.variables()).stdoutTo(java.io.OutputStream.nullOutputStream()));
        } catch (SQLException e) {
            throw Connections.translate(source, e);
        }
        try (Connection t = Connections.open(target)) {
            Map<String, Long> counts = Catalog.rowCounts(t);
            long rows = tables.stream().mapToLong(x -> counts.getOrDefault(x, 0L)).sum();
            return new Copied(rows, Long.parseLong(Catalog.single(t, "SELECT pg_database_size(current_database())")), 0,
                    counts);
        } catch (SQLException e) {
            throw Connections.translate(target, e);
        }
    }

}
