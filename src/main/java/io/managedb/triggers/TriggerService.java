package io.managedb.triggers;

import io.managedb.files.Trees;
import io.managedb.core.ExitCode;
import io.managedb.files.Checksums;
import io.managedb.core.ManageDbException;
import io.managedb.config.Environment;
import io.managedb.config.Target;
import io.managedb.db.Catalog;
import io.managedb.db.Connections;
import io.managedb.db.Sql;
import io.managedb.db.TargetLock;
import io.managedb.core.Progress;
import io.managedb.operation.Destructive;
import io.managedb.operation.GuardedOperation;
import io.managedb.safety.Guard;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Managed triggers: the built-in sets ({@code updated_at}, {@code audit}) on every qualifying table, and the
 * project's trigger files, applied in one transaction, verified against the catalog, listed and removed.
 */
public final class TriggerService {
    private static final int ROW = 1;
    private static final int BEFORE = 2;
    private static final int INSERT = 4;
    private static final int DELETE = 8;
    private static final int UPDATE = 16;
    private static final int TRUNCATE = 32;
    private static final int INSTEAD = 64;

    private final TriggerSettings settings;
    private final GuardedOperation pipeline;

    public TriggerService(TriggerSettings settings) {
        this(settings, new GuardedOperation(null));
    }

    /** @param pipeline runs {@link #remove} (which takes no safety backup) */
    public TriggerService(TriggerSettings settings, GuardedOperation pipeline) {
        this.settings = settings;
        this.pipeline = pipeline;
    }

    /** A trigger as the catalog has it. */
    private record Existing(String table, String name, String function, int type, List<String> args, boolean enabled,
                            String definition) {
    }

    /** A built-in trigger as it should be. */
    private record Expected(String table, String name, String set, String function, int type, List<String> args) {

        String create() {
            String when = set.equals("updated_at") ? "BEFORE UPDATE" : "AFTER INSERT OR UPDATE OR DELETE";
            StringBuilder a = new StringBuilder();
            for (String arg : args) {
                a.append(a.length() > 0 ? ", " : "").append(Sql.quoteLiteral(arg));
            }
            return "CREATE OR REPLACE TRIGGER " + name + " " + when + " ON " + Sql.quoteQualified(table)
                    + " FOR EACH ROW EXECUTE FUNCTION " + function + "(" + a + ")";
        }
    }

    /** Installs or updates the enabled sets and the project files in one transaction (all or nothing). */
    public TriggerReport apply(Environment env, boolean dryRun, Duration lockWait) {
        try (TargetLock lock = TargetLock.forWriting(env, "triggers apply", lockWait)) {
            return apply(env, dryRun, lock);
        }
    }

