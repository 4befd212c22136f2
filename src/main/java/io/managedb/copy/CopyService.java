package io.managedb.copy;

import io.managedb.ExitCode;
import io.managedb.ManageDbException;
import io.managedb.Progress;
import io.managedb.backup.BackupOptions;
import io.managedb.backup.BackupService;
import io.managedb.config.Environment;
import io.managedb.config.Target;
import io.managedb.db.Admin;
import io.managedb.db.Catalog;
import io.managedb.db.Connections;
import io.managedb.db.EnvironmentStamp;
import io.managedb.db.ExportedSnapshot;
import io.managedb.db.Sql;
import io.managedb.db.TargetLock;
import io.managedb.pg.ChildEnvironment;
import io.managedb.pg.PgTool;
import io.managedb.pg.PgTools;
import io.managedb.pg.ProcessRunner;
import io.managedb.pg.ProcessSpec;
import io.managedb.restore.DatabaseReplacer;
import io.managedb.safety.Guard;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Copies a database from one environment to another. A full or schema-only copy is restored into a scratch
 * database (pg_dump piped into pg_restore, or with several jobs a parallel dump and restore through a temporary
 * directory that is always removed) and swapped in only when complete; a data-only copy replaces the selected
 * tables' rows in one transaction. Either way a copy that fails leaves the target as it was. The source is only
 * read; the target is guarded, stamp-checked, backed up first (label pre-copy) and keeps its environment stamp.
 */
public final class CopyService {
    private final PgTools tools;
    private final BackupService backups;

    public CopyService(PgTools tools, BackupService backups) {
        this.tools = tools;
        this.backups = backups;
    }

    public CopyResult copy(Environment from, Environment to, CopyOptions o, Guard guard, Progress progress) {
        Instant started = Instant.now();
        Target source = from.target();
        Target target = to.target();
        if (source.sameDatabaseAs(target)) {
            throw ManageDbException.refused(from.name() + " and " + to.name() + " are the same database ("
                    + target.masked() + "); refusing to copy a database onto itself");
        }
        if (o.jobs() > 1 && o.scope() == CopyOptions.Scope.DATA_ONLY) {
            throw new ManageDbException(ExitCode.USAGE, "--jobs applies to full and schema-only copies");
        }
        try (Connection src = Connections.open(source)) {
            tools.requireCompatible(Catalog.serverVersionNum(src), PgTool.PG_DUMP, PgTool.PG_RESTORE);
        } catch (SQLException e) {
            throw Connections.translate(source, e);
        }
        List<String> tables = selectedTables(source, o);
        boolean targetExists;
        try (Admin admin = Admin.connect(target)) {
            targetExists = admin.exists(target.database());
        }
        if (o.scope() == CopyOptions.Scope.DATA_ONLY) {
            requireSameSchemas(source, target, tables, targetExists);
        }
        String replaced = o.scope() == CopyOptions.Scope.DATA_ONLY
                ? "the rows of " + tables.size() + " table(s) of database " + target.database()
                : "all of database " + target.database() + (o.scope() == CopyOptions.Scope.SCHEMA_ONLY
                ? " (with the source's schema and no data)" : "");
        if (o.dryRun()) {
            return new CopyResult(from.name(), to.name(), source.database(), target.database(), o.scope().id(), true,
                    tables, replaced, null, null, null, 0, 0);
        }
        guard.confirm(to, "replace " + replaced + " with a copy from " + from.name());
        try (Admin admin = Admin.connect(target)) {
            EnvironmentStamp.requireMatches(admin.connection(), to);
        }
        try (TargetLock sourceLock = TargetLock.acquire(source, "copy (reading)", o.lockWait());
             TargetLock targetLock = TargetLock.acquire(target, "copy", o.lockWait())) {
            String backup = o.safetyBackup() && targetExists
                    ? backups.backupLocked(to, BackupOptions.safety("pre-copy"), progress).path() : null;
            Copied copied = o.scope() == CopyOptions.Scope.DATA_ONLY
                    ? copyData(source, target, tables, o, progress)
                    : copyDatabase(source, target, tables, o, progress);
            return new CopyResult(from.name(), to.name(), source.database(), target.database(), o.scope().id(), false,
                    tables, replaced, copied.rows(), copied.size(), backup, copied.terminated(),
                    Duration.between(started, Instant.now()).toMillis() / 1000.0);
        } finally {
            progress.done();
        }
    }

