package io.managedb.masking;

import io.managedb.core.ManageDbException;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The masking of one copy, worked out against the source's catalog before anything is changed: every rule's table
 * and column must exist (exit 3 naming it); a masked primary or unique key's rule is carried to every foreign-key
 * column that references it, transitively, so references stay valid; a partitioned table's rules hold for its
 * partitions; and the personal columns that no rule covers are listed.
 */
public final class MaskingPlan {
    /** A column's effective rule: the rule, the column whose values it produces, and why it applies. */
    private record Effective(Rule rule, Column origin, String via) {
    }

    private record ForeignKey(String name, String referencing, String referenced, List<String> from, List<String> to) {
    }

    private final Map<String, TableMask> masks;
    private final MaskingReport report;

    private MaskingPlan(Map<String, TableMask> masks, MaskingReport report) {
        this.masks = masks;
        this.report = report;
    }

    /** No masking at all: every table is copied as it is. */
    public static MaskingPlan none() {
        return new MaskingPlan(Map.of(), null);
    }

    /**
     * @param rules    the masking file's rules; null: none (only the personal columns are looked for)
     * @param secret   MANAGE_DB_MASKING_SECRET, or null
     * @param tables   the copied tables whose rows are copied (schema.table)
     */
    public static MaskingPlan build(Connection source, MaskingRules rules, String secret, PersonalColumns personal,
                                    Collection<String> tables) throws SQLException {
        Catalog cat = Catalog.read(source);
        Map<String, Map<String, Effective>> eff = new LinkedHashMap<>();
        if (rules != null) {
            explicit(rules, cat, eff);
            requireSecret(rules, secret);
            propagate(cat, eff);
            partitions(cat, eff);
        }
        Set<String> copied = Set.copyOf(tables);
        Set<String> referencing = new HashSet<>();
        cat.keys.forEach(k -> k.from().forEach(c -> referencing.add(k.referencing() + "." + c)));
        cat.primaryKeys.forEach((t, cols) -> cols.forEach(c -> referencing.add(t + "." + c)));
        List<MaskingReport.MaskedColumn> columns = new ArrayList<>();
        List<String> uncovered = new ArrayList<>();
        for (Map.Entry<String, List<Column>> t : cat.columns.entrySet()) {
            String table = t.getKey();
            if (!copied.contains(table) || cat.partitions.contains(table)) {
                continue;
            }
            for (Column c : t.getValue()) {
                if (c.generated()) {
                    continue; // computed again in the target, from the masked columns
                }
                Effective e = eff.getOrDefault(table, Map.of()).get(c.name());
                // references and surrogate keys (address_id) are not personal data themselves
                boolean isPersonal = personal.matches(c.name()) && !c.type().equals("bool")
                        && !(referencing.contains(c.qualified()) && !c.isText());
                columns.add(new MaskingReport.MaskedColumn(table, c.name(), e == null ? null : e.rule().describe(),
                        e == null ? null : e.via(), isPersonal));
                if (isPersonal && e == null) {
                    uncovered.add(c.qualified());
                }
            }
        }
        Map<String, TableMask> masks = new HashMap<>();
        Transformers transformers = new Transformers(secret == null || secret.isBlank() ? null : secret);
        for (Map.Entry<String, Map<String, Effective>> t : eff.entrySet()) {
            List<Column> all = cat.columns.get(t.getKey());
            if (cat.partitioned.contains(t.getKey()) || t.getValue().values().stream()
                    .allMatch(e -> e.rule().transformer().equals("keep"))) {
                continue;
            }
            List<Column> stored = all.stream().filter(c -> !c.generated()).toList();
            List<String> sql = new ArrayList<>();
            List<Transformers.Fn> jvm = new ArrayList<>();
            for (Column c : stored) {
                Effective e = t.getValue().get(c.name());
                boolean masked = e != null && !e.rule().transformer().equals("keep");
                String expr = masked ? Transformers.sql(e.rule()) : null;
                sql.add(expr);
                jvm.add(masked && expr == null ? transformers.jvm(e.rule(), c, e.origin()) : null);
            }
            List<String> pk = cat.primaryKeys.getOrDefault(t.getKey(), List.of());
            List<String> names = stored.stream().map(Column::name).toList();
            int[] keys = pk.stream().mapToInt(names::indexOf).toArray();
            if (Arrays.stream(keys).anyMatch(i -> i < 0)) {
                keys = new int[0];
            }
            masks.put(t.getKey(), new TableMask(t.getKey(), stored, sql, jvm, keys));
        }
        requireSqlRuns(source, masks.values());
        String file = rules == null ? null : rules.file().toString();
        return new MaskingPlan(masks, new MaskingReport(file, columns, uncovered));
    }