    /** Applies while the caller holds {@code lock}, the target lock (init). */
    public TriggerReport apply(Environment env, boolean dryRun, TargetLock lock) {
        Target target = env.target();
        List<String> created = new ArrayList<>();
        List<String> replaced = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        List<String> unchanged = new ArrayList<>();
        try (Connection c = Connections.open(target)) {
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                if (Catalog.single(c, "SELECT to_regnamespace('manage_db')") == null) {
                    created.add("schema manage_db");
                }
                st.execute(BuiltIns.SCHEMA_SQL);
                if (settings.enabled("audit") && Catalog.single(c, "SELECT to_regclass('manage_db.audit_log')") == null) {
                    created.add("table manage_db.audit_log");
                }
                for (BuiltIns.Set set : sets()) {
                    String current = prosrc(c, set.function());
                    boolean tableMissing = set == BuiltIns.AUDIT
                            && Catalog.single(c, "SELECT to_regclass('manage_db.audit_log')") == null;
                    if (set.body().equals(current) && !tableMissing) {
                        unchanged.add("function manage_db." + set.function());
                    } else {
                        st.execute(set.sql());
                        if (!set.body().equals(current)) {
                            (current == null ? created : replaced).add("function manage_db." + set.function());
                        }
                    }
                }
                Map<String, Existing> existing = existing(c);
                Set<String> expectedKeys = new LinkedHashSet<>();
                for (Expected e : expected(c)) {
                    String key = e.table() + ":" + e.name();
                    expectedKeys.add(key);
                    Existing now = existing.get(key);
                    String label = "trigger " + e.name() + " on " + e.table();
                    if (now != null && matches(now, e) && now.enabled()) {
                        unchanged.add(label);
                        continue;
                    }
                    st.execute(e.create());
                    if (now != null && !now.enabled()) {
                        st.execute("ALTER TABLE " + Sql.quoteQualified(e.table()) + " ENABLE TRIGGER " + e.name());
                    }
                    (now == null ? created : replaced).add(label);
                }
                for (Existing x : existing.values()) {
                    if (isBuiltIn(x.name()) && !expectedKeys.contains(x.table() + ":" + x.name())) {
                        st.execute("DROP TRIGGER " + x.name() + " ON " + Sql.quoteQualified(x.table()));
                        removed.add("trigger " + x.name() + " on " + x.table());
                    }
                }
                applyFiles(c, created, replaced, unchanged);
            }
            boolean upToDate = created.isEmpty() && replaced.isEmpty() && removed.isEmpty();
            if (dryRun) {
                c.rollback();
            } else {
                c.commit();
            }
            return new TriggerReport(env.name(), target.database(), dryRun, created, replaced, removed, unchanged,
                    upToDate);
        } catch (SQLException e) {
            throw Connections.translate(target, e);
        }
    }

    private List<BuiltIns.Set> sets() {
        List<BuiltIns.Set> sets = new ArrayList<>();
        if (settings.enabled("updated_at")) {
            sets.add(BuiltIns.UPDATED_AT);
        }
        if (settings.enabled("audit")) {
            sets.add(BuiltIns.AUDIT);
        }
        return sets;
    }

    private void applyFiles(Connection c, List<String> created, List<String> replaced, List<String> unchanged)
            throws SQLException {
        Map<String, String[]> records = records(c);
        for (Path file : files()) {
            String name = file.getFileName().toString();
            String sql = read(file);
            String sha = Checksums.ofText(sql);
            String[] record = records.get(name);
            Map<String, Existing> before = existing(c);
            if (record != null && record[0].equals(sha) && allPresent(before, record)) {
                unchanged.add("file " + name);
                continue;
            }
            try (Statement st = c.createStatement()) {
                st.execute(sql);
            } catch (SQLException e) {
                throw new ManageDbException(ExitCode.FAILED, "trigger file " + name + " failed: "
                        + e.getMessage().lines().findFirst().orElse("") + "; nothing was changed", e);
            }
            Map<String, Existing> after = existing(c);
            Set<String> triggers = new LinkedHashSet<>();
            if (record != null) {
                for (int i = 1; i < record.length; i++) {
                    if (after.containsKey(record[i])) {
                        triggers.add(record[i]);
                    }
                }
            }
            for (var e : after.entrySet()) {
                Existing was = before.get(e.getKey());
                if (!isBuiltIn(e.getValue().name()) && (was == null || !was.equals(e.getValue()))) {
                    triggers.add(e.getKey());
                }
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO manage_db.trigger_files (file, sha256, triggers)"
                    + " VALUES (?, ?, ?) ON CONFLICT (file) DO UPDATE SET sha256 = excluded.sha256,"
                    + " triggers = excluded.triggers, applied_at = now()")) {
                ps.setString(1, name);
                ps.setString(2, sha);
                ps.setArray(3, c.createArrayOf("text", triggers.toArray()));
                ps.executeUpdate();
            }
            (record == null ? created : replaced).add("file " + name + " (triggers: " + String.join(", ", triggers) + ")");
        }
    }

    private static boolean allPresent(Map<String, Existing> triggers, String[] record) {
        for (int i = 1; i < record.length; i++) {
            Existing e = triggers.get(record[i]);
            if (e == null || !e.enabled()) {
                return false;
            }
        }
        return true;
    }

    /** Compares what should exist with pg_trigger and pg_proc; every problem is named. */
    public TriggerVerification verify(Environment env) {
        Target target = env.target();
        List<String> problems = new ArrayList<>();
        int checked = 0;
        try (Connection c = Connections.open(target)) {
            for (BuiltIns.Set set : sets()) {
                String current = prosrc(c, set.function());
                if (current == null) {
                    problems.add("function manage_db." + set.function() + " is missing");
                } else if (!current.equals(set.body())) {
                    problems.add("function manage_db." + set.function()
                            + " was changed (its body differs from manage-db's)");
                }
            }
            Map<String, Existing> existing = existing(c);
            for (Expected e : expected(c)) {
                checked++;
                Existing now = existing.get(e.table() + ":" + e.name());
                String label = "trigger " + e.name() + " on " + e.table();
                if (now == null) {
                    problems.add(label + " is missing");
                } else if (!matches(now, e)) {
                    problems.add(label + " was changed");
                } else if (!now.enabled()) {
                    problems.add(label + " is disabled");
                }
            }
            Map<String, String[]> records = records(c);
            Set<String> onDisk = new LinkedHashSet<>();
            for (Path file : files()) {
                String name = file.getFileName().toString();
                onDisk.add(name);
                String[] record = records.get(name);
                if (record == null) {
                    problems.add("trigger file " + name + " was never applied");
                } else if (!record[0].equals(Checksums.ofText(read(file)))) {
                    problems.add("trigger file " + name + " changed since it was applied");
                }
            }
            for (var r : records.entrySet()) {
                if (!onDisk.contains(r.getKey())) {
                    problems.add("trigger file " + r.getKey() + " was applied but is gone from " + settings.filesDir());
                }
                for (int i = 1; i < r.getValue().length; i++) {
                    checked++;
                    Existing now = existing.get(r.getValue()[i]);
                    String label = "trigger " + r.getValue()[i].replace(":", " ") + " (from " + r.getKey() + ")";
                    if (now == null) {
                        problems.add(label + " is missing");
                    } else if (!now.enabled()) {
                        problems.add(label + " is disabled");
                    }
                }
            }
        } catch (SQLException e) {
            throw Connections.translate(target, e);
        }
        return new TriggerVerification(env.name(), target.database(), checked, problems, problems.isEmpty());
    }

    /** A one-line summary for {@code check}; null when manage-db never installed triggers in this database. */
    public String summary(Environment env) {
        try (Connection c = Connections.open(env.target())) {
            if (Catalog.single(c, "SELECT to_regclass('manage_db.trigger_files')") == null) {
                return null;
            }
        } catch (SQLException e) {
            throw Connections.translate(env.target(), e);
        }
        TriggerVerification v = verify(env);
        return v.ok() ? "ok (" + v.checked() + " managed triggers)"
                : v.problems().size() + " problem(s): " + v.problems().get(0);
    }

    /** Every non-internal trigger in the database, and whether manage-db manages it. */
    public List<TriggerInfo> list(Environment env) {
        try (Connection c = Connections.open(env.target())) {
            Map<String, String> byFile = new HashMap<>();
            records(c).forEach((file, r) -> {
                for (int i = 1; i < r.length; i++) {
                    byFile.put(r[i], "file " + file);
                }
            });
            List<TriggerInfo> list = new ArrayList<>();
            for (var e : existing(c).entrySet()) {
                Existing x = e.getValue();
                String managed = x.name().equals(BuiltIns.UPDATED_AT_TRIGGER) ? "updated_at"
                        : x.name().equals(BuiltIns.AUDIT_TRIGGER) ? "audit" : byFile.get(e.getKey());
                list.add(new TriggerInfo(x.table(), x.name(), timing(x.type()), events(x.type()), x.function(),
                        x.enabled(), managed));
            }
            return list;
        } catch (SQLException e) {
            throw Connections.translate(env.target(), e);
        }
    }

    /** Removes manage-db's triggers (one set, or all with the project files' ones); the audit log only if asked. */
    public TriggerReport remove(Environment env, String set, boolean dropAuditLog, Duration lockWait, Guard guard) {
        Target target = env.target();
        // tables and data stay, and the audit log goes only when asked for: no safety backup
        return pipeline.run(env, Destructive.<String, TriggerReport>named("triggers remove", () -> {
                    if (set != null && !List.of("updated_at", "audit", "files").contains(set)) {
                        throw new ManageDbException(ExitCode.USAGE, "unknown trigger set '" + set
                                + "' (updated_at, audit, files)");
                    }
                    return set;
                })
                .confirming(plan -> "remove manage-db's " + (set == null ? "" : set + " ") + "triggers from database "
                        + target.database())
                .work((plan, lock, backup) -> removeHeld(env, set, dropAuditLog)), guard, lockWait, Progress.NONE);
    }

    private TriggerReport removeHeld(Environment env, String set, boolean dropAuditLog) {
        Target target = env.target();
        List<String> removed = new ArrayList<>();
        try (Connection c = Connections.open(target); Statement st = c.createStatement()) {
            c.setAutoCommit(false);
            for (Existing x : existing(c).values()) {
                boolean builtIn = x.name().equals(BuiltIns.UPDATED_AT_TRIGGER) && (set == null || set.equals("updated_at"))
                        || x.name().equals(BuiltIns.AUDIT_TRIGGER) && (set == null || set.equals("audit"));
                if (builtIn) {
                    st.execute("DROP TRIGGER " + x.name() + " ON " + Sql.quoteQualified(x.table()));
                    removed.add("trigger " + x.name() + " on " + x.table());
                }
            }
            if (set == null || set.equals("files")) {
                for (var r : records(c).entrySet()) {
                    for (int i = 1; i < r.getValue().length; i++) {
                        String[] t = r.getValue()[i].split(":", 2);
                        st.execute("DROP TRIGGER IF EXISTS " + Sql.quoteIdent(t[1]) + " ON "
                                + Sql.quoteQualified(t[0]));
                        removed.add("trigger " + t[1] + " on " + t[0] + " (from " + r.getKey() + ")");
                    }
                }
                if (Catalog.single(c, "SELECT to_regclass('manage_db.trigger_files')") != null) {
                    st.execute("DELETE FROM manage_db.trigger_files");
                }
            }
            for (String fn : List.of("updated_at", "audit")) {
                if (set == null || set.equals(fn)) {
                    st.execute("DROP FUNCTION IF EXISTS manage_db."
                            + (fn.equals("audit") ? BuiltIns.AUDIT_FUNCTION : BuiltIns.UPDATED_AT_FUNCTION) + "()");
                }
            }
            if (dropAuditLog && Catalog.single(c, "SELECT to_regclass('manage_db.audit_log')") != null) {
                st.execute("DROP TABLE manage_db.audit_log");
                removed.add("table manage_db.audit_log");
            }
            c.commit();
        } catch (SQLException e) {
            throw Connections.translate(target, e);
        }
        return new TriggerReport(env.name(), target.database(), false, List.of(), List.of(), removed, List.of(),
                removed.isEmpty());
    }

    // ---- catalog reading

    private static boolean isBuiltIn(String name) {
        return name.equals(BuiltIns.UPDATED_AT_TRIGGER) || name.equals(BuiltIns.AUDIT_TRIGGER);
    }

    private static boolean matches(Existing now, Expected e) {
        return now.function().equals(e.function()) && now.type() == e.type() && now.args().equals(e.args());
    }

    private static Map<String, Existing> existing(Connection c) throws SQLException {
        Map<String, Existing> map = new LinkedHashMap<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT n.nspname || '.' || r.relname,"
                + " t.tgname, t.tgfoid::regproc::text, t.tgtype, t.tgenabled <> 'D', t.tgargs, pg_get_triggerdef(t.oid)"
                + " FROM pg_trigger t JOIN pg_class r ON r.oid = t.tgrelid JOIN pg_namespace n ON n.oid = r.relnamespace"
                + " WHERE NOT t.tgisinternal AND t.tgparentid = 0 ORDER BY 1, 2")) {
            while (rs.next()) {
                List<String> args = new ArrayList<>();
                byte[] raw = rs.getBytes(6);
                int start = 0;
                for (int i = 0; raw != null && i < raw.length; i++) {
                    if (raw[i] == 0) {
                        args.add(new String(raw, start, i - start, StandardCharsets.UTF_8));
                        start = i + 1;
                    }
                }
                map.put(rs.getString(1) + ":" + rs.getString(2), new Existing(rs.getString(1), rs.getString(2),
                        rs.getString(3), rs.getInt(4), args, rs.getBoolean(5), rs.getString(7)));
            }
        }
        return map;
    }

    /** The built-in triggers every qualifying table should have now (tables created since the last apply too). */
    private List<Expected> expected(Connection c) throws SQLException {
        List<Expected> list = new ArrayList<>();
        String tablesSql = "SELECT n.nspname || '.' || r.relname, r.oid FROM pg_class r JOIN pg_namespace n"
                + " ON n.oid = r.relnamespace WHERE r.relkind IN ('r', 'p') AND NOT r.relispartition"
                + " AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'manage_db')"
                + " AND n.nspname NOT LIKE 'pg\\_%' ORDER BY 1";
        Map<String, Long> tables = new LinkedHashMap<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(tablesSql)) {
            while (rs.next()) {
                tables.put(rs.getString(1), rs.getLong(2));
            }
        }
        if (settings.enabled("updated_at")) {
            try (PreparedStatement ps = c.prepareStatement("SELECT a.attname FROM pg_attribute a WHERE a.attrelid = ?"
                    + " AND a.attnum > 0 AND NOT a.attisdropped AND a.atttypid IN ('timestamp'::regtype,"
                    + " 'timestamptz'::regtype)")) {
                for (var t : tables.entrySet()) {
                    ps.setLong(1, t.getValue());
                    Set<String> columns = new LinkedHashSet<>();
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            columns.add(rs.getString(1));
                        }
                    }
                    settings.updatedAtColumns().stream().filter(columns::contains).findFirst().ifPresent(col ->
                            list.add(new Expected(t.getKey(), BuiltIns.UPDATED_AT_TRIGGER, "updated_at",
                                    "manage_db." + BuiltIns.UPDATED_AT_FUNCTION, ROW | BEFORE | UPDATE, List.of(col))));
                }
            }
        }
        if (settings.enabled("audit")) {
            List<Pattern> patterns = settings.auditTables().stream().map(TriggerService::glob).toList();
            for (String table : tables.keySet()) {
                if (patterns.stream().anyMatch(p -> p.matcher(table).matches())) {
                    list.add(new Expected(table, BuiltIns.AUDIT_TRIGGER, "audit", "manage_db." + BuiltIns.AUDIT_FUNCTION,
                            ROW | INSERT | UPDATE | DELETE, excludedColumns(table)));
                }
            }
        }
        return list;
    }

    private List<String> excludedColumns(String table) {
        List<String> cols = new ArrayList<>();
        for (String entry : settings.auditExcludeColumns()) {
            int dot = entry.lastIndexOf('.');
            if (dot < 0) {
                cols.add(entry);
            } else {
                String owner = entry.substring(0, dot);
                if (owner.equals(table) || ("public." + owner).equals(table)) {
                    cols.add(entry.substring(dot + 1));
                }
            }
        }
        return cols;
    }

    private static Pattern glob(String pattern) {
        String p = pattern.contains(".") ? pattern : "public." + pattern;
        return Pattern.compile(Pattern.quote(p).replace("*", "\\E.*\\Q").replace("?", "\\E.\\Q"));
    }

    private static String prosrc(Connection c, String function) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT p.prosrc FROM pg_proc p JOIN pg_namespace n"
                + " ON n.oid = p.pronamespace WHERE n.nspname = 'manage_db' AND p.proname = ?")) {
            ps.setString(1, function);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    /** Recorded project files: name → [sha256, trigger keys...]. */
    private static Map<String, String[]> records(Connection c) throws SQLException {
        Map<String, String[]> map = new LinkedHashMap<>();
        if (Catalog.single(c, "SELECT to_regclass('manage_db.trigger_files')") == null) {
            return map;
        }
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT file, sha256, triggers FROM manage_db.trigger_files ORDER BY file")) {
            while (rs.next()) {
                Array a = rs.getArray(3);
                String[] triggers = a == null ? new String[0] : (String[]) a.getArray();
                String[] record = new String[triggers.length + 1];
                record[0] = rs.getString(2);
                System.arraycopy(triggers, 0, record, 1, triggers.length);
                map.put(rs.getString(1), record);
            }
        }
        return map;
    }

    private List<Path> files() {
        return Trees.sqlFiles(settings.filesDir());
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw ManageDbException.config("cannot read " + file + ": " + e.getMessage());
        }
    }



    private static String timing(int type) {
        return (type & INSTEAD) != 0 ? "INSTEAD OF" : (type & BEFORE) != 0 ? "BEFORE" : "AFTER";
    }

    private static String events(int type) {
        List<String> e = new ArrayList<>();
        if ((type & INSERT) != 0) {
            e.add("INSERT");
        }
        if ((type & UPDATE) != 0) {
            e.add("UPDATE");
        }
        if ((type & DELETE) != 0) {
            e.add("DELETE");
        }
        if ((type & TRUNCATE) != 0) {
            e.add("TRUNCATE");
        }
        return String.join(" OR ", e) + ((type & ROW) != 0 ? " (row)" : " (statement)");
    }
}