    /** Outcome of the copy itself. */
    private record Copied(Long rows, long size, int terminated) {
    }

    private Copied copyDatabase(Target source, Target target, List<String> tables, CopyOptions o,
                                Progress progress) {
        // the streamed copy is checked against the source's row counts in its snapshot; the parallel relay gets
        // each table's row count from COPY itself, and counting the source as well would slow it down
        boolean compareCounts = o.scope() == CopyOptions.Scope.FULL && !o.filtered() && o.jobs() <= 1;
        try (Connection src = Connections.open(source);
             ExportedSnapshot snapshot = ExportedSnapshot.begin(src, compareCounts);
             DatabaseReplacer replacer = DatabaseReplacer.prepare(target, tools.runner())) {
            Map<String, Long> copied = transfer(source, replacer.scratch(), snapshot.id(), tables, o, progress);
            long size;
            try (Connection c = Connections.open(replacer.scratch())) {
                if (copied == null) {
                    copied = Catalog.rowCounts(c);
                }
                size = Long.parseLong(Catalog.single(c, "SELECT pg_database_size(current_database())"));
            }
            if (compareCounts) {
                Catalog.countMismatch(snapshot.rowCounts(), copied).ifPresent(m -> {
                    throw ManageDbException.failed("copy check failed: table " + m.table() + " has " + m.actual()
                            + " rows, the source had " + m.expected() + "; the target is unchanged", null);
                });
            }
            int terminated = replacer.swap();
            Long rows = o.scope() == CopyOptions.Scope.SCHEMA_ONLY ? null
                    : copied.values().stream().mapToLong(Long::longValue).sum();
            return new Copied(rows, size, terminated);
        } catch (SQLException e) {
            throw Connections.translate(target, e);
        }
    }

    /** Moves schema and data into the scratch database; returns rows copied per table when known, else null. */
    private Map<String, Long> transfer(Target source, Target scratch, String snapshot, List<String> tables,
                                       CopyOptions o, Progress progress) {
        List<String> dumpArgs = new ArrayList<>(List.of("--verbose", "--snapshot=" + snapshot));
        dumpArgs.addAll(filterArgs(o));
        List<String> restoreArgs = new ArrayList<>(List.of("--exit-on-error", "--verbose", "--no-owner", "--no-acl",
                "--dbname=" + scratch.database()));
        AtomicInteger dumped = new AtomicInteger();
        AtomicInteger restored = new AtomicInteger();
        Runnable show = () -> progress.update("tables dumped " + dumped.get() + ", restored " + restored.get());
        try (ChildEnvironment srcEnv = tools.environment(source); ChildEnvironment dstEnv = tools.environment(scratch)) {
            if (o.jobs() <= 1) {
                dumpArgs.add("--format=c");
                dumpArgs.add("--compress=0");
                tools.runner().pipe(
                        ProcessSpec.of(tools.command(PgTool.PG_DUMP, dumpArgs), srcEnv.variables())
                                .onStderrLine(l -> count(l, "dumping contents of table", dumped, show)),
                        ProcessSpec.of(tools.command(PgTool.PG_RESTORE, restoreArgs), dstEnv.variables())
                                .stdoutTo(java.io.OutputStream.nullOutputStream())
                                .onStderrLine(l -> count(l, "processing data for table", restored, show)));
                return null;
            }
            return parallelTransfer(source, scratch, snapshot, tables, o, srcEnv, dstEnv, show, restored);
        }
    }