    /**
     * The {@code sql} rules must run on the source as the relay runs them (an empty search_path, read only): tried
     * with {@code LIMIT 0}, so that a mistake is a configuration error now rather than a failed copy later.
     */
    private static void requireSqlRuns(Connection source, Collection<TableMask> masks) throws SQLException {
        boolean autoCommit = source.getAutoCommit();
        source.setAutoCommit(false);
        try (Statement st = source.createStatement()) {
            st.execute("SET TRANSACTION READ ONLY");
            st.execute("SET LOCAL search_path = ''");
            for (TableMask m : masks) {
                if (m.sql().stream().noneMatch(x -> x != null && x.startsWith("("))) {
                    continue;
                }
                st.execute("SAVEPOINT rule");
                try {
                    st.execute("SELECT " + m.selectList() + " FROM ONLY " + io.managedb.db.Sql.quoteQualified(m.table())
                            + " LIMIT 0");
                } catch (SQLException e) {
                    throw ManageDbException.config("masking rules of " + m.table() + ": an sql expression does not run"
                            + " on the source: " + e.getMessage().lines().findFirst().orElse(""));
                }
                st.execute("RELEASE SAVEPOINT rule");
            }
        } finally {
            source.rollback();
            source.setAutoCommit(autoCommit);
        }
    }

    /** How a table's rows are masked, or null: copied as they are. */
    public TableMask table(String name) {
        return masks.get(name);
    }

    public MaskingReport report() {
        return report;
    }

    private static void explicit(MaskingRules rules, Catalog cat, Map<String, Map<String, Effective>> eff) {
        rules.tables().forEach((table, cols) -> {
            List<Column> columns = cat.columns.get(table);
            if (columns == null) {
                throw ManageDbException.config(rules.file() + ": unknown table " + table
                        + " (no such table in the source database)");
            }
            cols.forEach((name, rule) -> {
                Column c = columns.stream().filter(x -> x.name().equals(name)).findFirst()
                        .orElseThrow(() -> ManageDbException.config(rules.file() + ": unknown column " + table + "."
                                + name + " (" + table + " has " + String.join(", ",
                                columns.stream().map(Column::name).toList()) + ")"));
                if (c.generated()) {
                    throw ManageDbException.config(rules.file() + ": " + c.qualified() + " is a generated column;"
                            + " mask the columns it is computed from");
                }
                eff.computeIfAbsent(table, k -> new LinkedHashMap<>()).put(name, new Effective(rule, c, "rule"));
            });
        });
    }

    private static void requireSecret(MaskingRules rules, String secret) {
        if (secret != null && !secret.isBlank()) {
            return;
        }
        Set<String> seeded = new TreeSet<>();
        rules.tables().forEach((t, cols) -> cols.forEach((c, r) -> {
            if (r.seeded()) {
                seeded.add(r.transformer());
            }
        }));
        if (!seeded.isEmpty()) {
            throw ManageDbException.config("MANAGE_DB_MASKING_SECRET is not set: the masking rules in " + rules.file()
                    + " use " + String.join(", ", seeded) + ", whose values are seeded from it");
        }
    }

    /** Carries each masked key column's rule to the foreign-key columns referencing it, until nothing changes. */
    private static void propagate(Catalog cat, Map<String, Map<String, Effective>> eff) {
        boolean changed = true;
        while (changed) {
            changed = false;
            for (ForeignKey k : cat.keys) {
                for (int i = 0; i < k.to().size(); i++) {
                    Effective key = eff.getOrDefault(k.referenced(), Map.of()).get(k.to().get(i));
                    if (key == null || key.rule().transformer().equals("keep")) {
                        continue;
                    }
                    String keyName = k.referenced() + "." + k.to().get(i);
                    String refName = k.referencing() + "." + k.from().get(i);
                    if (!key.rule().valueOnly()) {
                        throw ManageDbException.config("masking rule " + keyName + ": " + key.rule().transformer()
                                + " cannot mask a key that " + refName + " references (foreign key " + k.name()
                                + "); use a transformer of the value alone, such as hash");
                    }
                    Map<String, Effective> cols = eff.computeIfAbsent(k.referencing(), x -> new LinkedHashMap<>());
                    Effective now = cols.get(k.from().get(i));
                    Effective wanted = new Effective(key.rule(), key.origin(), "key " + key.origin().qualified());
                    if (now != null && (!now.rule().transformer().equals(key.rule().transformer())
                            || !now.rule().args().equals(key.rule().args()))) {
                        throw ManageDbException.config("masking rule " + refName + ": it references " + keyName
                                + " (foreign key " + k.name() + "), masked with " + key.rule().describe()
                                + ", so it is masked the same way; remove its own rule (" + now.rule().describe()
                                + ")");
                    }
                    if (now == null || !now.origin().equals(key.origin()) || !now.rule().equals(key.rule())) {
                        if (now != null && !now.via().equals("rule") && !now.origin().equals(key.origin())) {
                            continue; // reached from two keys masked alike: the first one's seed stays
                        }
                        cols.put(k.from().get(i), wanted);
                        changed = true;
                    }
                }
            }
        }
    }

