package io.managedb.copy;

import io.managedb.pg.DumpScope;
import io.managedb.files.Trees;
import io.managedb.core.Async;
import io.managedb.core.ExitCode;
import io.managedb.core.ManageDbException;
import io.managedb.core.Progress;
import io.managedb.config.Target;
import io.managedb.db.Admin;
import io.managedb.db.Catalog;
import io.managedb.db.Connections;
import io.managedb.db.ExportedSnapshot;
import io.managedb.pg.ChildEnvironment;
import io.managedb.pg.PgDumpArgs;
import io.managedb.pg.PgRestoreArgs;
import io.managedb.pg.PgTool;
import io.managedb.pg.PgTools;
import io.managedb.pg.ProcessSpec;
import io.managedb.masking.MaskingPlan;
import io.managedb.masking.TableMask;
import io.managedb.subset.Subset;
import io.managedb.subset.SubsetPlan;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyOut;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A full or schema-only copy with N jobs into an empty scratch database, the way pgcopydb works: the schema's
 * pre-data part first; then N workers take units from one queue: each table's rows (a large table split into page
 * ranges, so that no worker waits on one big table; a whole table is loaded right after a TRUNCATE with
 * {@code COPY FREEZE}), relayed by this JVM over JDBC from {@code COPY TO STDOUT} into {@code COPY FROM STDIN}, all
 * in the source's exported snapshot; as soon as a large table's rows are in, its indexes and primary/unique keys,
 * ahead of the remaining rows; large objects. Then sequence values, the rest of the post-data part with
 * {@code pg_restore --jobs N} (foreign keys, triggers, the small tables' indexes, ...) and the populated
 * materialized views. The schema archive sits in a private temporary directory that is always removed. A subset's
 * rows are found in the same snapshot while the pre-data part is restored, and each table's are relayed in parts of
 * at most {@value Subset#PART} rows, by address.
 */
final class ParallelCopy implements AutoCloseable {
    /** Tables at least this large get their indexes as soon as their rows are in, and may be split. */
    static final long LARGE_TABLE = 8L << 20;
    /** A large table is split into about this many ranges per job, so that the work ends evenly. */
    private static final int RANGES_PER_JOB = 4;
    private static final int RELAY_BLOCK = 256 * 1024;
    private static final int SEQUENCES_PER_QUERY = 500;
    private static final int UNITS_PER_SESSION = 500;
    private static final long FREEZE_FROM = 1L << 20;

    private final PgTools tools;
    private final Target source;
    private final ExportedSnapshot exported;
    private final String snapshot;
    private final CopyOptions options;
    private final ChildEnvironment srcEnv;
    private final Progress progress;
    private final MaskingPlan masking;
    private final SubsetPlan subsetPlan;
    private final Path dir;
    private final Path archive;
    private final CompletableFuture<Void> schemaDump;
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicInteger tablesDone = new AtomicInteger();
    private final AtomicInteger indexesDone = new AtomicInteger();
    private final AtomicInteger copiesLeft = new AtomicInteger();
    private Target scratch;
    private ChildEnvironment dstEnv;
    private boolean flushEarly;
    private boolean binaryCompatible;
    private int tableCount;
    private int indexCount;
    private Work work;
    private volatile CompletableFuture<Void> flush;
    private CompletableFuture<Subset> subset;
    private final ThreadLocal<Sessions> sessions = new ThreadLocal<>();

    /** The exported snapshot's id, checked before it goes into pg_dump's arguments and SQL. */
    private static String snapshotId(ExportedSnapshot exported) {
        String id = exported.id();
        if (!id.matches("[0-9A-Fa-f-]+")) {
            throw new IllegalArgumentException("not a snapshot id: " + id);
        }
        return id;
    }

    /** Starts dumping the source's schema (in its exported snapshot) into a private temporary directory. */
    ParallelCopy(PgTools tools, Target source, ExportedSnapshot exported, CopyOptions options,
                 ChildEnvironment srcEnv, Progress progress, MaskingPlan masking, SubsetPlan subsetPlan) {
        this.tools = tools;
        this.source = source;
        this.exported = exported;
        this.snapshot = snapshotId(exported);
        this.options = options;
        this.srcEnv = srcEnv;
        this.progress = progress;
        this.masking = masking;
        this.subsetPlan = subsetPlan;
        try {
            dir = tools.temporaryDirectory("manage-db-copy-");
        } catch (IOException e) {
            throw ManageDbException.failed("cannot create a temporary directory: " + e.getMessage(), e);
        }
        archive = dir.resolve("schema.dump");
        List<String> dumpArgs = selection(PgDumpArgs.format(PgDumpArgs.Format.CUSTOM).snapshot(snapshot)
                .scope(DumpScope.SCHEMA_ONLY)).file(archive).toList();
        schemaDump = CompletableFuture.runAsync(() -> tools.runner().run(
                ProcessSpec.of(tools.command(PgTool.PG_DUMP, dumpArgs), srcEnv.variables())));
    }

    /**
     * Copies schema and data into the empty {@code scratch} database; returns the rows copied per table
     * ({@code schema.table}), empty for a schema-only copy. The copied tables' rows are counted meanwhile in the
     * exported snapshot ({@link ExportedSnapshot#rowCounts()}), for the caller to compare before the swap.
     *
     * @param copiedData the OIDs of the tables whose rows are copied (--exclude-table-data); null: all
     * @param flushEarly whether to flush the copy to disk while the last indexes build (see {@link #checkpoint()})
     */
    Map<String, Long> copy(Target scratch, ChildEnvironment dstEnv, Set<Long> copiedData, boolean flushEarly) {
        this.scratch = scratch;
        this.dstEnv = dstEnv;
        this.flushEarly = flushEarly;
        Async.join(schemaDump);
        if (subsetPlan != null && options.scope() != DumpScope.SCHEMA_ONLY) {
            subset = CompletableFuture.supplyAsync(this::findSubset);
        }
        // the archive's listing is read while its pre-data part is restored
        CompletableFuture<String> listing = CompletableFuture.supplyAsync(() -> tools.runner().run(ProcessSpec.of(
                tools.command(PgTool.PG_RESTORE, PgRestoreArgs.list().archive(archive).toList()), tools.localEnvironment()))
                .stdout());
        restore(restoreBase().section(PgRestoreArgs.Section.PRE_DATA), dstEnv.variables());
        int scratchVersion;
        try (Connection dst = Connections.open(scratch)) {
            scratchVersion = Catalog.serverVersionNum(dst);
        } catch (SQLException e) {
            throw Connections.translate(scratch, e);
        }
        Toc toc = Toc.parse(Async.join(listing));
        Map<String, Long> rows = new ConcurrentHashMap<>();
        Set<Toc.Entry> built = ConcurrentHashMap.newKeySet();
        if (options.scope() != DumpScope.SCHEMA_ONLY) {
            List<Runnable> units;
            try (Connection src = Connections.open(source)) {
                int sourceVersion = Catalog.serverVersionNum(src);
                // binary COPY is cheaper for both servers; its form is only promised to read back on the same major
                binaryCompatible = sourceVersion / 10000 == scratchVersion / 10000;
                List<SourceTable> loaded = SourceTable.load(src, toc.oids("TABLE")).stream()
                        .filter(t -> t.ordinary() && (copiedData == null || copiedData.contains(t.oid())))
                        .sorted(Comparator.comparingLong(SourceTable::bytes).reversed()).toList();
                // the source's row counts, in the same snapshot, on its idle exporting connection while the rows
                // are relayed (a subset's: its rows, found in the snapshot): compared with what COPY reports
                if (subset == null) {
                    exported.countRows(() -> loaded.stream().map(t -> new String[] {t.schema(), t.table()}).toList());
                } else {
                    Map<String, Long> found = Async.join(subset).counts();
                    exported.countedAs(loaded.stream().collect(java.util.stream.Collectors.toMap(SourceTable::name,
                            t -> found.getOrDefault(t.name(), 0L))));
                }
                // TID range scans (14+): a page range reads only its own pages
                units = units(loaded, earlyIndexes(src, toc, loaded), rows, built, sourceVersion >= 140000);
                if (hasLargeObjects(src)) {
                    units.add(this::copyLargeObjects);
                }
            } catch (SQLException e) {
                throw Connections.translate(source, e);
            }
            runAll(units);
            copySequenceValues();
        }
        restore(restoreBase().section(PgRestoreArgs.Section.POST_DATA)
                .useList(write("post-data.list", toc.listWithout(built))).jobs(options.jobs()), dstEnv.variables());
        if (options.scope() != DumpScope.SCHEMA_ONLY) {
            refreshMaterializedViews(toc);
        }
        if (flush != null) {
            flush.join();
        }
        return rows;
    }

    /** Waits for the schema dump if it still runs, and removes the temporary directory. */
    @Override
    public void close() {
        schemaDump.handle((v, e) -> null).join(); // its failure is reported by copy(), or the copy failed before it
        Trees.deleteRecursively(dir);
        tools.runner().release(dir);
        if (subset != null) {
            Subset found = subset.handle((s, e) -> s).join(); // waited for: its connection closes with it
            if (found != null) {
                found.close();
            }
        }
    }

    /** The subset's rows, found by a transaction that imports the snapshot and stays open until close. */
    private Subset findSubset() {
        try {
            Connection src = inSnapshot();
            try {
                return subsetPlan.compute(src);
            } catch (RuntimeException e) {
                src.close();
                throw e;
            }
        } catch (SQLException e) {
            throw Connections.translate(source, e);
        }
    }

    /** A connection to the source in a read-only transaction in the exported snapshot, set up as pg_dump reads. */
    private Connection inSnapshot() throws SQLException {
        Connection src = Connections.open(source);
        try {
            src.setAutoCommit(false);
            src.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            src.setReadOnly(true);
            try (Statement st = src.createStatement()) {
                st.execute("SET TRANSACTION SNAPSHOT '" + snapshot + "'");
                sessionAsPgDump(st);
            }
            return src;
        } catch (SQLException | RuntimeException e) {
            src.close();
            throw e;
        }
    }

    /** The copy units, largest table first, a table's ranges together. */
    private List<Runnable> units(List<SourceTable> tables, Map<Long, List<Toc.Entry>> indexes,
                                 Map<String, Long> rows, Set<Toc.Entry> built, boolean canSplit) {
        long total = tables.stream().mapToLong(SourceTable::bytes).sum();
        long range = Math.max(LARGE_TABLE, total / ((long) options.jobs() * RANGES_PER_JOB));
        tableCount = tables.size();
        indexCount = indexes.size();
        List<Runnable> units = new ArrayList<>();
        for (SourceTable t : tables) {
            List<String> wheres = subset != null ? Async.join(subset).parts(t.oid()) : pageRanges(t, range, canSplit);
            if (wheres.isEmpty()) {
                rows.put(t.name(), 0L); // none of its rows are in the subset
                tablesDone.incrementAndGet();
                continue;
            }
            int parts = wheres.size();
            AtomicInteger left = new AtomicInteger(parts);
            AtomicLong copied = new AtomicLong();
            copiesLeft.addAndGet(parts);
            for (String where : wheres) {
                units.add(() -> {
                    copied.addAndGet(relay(t, where, parts == 1));
                    if (copiesLeft.decrementAndGet() == 0 && flushEarly) {
                        flush = CompletableFuture.runAsync(this::checkpoint);
                    }
                    if (left.decrementAndGet() == 0) {
                        rows.put(t.name(), copied.get());
                        tablesDone.incrementAndGet();
                        show();
                        List<Toc.Entry> entries = indexes.get(t.oid());
                        if (entries != null) {
                            work.first(() -> buildIndexes(t, entries, built));
                        }
                    }
                });
            }
        }
        return units;
    }

    /** A table's page ranges (a large one's, on PostgreSQL 14+), or a single null: the whole table. */
    private static List<String> pageRanges(SourceTable t, long range, boolean canSplit) {
        int parts = canSplit && t.columns() != null && t.bytes() > range * 3 / 2
                ? (int) Math.max(1, Math.min(Math.min(1000, t.pages()), (t.bytes() + range - 1) / range)) : 1;
        List<String> wheres = new ArrayList<>();
        for (int i = 0; i < parts; i++) {
            wheres.add(parts == 1 ? null : pageRange(t.pages() * i / parts, t.pages() * (i + 1) / parts, i == 0,
                    i == parts - 1));
        }
        return wheres;
    }

    private static String pageRange(long from, long to, boolean first, boolean last) {
        List<String> bounds = new ArrayList<>();
        if (!first) {
            bounds.add("ctid >= '(" + from + ",0)'::tid");
        }
        if (!last) {
            bounds.add("ctid < '(" + to + ",0)'::tid");
        }
        return String.join(" AND ", bounds);
    }

    /**
     * Rows of one table (or of one page range of it) from the source's snapshot into the scratch database, relayed
     * by this JVM from {@code COPY TO STDOUT} into {@code COPY FROM STDIN} in large blocks. A whole table of at least
     * {@value #FREEZE_FROM} bytes is emptied in the same transaction so that {@code COPY FREEZE} can write its rows
     * already frozen (no later pass to set hint bits). Returns the rows copied.
     *
     * @param where the rows to copy (a page range, a subset's part); null: all
     * @param whole whether they are all the table gets (then a large one is emptied first and loaded with FREEZE)
     */
    private long relay(SourceTable t, String where, boolean whole) {
        String columns = t.columns() == null ? "" : " (" + t.columns() + ")";
        // a masked table's rows come as text (SQL transformers in the select list, JVM ones on each row), whole or
        // one page range of it alike
        TableMask mask = t.columns() == null ? null : masking.table(t.name());
        String binary = mask == null && binaryCompatible && t.builtInTypes() ? "FORMAT binary" : null;
        String out = (where == null && mask == null ? "COPY " + t.quoted() + columns
                : "COPY (SELECT " + (mask != null ? mask.selectList() : t.columns() == null ? "" : t.columns())
                + " FROM ONLY " + t.quoted()
                + (where == null ? "" : " WHERE " + where) + ")")
                + " TO STDOUT" + (binary == null ? "" : " WITH (" + binary + ")");
        boolean transform = mask != null && mask.transformsRows();
        List<String> inOptions = new ArrayList<>();
        if (binary != null) {
            inOptions.add(binary);
        }
        // a small table gains nothing from being written frozen, and its TRUNCATE would cost new files for nothing
        boolean freeze = whole && t.bytes() >= FREEZE_FROM;
        if (freeze) {
            inOptions.add("FREEZE");
        }
        String in = "COPY " + t.quoted() + columns + " FROM STDIN"
                + (inOptions.isEmpty() ? "" : " WITH (" + String.join(", ", inOptions) + ")");
        boolean relayed = false;
        try {
            Sessions sessions = sessions();
            Connection src = sessions.src();
            Connection dst = sessions.dst();
            if (freeze) {
                try (Statement st = dst.createStatement()) {
                    st.execute("TRUNCATE ONLY " + t.quoted());
                }
            }
            CopyOut reading = src.unwrap(PGConnection.class).getCopyAPI().copyOut(out);
            CopyIn writing = dst.unwrap(PGConnection.class).getCopyAPI().copyIn(in);
            try {
                byte[] block = new byte[RELAY_BLOCK];
                int used = 0;
                byte[] row;
                while ((row = reading.readFromCopy()) != null) {
                    if (transform) {
                        row = masked(mask, row);
                    }
                    if (used + row.length > block.length) {
                        writing.writeToCopy(block, 0, used);
                        moved(used);
                        used = 0;
                    }
                    if (row.length > block.length) {
                        writing.writeToCopy(row, 0, row.length);
                        moved(row.length);
                    } else {
                        System.arraycopy(row, 0, block, used, row.length);
                        used += row.length;
                    }
                }
                writing.writeToCopy(block, 0, used);
                moved(used);
                long rows = writing.endCopy();
                dst.commit();
                relayed = true;
                return rows;
            } finally {
                if (reading.isActive()) {
                    reading.cancelCopy();
                }
                if (writing.isActive()) {
                    writing.cancelCopy();
                }
            }
        } catch (SQLException e) {
            throw ManageDbException.failed("copying the rows of " + t.name() + " failed: " + reason(e), e);
        } finally {
            if (!relayed) {
                endSessions(); // a failed unit's sessions are not reused
            }
        }
    }

    /**
     * A worker's two sessions, kept for the tables it relays (thousands of small tables cost no connection each):
     * the source's in one read-only transaction in the exported snapshot, the scratch side's committing per unit.
     */
    private record Sessions(Connection src, Connection dst, AtomicInteger units) {
        void close() {
            for (Connection c : new Connection[] {src, dst}) {
                try {
                    if (c != null) {
                        c.close();
                    }
                } catch (SQLException ignored) {
                    // closing: nothing left to do
                }
            }
        }
    }

    /**
     * This worker's sessions, opened on its first unit. Renewed after {@value #UNITS_PER_SESSION} units, so that the
     * source transaction's table locks stay bounded (each COPY holds one until the transaction ends).
     */
    private Sessions sessions() throws SQLException {
        Sessions s = sessions.get();
        if (s != null && s.units().incrementAndGet() <= UNITS_PER_SESSION) {
            return s;
        }
        endSessions();
        Connection src = null;
        Connection dst = null;
        try {
            src = inSnapshot();
            dst = Connections.open(scratch);
            dst.setAutoCommit(false);
            try (Statement st = dst.createStatement()) {
                st.execute("SET search_path = ''");
            }
            dst.commit();
        } catch (SQLException | RuntimeException e) {
            new Sessions(src, dst, null).close();
            throw e;
        }
        s = new Sessions(src, dst, new AtomicInteger(1));
        sessions.set(s);
        return s;
    }

    private void endSessions() {
        Sessions s = sessions.get();
        if (s != null) {
            sessions.remove();
            s.close();
        }
    }

    private static byte[] masked(TableMask mask, byte[] row) {
        try {
            return mask.transform(row);
        } catch (IllegalArgumentException | IllegalStateException | ArithmeticException e) {
            throw ManageDbException.failed("masking the rows of " + mask.table() + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * Settings pg_dump reads the source with: rows that row-level security would hide are an error rather than left
     * out; an empty search_path, so that the text form of reg* values (regclass, regproc, ...) is schema-qualified
     * and reads back as the same object on the other side, whose search_path is empty too (as pg_restore's is).
     */
    private static void sessionAsPgDump(Statement st) throws SQLException {
        st.execute("SET row_security = off");
        st.execute("SET search_path = ''");
    }

    /** The first line of the error, and of what caused it when the driver only says a connection failed. */
    private static String reason(Throwable e) {
        String first = Connections.firstLine(e.getMessage());
        Throwable cause = e.getCause();
        return cause == null || cause.getMessage() == null ? first : first + " (" + reason(cause) + ")";
    }

    /**
     * Writes the copied rows out while the last indexes build: dropping the replaced database at the swap forces a
     * checkpoint, which would otherwise flush all of them then. Needs the right to run CHECKPOINT (superuser or
     * pg_checkpoint); without it, or on any error, the flush simply happens at the swap.
     */
    private void checkpoint() {
        Admin.checkpoint(scratch);
    }

    private void moved(int n) {
        bytes.addAndGet(n);
        show();
    }

    /**
     * The INDEX and CONSTRAINT (primary key, unique, exclusion) entries of each large table, by table OID: built as
     * soon as the table's rows are in rather than after all tables.
     */
    private static Map<Long, List<Toc.Entry>> earlyIndexes(Connection c, Toc toc, List<SourceTable> tables)
            throws SQLException {
        List<Long> large = tables.stream().filter(t -> t.bytes() >= LARGE_TABLE).map(SourceTable::oid).toList();
        Map<List<Long>, Long> tableOf = new HashMap<>();
        if (!large.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT 1259, indexrelid::int8, indrelid::int8 FROM pg_index WHERE indrelid::int8 = ANY (?)"
                            + " UNION ALL SELECT 2606, oid::int8, conrelid::int8 FROM pg_constraint"
                            + " WHERE contype IN ('p', 'u', 'x') AND conrelid::int8 = ANY (?)")) {
                java.sql.Array oids = c.createArrayOf("int8", large.toArray());
                ps.setArray(1, oids);
                ps.setArray(2, oids);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        tableOf.put(List.of(rs.getLong(1), rs.getLong(2)), rs.getLong(3));
                    }
                }
            }
        }
        Map<Long, List<Toc.Entry>> byTable = new HashMap<>();
        for (String type : List.of("INDEX", "CONSTRAINT")) {
            for (Toc.Entry e : toc.ofType(type)) {
                Long table = tableOf.get(List.of(e.catalog(), e.oid()));
                if (table != null) {
                    byTable.computeIfAbsent(table, k -> new ArrayList<>()).add(e);
                }
            }
        }
        return byTable;
    }

    private void buildIndexes(SourceTable t, List<Toc.Entry> entries, Set<Toc.Entry> built) {
        restore(restoreBase().useList(write("indexes-" + t.oid() + ".list", Toc.listOf(entries))), dstEnv.variables());
        built.addAll(entries);
        indexesDone.incrementAndGet();
        show();
    }

    /** Large objects: the selection's data section without any table's rows (pg_dump decides which it takes). */
    private void copyLargeObjects() {
        List<String> dumpArgs = selection(PgDumpArgs.format(PgDumpArgs.Format.CUSTOM).snapshot(snapshot).compress(0)
                .scope(DumpScope.DATA_ONLY)).excludeTableData(List.of("*.*")).toList();
        tools.runner().pipe(ProcessSpec.of(tools.command(PgTool.PG_DUMP, dumpArgs), srcEnv.variables()),
                ProcessSpec.of(tools.command(PgTool.PG_RESTORE, restoreBase().toList()), dstEnv.variables())
                        .stdoutTo(OutputStream.nullOutputStream()), n -> moved((int) n));
    }

    private static boolean hasLargeObjects(Connection c) throws SQLException {
        return Boolean.parseBoolean(Catalog.single(c, "SELECT EXISTS (SELECT FROM pg_largeobject_metadata)::text"));
    }

    /**
     * Sequence values, read as pg_dump reads them ({@code SELECT last_value, is_called} from each sequence itself:
     * pg_sequences shows no last_value for a sequence that was restarted or set with is_called false), for the
     * sequences the schema created in the scratch database, and set with both ({@code setval(s, v, is_called)}).
     */
    private void copySequenceValues() {
        try (Connection dst = Connections.open(scratch)) {
            List<String> sequences = new ArrayList<>();
            try (Statement st = dst.createStatement(); ResultSet rs = st.executeQuery(
                    "SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname) FROM pg_class c"
                            + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind = 'S' ORDER BY 1")) {
                while (rs.next()) {
                    sequences.add(rs.getString(1));
                }
            }
            if (sequences.isEmpty()) {
                return;
            }
            try (Connection src = Connections.open(source); Statement read = src.createStatement();
                 PreparedStatement set = dst.prepareStatement("SELECT count(pg_catalog.setval(s::regclass, v, c))"
                         + " FROM unnest(?::text[], ?::int8[], ?::bool[]) AS x(s, v, c)")) {
                for (int from = 0; from < sequences.size(); from += SEQUENCES_PER_QUERY) {
                    List<String> batch = sequences.subList(from, Math.min(sequences.size(), from + SEQUENCES_PER_QUERY));
                    List<String> selects = new ArrayList<>();
                    for (int i = 0; i < batch.size(); i++) {
                        selects.add("SELECT " + i + ", last_value, is_called FROM " + batch.get(i));
                    }
                    Long[] values = new Long[batch.size()];
                    Boolean[] called = new Boolean[batch.size()];
                    try (ResultSet rs = read.executeQuery(String.join(" UNION ALL ", selects))) {
                        while (rs.next()) {
                            values[rs.getInt(1)] = rs.getLong(2);
                            called[rs.getInt(1)] = rs.getBoolean(3);
                        }
                    }
                    set.setArray(1, dst.createArrayOf("text", batch.toArray()));
                    set.setArray(2, dst.createArrayOf("int8", values));
                    set.setArray(3, dst.createArrayOf("bool", called));
                    set.executeQuery().close();
                }
            } catch (SQLException e) {
                throw ManageDbException.failed("copying sequence values failed: " + reason(e), e);
            }
        } catch (SQLException e) {
            throw Connections.translate(scratch, e);
        }
    }

    /**
     * A schema-only archive carries no materialized view data: refresh, in the archive's (dependency) order, the
     * materialized views that are populated in the source.
     */
    private void refreshMaterializedViews(Toc toc) {
        List<Long> views = toc.oids("MATERIALIZED VIEW");
        if (views.isEmpty()) {
            return;
        }
        Map<Long, String> populated = new HashMap<>();
        try (Connection src = Connections.open(source); PreparedStatement ps = src.prepareStatement(
                "SELECT c.oid::int8, quote_ident(n.nspname) || '.' || quote_ident(c.relname) FROM pg_class c"
                        + " JOIN pg_namespace n ON n.oid = c.relnamespace"
                        + " WHERE c.relispopulated AND c.oid::int8 = ANY (?)")) {
            ps.setArray(1, src.createArrayOf("int8", views.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    populated.put(rs.getLong(1), rs.getString(2));
                }
            }
        } catch (SQLException e) {
            throw Connections.translate(source, e);
        }
        try (Connection dst = Connections.open(scratch); Statement st = dst.createStatement()) {
            for (Long view : views) {
                if (populated.containsKey(view)) {
                    st.execute("REFRESH MATERIALIZED VIEW " + populated.get(view));
                }
            }
        } catch (SQLException e) {
            throw Connections.translate(scratch, e);
        }
    }

    private PgDumpArgs selection(PgDumpArgs dump) {
        return dump.tables(options.tables()).excludeTables(options.excludeTables());
    }

    private PgRestoreArgs restoreBase() {
        return PgRestoreArgs.into(scratch.database());
    }

    /** pg_restore of (part of) the schema archive into the scratch database. */
    private void restore(PgRestoreArgs args, Map<String, String> env) {
        tools.runner().run(ProcessSpec.of(tools.command(PgTool.PG_RESTORE, args.archive(archive).toList()), env));
    }


    private Path write(String name, String text) {
        Path file = dir.resolve(name);
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw ManageDbException.failed("cannot write " + file + ": " + e.getMessage(), e);
        }
        return file;
    }

    private void show() {
        progress.update("tables " + tablesDone.get() + "/" + tableCount + ", " + Progress.megabytes(bytes.get())
                + " copied" + (indexCount == 0 ? "" : ", indexes " + indexesDone.get() + "/" + indexCount));
    }

    /** Runs the units on N workers; index builds queued by finished tables go first. The first failure wins. */
    private void runAll(List<Runnable> units) {
        work = new Work(units);
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < options.jobs(); i++) {
            Thread t = new Thread(() -> {
                Runnable unit;
                while ((unit = work.next()) != null) {
                    RuntimeException error = null;
                    try {
                        unit.run();
                    } catch (RuntimeException e) {
                        error = e;
                    }
                    if (work.done(error)) {
                        stopScratchSessions();
                    }
                }
                endSessions();
            }, "manage-db-copy-" + (i + 1));
            t.setDaemon(true);
            t.start();
            workers.add(t);
        }
        try {
            for (Thread t : workers) {
                t.join();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ManageDbException(ExitCode.INTERRUPTED, "copy interrupted");
        }
        work.rethrow();
    }

    /** After a failure: the other units' sessions on the scratch database end at once instead of running on. */
    private void stopScratchSessions() {
        try (Admin admin = Admin.connect(scratch)) {
            admin.terminateSessions(scratch.database());
        } catch (RuntimeException ignored) {
            // best effort: the units end anyway, the scratch database is dropped
        }
    }

    /** The queue the workers share. */
    private static final class Work {
        private final Deque<Runnable> first = new ArrayDeque<>();
        private final Deque<Runnable> queued;
        private int running;
        private RuntimeException failure;

        Work(List<Runnable> units) {
            queued = new ArrayDeque<>(units);
        }

        /** The next unit, waiting while others run and may queue more; null when all is done or one failed. */
        synchronized Runnable next() {
            while (failure == null) {
                Runnable unit = first.isEmpty() ? queued.poll() : first.poll();
                if (unit != null) {
                    running++;
                    return unit;
                }
                if (running == 0) {
                    return null;
                }
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return null;
                }
            }
            return null;
        }

        synchronized void first(Runnable unit) {
            first.add(unit);
            notifyAll();
        }

        /** Returns whether this was the first failure. */
        synchronized boolean done(RuntimeException error) {
            running--;
            boolean firstFailure = error != null && failure == null;
            if (firstFailure) {
                failure = error;
            }
            notifyAll();
            return firstFailure;
        }

        synchronized void rethrow() {
            if (failure != null) {
                throw failure;
            }
        }
    }
}