    /**
     * With N jobs, the way pgcopydb does it: the schema's pre-data part first, then the table data through N
     * concurrent {@code pg_dump | pg_restore} streams (tables spread by size, all in the same snapshot, no indexes
     * or constraints yet), then what the tables' data does not cover (sequence values, large objects), then the
     * post-data part (indexes, constraints, triggers, materialized views) with {@code pg_restore --jobs N}. The
     * schema archive sits in a private temporary directory that is always removed.
     */
    private Map<String, Long> parallelTransfer(Target source, Target scratch, String snapshot, List<String> tables,
                                               CopyOptions o, ChildEnvironment srcEnv, ChildEnvironment dstEnv,
                                               Runnable show, AtomicInteger restored) {
        Path dir;
        try {
            dir = Files.createTempDirectory("manage-db-copy-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (IOException e) {
            throw ManageDbException.failed("cannot create a temporary directory: " + e.getMessage(), e);
        }
        tools.runner().deleteOnAbort(dir);
        try {
            Path schema = dir.resolve("schema.dump");
            List<String> schemaArgs = new ArrayList<>(List.of("--format=c", "--schema-only", "--snapshot=" + snapshot,
                    "--file=" + schema));
            o.tables().forEach(t -> schemaArgs.add("--table=" + t));
            o.excludeTables().forEach(t -> schemaArgs.add("--exclude-table=" + t));
            tools.runner().run(ProcessSpec.of(tools.command(PgTool.PG_DUMP, schemaArgs), srcEnv.variables()));
            List<String> restoreBase = List.of("--exit-on-error", "--no-owner", "--no-acl",
                    "--dbname=" + scratch.database());
            restoreSection(schema, "pre-data", restoreBase, 1, dstEnv);
            Map<String, Long> rows = null;
            if (o.scope() != CopyOptions.Scope.SCHEMA_ONLY) {
                List<List<String>> buckets = buckets(source, tables, o.jobs());
                Map<String, String> columns = storedColumns(source);
                Map<String, Long> copied = new java.util.concurrent.ConcurrentHashMap<>();
                List<CompletableFuture<Void>> streams = new ArrayList<>();
                for (List<String> bucket : buckets) {
                    if (o.excludeTableData().isEmpty()) {
                        streams.add(CompletableFuture.runAsync(() -> {
                            for (String table : bucket) {
                                copied.put(table, relay(snapshot, table, columns.get(table), srcEnv, dstEnv));
                                restored.incrementAndGet();
                                show.run();
                            }
                        }));
                    } else {
                        // pg_dump decides which tables' rows --exclude-table-data leaves out
                        List<String> only = new ArrayList<>();
                        bucket.forEach(t -> only.add("--table=" + Sql.quoteQualified(t)));
                        streams.add(CompletableFuture.runAsync(() -> dataStream(snapshot, only, o, restoreBase,
                                srcEnv, dstEnv, show, restored)));
                    }
                }
                awaitAll(streams);
                rows = o.excludeTableData().isEmpty() ? copied : null;
                // large objects: the selection's data section without any table's rows
                List<String> rest = new ArrayList<>(schemaArgs.subList(4, schemaArgs.size()));
                rest.add("--exclude-table-data=*.*");
                dataStream(snapshot, rest, o, restoreBase, srcEnv, dstEnv, show, restored);
                copySequenceValues(source, scratch);
            }
            restoreSection(schema, "post-data", restoreBase, o.jobs(), dstEnv);
            if (o.scope() != CopyOptions.Scope.SCHEMA_ONLY) {
                refreshMaterializedViews(source, scratch, schema);
            }
            return rows;
        } finally {
            ProcessRunner.deleteRecursively(dir);
            tools.runner().release(dir);
        }
    }

    /**
     * A schema-only archive carries no materialized view data: refresh, in the archive's (dependency) order, the
     * materialized views that are populated in the source.
     */
    private void refreshMaterializedViews(Target source, Target scratch, Path schemaArchive) {
        String toc = tools.runner().run(ProcessSpec.of(tools.command(PgTool.PG_RESTORE,
                List.of("--list", schemaArchive.toString())), tools.localEnvironment())).stdout();
        try (Connection src = Connections.open(source); Connection dst = Connections.open(scratch);
             java.sql.Statement st = dst.createStatement()) {
            java.util.Set<String> populated = new java.util.HashSet<>();
            try (java.sql.Statement q = src.createStatement(); ResultSet rs = q.executeQuery(
                    "SELECT schemaname || '.' || matviewname FROM pg_matviews WHERE ispopulated")) {
                while (rs.next()) {
                    populated.add(rs.getString(1));
                }
            }
            for (String view : tocObjects(toc, "MATERIALIZED VIEW")) {
                if (populated.contains(view)) {
                    st.execute("REFRESH MATERIALIZED VIEW " + Sql.quoteQualified(view));
                }
            }
        } catch (SQLException e) {
            throw Connections.translate(scratch, e);
        }
    }

    /** Sequence values, read as pg_dump reads them (sequences are not transactional), set where they exist. */
    private static void copySequenceValues(Target source, Target scratch) {
        try (Connection src = Connections.open(source); Connection dst = Connections.open(scratch);
             java.sql.Statement st = src.createStatement();
             ResultSet rs = st.executeQuery("SELECT quote_ident(schemaname) || '.' || quote_ident(sequencename),"
                     + " last_value FROM pg_sequences WHERE last_value IS NOT NULL");
             PreparedStatement set = dst.prepareStatement("SELECT setval(to_regclass(?), ?, true)"
                     + " WHERE to_regclass(?) IS NOT NULL")) {
            while (rs.next()) {
                set.setString(1, rs.getString(1));
                set.setLong(2, rs.getLong(2));
                set.setString(3, rs.getString(1));
                set.executeQuery().close();
            }
        } catch (SQLException e) {
            throw Connections.translate(scratch, e);
        }
    }

    /**
     * One table's rows, the way pgcopydb moves them: {@code COPY ... TO STDOUT} in the exported snapshot piped
     * through the kernel into {@code COPY ... FROM STDIN} (two psql processes, no archive in between). Only stored
     * columns are copied; generated ones are computed by the target. Returns the rows copied.
     */
    private long relay(String snapshot, String table, String columns, ChildEnvironment srcEnv,
                       ChildEnvironment dstEnv) {
        if (!snapshot.matches("[0-9A-Fa-f-]+")) {
            throw new IllegalArgumentException("not a snapshot id: " + snapshot);
        }
        String copy = "COPY " + Sql.quoteQualified(table) + " (" + columns + ")";
        String tag = tools.runner().pipe(
                ProcessSpec.of(tools.command(PgTool.PSQL, List.of("-X", "-q", "-v", "ON_ERROR_STOP=1",
                        "-c", "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
                        "-c", "SET TRANSACTION SNAPSHOT '" + snapshot + "'", "-c", copy + " TO STDOUT")),
                        srcEnv.variables()),
                ProcessSpec.of(tools.command(PgTool.PSQL, List.of("-X", "-v", "ON_ERROR_STOP=1",
                        "-c", copy + " FROM STDIN")), dstEnv.variables())).stdout().strip();
        return tag.startsWith("COPY ") ? Long.parseLong(tag.substring(5).strip()) : 0;
    }

    /** Each ordinary table's stored (not generated) columns, quoted and comma-separated, in one query. */
    private static Map<String, String> storedColumns(Target source) {
        Map<String, String> columns = new java.util.HashMap<>();
        try (Connection c = Connections.open(source); java.sql.Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT n.nspname || '.' || r.relname,"
                     + " string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum) FROM pg_attribute a"
                     + " JOIN pg_class r ON r.oid = a.attrelid JOIN pg_namespace n ON n.oid = r.relnamespace"
                     + " WHERE r.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''"
                     + " GROUP BY 1")) {
            while (rs.next()) {
                columns.put(rs.getString(1), rs.getString(2));
            }
        } catch (SQLException e) {
            throw Connections.translate(source, e);
        }
        return columns;
    }