    /** A partitioned table's rules hold for each of its partitions (whose rows are what is copied). */
    private static void partitions(Catalog cat, Map<String, Map<String, Effective>> eff) {
        cat.leaves.forEach((parent, leaves) -> {
            Map<String, Effective> rules = eff.get(parent);
            if (rules != null) {
                for (String leaf : leaves) {
                    Map<String, Effective> own = eff.computeIfAbsent(leaf, x -> new LinkedHashMap<>());
                    rules.forEach(own::putIfAbsent);
                }
            }
        });
    }

    /** What the plan reads of the source's catalog, in one pass. */
    private static final class Catalog {
        final Map<String, List<Column>> columns = new LinkedHashMap<>();
        final Map<String, List<String>> primaryKeys = new HashMap<>();
        final List<ForeignKey> keys = new ArrayList<>();
        final Set<String> partitioned = new HashSet<>();
        final Set<String> partitions = new HashSet<>();
        final Map<String, List<String>> leaves = new HashMap<>();

        /** Every user table's columns: name, type, base type, length, generated, partitioned, partition. */
        private static final String COLUMNS = "SELECT n.nspname || '.' || r.relname, a.attname,"
                + " coalesce(b.typname, t.typname), format_type(a.atttypid, a.atttypmod),"
                + " CASE WHEN coalesce(b.typname, t.typname) IN ('varchar', 'bpchar')"
                + "  THEN greatest(coalesce(nullif(a.atttypmod, -1), nullif(t.typtypmod, -1), -1) - 4, -1)"
                + "  ELSE -1 END, a.attgenerated <> '', r.relkind = 'p', r.relispartition"
                + " FROM pg_attribute a JOIN pg_class r ON r.oid = a.attrelid"
                + " JOIN pg_namespace n ON n.oid = r.relnamespace JOIN pg_type t ON t.oid = a.atttypid"
                + " LEFT JOIN pg_type b ON t.typtype = 'd' AND b.oid = t.typbasetype"
                + " WHERE r.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped AND";

        /** Primary and foreign keys: table, type, name, referenced table, columns, referenced columns. */
        private static final String KEYS = "SELECT n.nspname || '.' || r.relname, k.contype, k.conname,"
                + " fn.nspname || '.' || f.relname, " + io.managedb.db.Catalog.columnNames("k.conkey", "k.conrelid")
                + ", " + io.managedb.db.Catalog.columnNames("k.confkey", "k.confrelid")
                + " FROM pg_constraint k JOIN pg_class r ON r.oid = k.conrelid"
                + " JOIN pg_namespace n ON n.oid = r.relnamespace LEFT JOIN pg_class f ON f.oid = k.confrelid"
                + " LEFT JOIN pg_namespace fn ON fn.oid = f.relnamespace WHERE k.contype IN ('p', 'f') AND";

        static Catalog read(Connection c) throws SQLException {
            Catalog cat = new Catalog();
            String user = " " + io.managedb.db.Catalog.USER_SCHEMAS;
            try (Statement st = c.createStatement()) {
                try (ResultSet rs = st.executeQuery(COLUMNS + user + " ORDER BY 1, a.attnum")) {
                    while (rs.next()) {
                        String table = rs.getString(1);
                        cat.columns.computeIfAbsent(table, k -> new ArrayList<>()).add(new Column(table,
                                rs.getString(2), rs.getString(3), rs.getString(4), rs.getInt(5), rs.getBoolean(6)));
                        if (rs.getBoolean(7)) {
                            cat.partitioned.add(table);
                        }
                        if (rs.getBoolean(8)) {
                            cat.partitions.add(table);
                        }
                    }
                }
                try (ResultSet rs = st.executeQuery(KEYS + user + " ORDER BY 1, 3")) {
                    while (rs.next()) {
                        List<String> from = List.of((String[]) rs.getArray(5).getArray());
                        if (rs.getString(2).equals("p")) {
                            cat.primaryKeys.put(rs.getString(1), from);
                        } else {
                            cat.keys.add(new ForeignKey(rs.getString(3), rs.getString(1), rs.getString(4), from,
                                    List.of((String[]) rs.getArray(6).getArray())));
                        }
                    }
                }
                try (ResultSet rs = st.executeQuery("SELECT n.nspname || '.' || p.relname,"
                        + " ln.nspname || '.' || l.relname FROM pg_class p JOIN pg_namespace n ON n.oid = p.relnamespace"
                        + " CROSS JOIN LATERAL pg_partition_tree(p.oid) x JOIN pg_class l ON l.oid = x.relid"
                        + " JOIN pg_namespace ln ON ln.oid = l.relnamespace WHERE p.relkind = 'p' AND x.isleaf AND"
                        + user)) {
                    while (rs.next()) {
                        cat.leaves.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(rs.getString(2));
                    }
                }
            }
            return cat;
        }
    }
}