    /**
     * The objects of one type in a {@code pg_restore --list} table of contents, as {@code schema.name}, in the
     * archive's (dependency) order. Lines look like
     * {@code 215; 1259 16390 MATERIALIZED VIEW public film_stats postgres}.
     */
    static List<String> tocObjects(String toc, String type) {
        String[] words = type.split(" ");
        List<String> objects = new ArrayList<>();
        for (String line : toc.split("\n")) {
            String[] f = line.strip().split(" ");
            if (line.startsWith(";") || f.length < 5 + words.length) {
                continue;
            }
            if (java.util.Arrays.equals(java.util.Arrays.copyOfRange(f, 3, 3 + words.length), words)) {
                objects.add(f[3 + words.length] + "." + f[4 + words.length]);
            }
        }
        return objects;
    }

    private void restoreSection(Path archive, String section, List<String> base, int jobs, ChildEnvironment env) {
        List<String> args = new ArrayList<>(base);
        args.add("--section=" + section);
        if (jobs > 1) {
            args.add("--jobs=" + jobs);
        }
        args.add(archive.toString());
        tools.runner().run(ProcessSpec.of(tools.command(PgTool.PG_RESTORE, args), env.variables()));
    }

    private void dataStream(String snapshot, List<String> selection, CopyOptions o, List<String> restoreBase,
                            ChildEnvironment srcEnv, ChildEnvironment dstEnv, Runnable show, AtomicInteger restored) {
        List<String> dumpArgs = new ArrayList<>(List.of("--format=c", "--compress=0", "--data-only", "--verbose",
                "--snapshot=" + snapshot));
        dumpArgs.addAll(selection);
        o.excludeTableData().forEach(t -> dumpArgs.add("--exclude-table-data=" + t));
        List<String> restoreArgs = new ArrayList<>(restoreBase);
        restoreArgs.add("--verbose");
        tools.runner().pipe(ProcessSpec.of(tools.command(PgTool.PG_DUMP, dumpArgs), srcEnv.variables()),
                ProcessSpec.of(tools.command(PgTool.PG_RESTORE, restoreArgs), dstEnv.variables())
                        .stdoutTo(java.io.OutputStream.nullOutputStream())
                        .onStderrLine(l -> count(l, "processing data for table", restored, show)));
    }

    private static void awaitAll(List<CompletableFuture<Void>> streams) {
        RuntimeException first = null;
        for (CompletableFuture<Void> f : streams) {
            try {
                f.join();
            } catch (java.util.concurrent.CompletionException e) {
                if (first == null) {
                    first = e.getCause() instanceof RuntimeException r ? r : e;
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /** Spreads tables over n buckets of about equal size (largest first, each to the lightest bucket). */
    private static List<List<String>> buckets(Target source, List<String> tables, int n) {
        Map<String, Long> sizes = new java.util.HashMap<>();
        try (Connection c = Connections.open(source); PreparedStatement ps = c.prepareStatement(
                "SELECT c.relkind, pg_relation_size(c.oid) FROM pg_class c JOIN pg_namespace n"
                        + " ON n.oid = c.relnamespace WHERE n.nspname = ? AND c.relname = ?")) {
            for (String t : tables) {
                String[] parts = t.split("\\.", 2);
                ps.setString(1, parts[0]);
                ps.setString(2, parts[1]);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next() && "r".equals(rs.getString(1))) {
                        sizes.put(t, rs.getLong(2));
                    }
                }
            }
        } catch (SQLException e) {
            throw Connections.translate(source, e);
        }
        List<List<String>> buckets = new ArrayList<>();
        long[] load = new long[n];
        for (int i = 0; i < n; i++) {
            buckets.add(new ArrayList<>());
        }
        sizes.keySet().stream().sorted(java.util.Comparator.comparing((String t) -> sizes.get(t)).reversed()).forEach(t -> {
            int lightest = 0;
            for (int i = 1; i < n; i++) {
                lightest = load[i] < load[lightest] ? i : lightest;
            }
            buckets.get(lightest).add(t);
            load[lightest] += sizes.get(t) + 8192;
        });
        buckets.removeIf(List::isEmpty);
        return buckets;
    }

    private static void count(String line, String marker, AtomicInteger counter, Runnable show) {
        if (line.contains(marker)) {
            counter.incrementAndGet();
            show.run();
        }
    }

    private static List<String> filterArgs(CopyOptions o) {
        List<String> args = new ArrayList<>();
        o.tables().forEach(t -> args.add("--table=" + t));
        o.excludeTables().forEach(t -> args.add("--exclude-table=" + t));
        o.excludeTableData().forEach(t -> args.add("--exclude-table-data=" + t));
        if (o.scope() == CopyOptions.Scope.SCHEMA_ONLY) {
            args.add("--schema-only");
        }
        return args;
    }

    /** The tables pg_dump selects with these patterns (its own -t/-T rules), from the source's schema. */
    private List<String> selectedTables(Target source, CopyOptions o) {
        List<String> dumpArgs = new ArrayList<>(List.of("--format=c", "--schema-only"));
        o.tables().forEach(t -> dumpArgs.add("--table=" + t));
        o.excludeTables().forEach(t -> dumpArgs.add("--exclude-table=" + t));
        try (ChildEnvironment env = tools.environment(source)) {
            String toc = tools.runner().pipe(ProcessSpec.of(tools.command(PgTool.PG_DUMP, dumpArgs), env.variables()),
                    ProcessSpec.of(tools.command(PgTool.PG_RESTORE, List.of("--list")), tools.localEnvironment()))
                    .stdout();
            List<String> tables = tocObjects(toc, "TABLE");
            if (tables.isEmpty() && !o.tables().isEmpty()) {
                throw new ManageDbException(ExitCode.USAGE, "no table of " + source.database() + " matches "
                        + String.join(", ", o.tables()));
            }
            return tables;
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
            return new Copied(0L, 0, 0);
        }
        boolean superuser;
        try (Connection t = Connections.open(target)) {
            superuser = "on".equals(Catalog.single(t, "SHOW is_superuser"));
        } catch (SQLException e) {
            throw Connections.translate(target, e);
        }
        try (Connection src = Connections.open(source); ExportedSnapshot snapshot = ExportedSnapshot.begin(src, false);
             ChildEnvironment srcEnv = tools.environment(source); ChildEnvironment dstEnv = tools.environment(target)) {
            List<String> dumpArgs = new ArrayList<>(List.of("--format=p", "--data-only", "--verbose",
                    "--snapshot=" + snapshot.id()));
            if (superuser) {
                dumpArgs.add("--disable-triggers");
            }
            // quoted: a pg_dump pattern that matches exactly this table, whatever its case or characters
            tables.forEach(t -> dumpArgs.add("--table=" + Sql.quoteQualified(t)));
            o.excludeTableData().forEach(t -> dumpArgs.add("--exclude-table-data=" + t));
            String truncate = "TRUNCATE " + String.join(", ", tables.stream().map(Sql::quoteQualified).toList());
            AtomicInteger done = new AtomicInteger();
            tools.runner().pipe(
                    ProcessSpec.of(tools.command(PgTool.PG_DUMP, dumpArgs), srcEnv.variables())
                            .onStderrLine(l -> count(l, "dumping contents of table", done,
                                    () -> progress.update("tables copied " + done.get() + "/" + tables.size()))),
                    ProcessSpec.of(tools.command(PgTool.PSQL, List.of("-X", "-q", "-v", "ON_ERROR_STOP=1",
                            "--single-transaction", "--dbname=" + target.database(), "-c", truncate, "-f", "-")),
                            dstEnv.variables()).stdoutTo(java.io.OutputStream.nullOutputStream()));
        } catch (SQLException e) {
            throw Connections.translate(source, e);
        }
        try (Connection t = Connections.open(target)) {
            Map<String, Long> counts = Catalog.rowCounts(t);
            long rows = tables.stream().mapToLong(x -> counts.getOrDefault(x, 0L)).sum();
            return new Copied(rows, Long.parseLong(Catalog.single(t, "SELECT pg_database_size(current_database())")), 0);
        } catch (SQLException e) {
            throw Connections.translate(target, e);
        }
    }

}
