package io.managedb.subset;

import io.managedb.core.ManageDbException;
import io.managedb.db.Catalog;
import io.managedb.db.Sql;
import io.managedb.masking.MaskingRules.VirtualKey;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The source's tables and the relations between their rows that a subset follows: every declared foreign key (a
 * partitioned table's once, holding for all its partitions) and the rules file's virtual foreign keys. Rows live in
 * leaf tables (ordinary tables, partitions included), so a relation is followed leaf by leaf.
 */
final class Relations {
    /**
     * A table as a relation's end: its leaves are the tables holding its rows (itself, or a partitioned table's
     * partitions).
     */
    record Table(long oid, String name, boolean partitioned, List<Long> leaves, List<String> columns,
                 List<String> primaryKey) {
        /** As a FROM item: a partitioned table with its partitions, any other table's own rows only. */
        String from(String alias) {
            return (partitioned ? "" : "ONLY ") + Sql.quoteQualified(name) + (alias.isEmpty() ? "" : " " + alias);
        }
    }

    /** {@code from}'s columns reference {@code to}'s. */
    record Edge(String name, Table from, List<String> fromColumns, Table to, List<String> toColumns) {
    }

    private final Map<String, Table> tables = new LinkedHashMap<>();
    private final Map<Long, String> leafNames = new HashMap<>();
    private final List<Edge> edges = new ArrayList<>();
    private final Map<Long, List<Edge>> referencing = new HashMap<>();
    private final Map<Long, List<Edge>> referenced = new HashMap<>();

    private Relations() {
    }

    /** Reads the source's catalog; virtual keys naming a table or column it lacks are exit 3, naming them. */
    static Relations read(Connection c, List<VirtualKey> virtualKeys, String rulesFile) throws SQLException {
        Relations r = new Relations();
        Map<Long, Table> byOid = new HashMap<>();
        String user = " " + Catalog.USER_SCHEMAS;
        try (Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT c.oid::int8, n.nspname || '.' || c.relname, c.relkind = 'p',"
                    + " CASE WHEN c.relkind = 'p' THEN ARRAY(SELECT x.relid::int8 FROM pg_partition_tree(c.oid) x"
                    + "  JOIN pg_class l ON l.oid = x.relid WHERE x.isleaf AND l.relkind = 'r') ELSE ARRAY[c.oid::int8] END,"
                    + " ARRAY(SELECT a.attname FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0"
                    + "  AND NOT a.attisdropped ORDER BY a.attnum)::text[],"
                    + " coalesce((SELECT " + Catalog.columnNames("k.conkey", "k.conrelid") + " FROM pg_constraint k"
                    + "  WHERE k.conrelid = c.oid AND k.contype = 'p'), '{}')"
                    + " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                    + " WHERE c.relkind IN ('r', 'p') AND" + user + " ORDER BY 2")) {
                while (rs.next()) {
                    Table t = new Table(rs.getLong(1), rs.getString(2), rs.getBoolean(3),
                            List.of((Long[]) rs.getArray(4).getArray()), List.of((String[]) rs.getArray(5).getArray()),
                            List.of((String[]) rs.getArray(6).getArray()));
                    r.tables.put(t.name(), t);
                    byOid.put(t.oid(), t);
                    if (!t.partitioned()) {
                        r.leafNames.put(t.oid(), t.name());
                    }
                }
            }
            try (ResultSet rs = st.executeQuery("SELECT k.conname, k.conrelid::int8, k.confrelid::int8, "
                    + Catalog.columnNames("k.conkey", "k.conrelid") + ", "
                    + Catalog.columnNames("k.confkey", "k.confrelid")
                    + " FROM pg_constraint k WHERE k.contype = 'f' AND k.conparentid = 0 ORDER BY 1")) {
                while (rs.next()) {
                    Table from = byOid.get(rs.getLong(2));
                    Table to = byOid.get(rs.getLong(3));
                    if (from != null && to != null) {
                        r.add(new Edge(rs.getString(1), from, List.of((String[]) rs.getArray(4).getArray()), to,
                                List.of((String[]) rs.getArray(5).getArray())));
                    }
                }
            }
        }
        for (VirtualKey k : virtualKeys) {
            r.add(r.virtual(k, rulesFile + ": " + k.where()));
        }
        return r;
    }

    private Edge virtual(VirtualKey k, String where) {
        Table from = known(k.from(), where);
        Table to = known(k.to(), where);
        List<String> toColumns = k.toColumns().isEmpty() ? to.primaryKey() : k.toColumns();
        if (toColumns.isEmpty()) {
            throw ManageDbException.config(where + ": " + to.name() + " has no primary key; name the columns of"
                    + " 'to' it references");
        }
        if (k.fromColumns().isEmpty() || k.fromColumns().size() != toColumns.size()) {
            throw ManageDbException.config(where + ": " + k.fromColumns().size() + " column(s) of " + from.name()
                    + " cannot reference " + toColumns.size() + " of " + to.name());
        }
        known(from, k.fromColumns(), where);
        known(to, toColumns, where);
        return new Edge(k.where(), from, k.fromColumns(), to, toColumns);
    }

    private Table known(String name, String where) {
        Table t = tables.get(name);
        if (t == null) {
            throw ManageDbException.config(where + ": unknown table " + name + " (no such table in the source database)");
        }
        return t;
    }

    private static void known(Table t, List<String> columns, String where) {
        for (String c : columns) {
            if (!t.columns().contains(c)) {
                throw ManageDbException.config(where + ": unknown column " + t.name() + "." + c + " (" + t.name()
                        + " has " + String.join(", ", t.columns()) + ")");
            }
        }
    }

    private void add(Edge e) {
        edges.add(e);
        e.from().leaves().forEach(l -> referencing.computeIfAbsent(l, x -> new ArrayList<>()).add(e));
        e.to().leaves().forEach(l -> referenced.computeIfAbsent(l, x -> new ArrayList<>()).add(e));
    }

    /** The table of a {@code --subset}: {@code schema.table}, or a table name only one schema has; null: none. */
    Table resolve(String name) {
        Table t = tables.get(name);
        if (t != null || name.contains(".")) {
            return t;
        }
        List<Table> named = tables.values().stream().filter(x -> x.name().endsWith("." + name)
                && x.name().indexOf('.') == x.name().length() - name.length() - 1).toList();
        return named.size() == 1 ? named.get(0) : null;
    }

    List<Edge> edges() {
        return edges;
    }

    /** The relations whose referencing rows are in this leaf. */
    List<Edge> referencing(long leaf) {
        return referencing.getOrDefault(leaf, List.of());
    }

    /** The relations whose referenced rows are in this leaf. */
    List<Edge> referenced(long leaf) {
        return referenced.getOrDefault(leaf, List.of());
    }

    /** Leaf table OIDs by name ({@code schema.table}). */
    Map<Long, String> leafNames() {
        return leafNames;
    }

    /**
     * The root tables, whose rows {@code --subset-percent} samples: the leaf tables that no other table references,
     * where the rows of following references start (a table referenced only by itself, or only from within a cycle
     * of tables that nothing outside references, counts as one: every table of such a cycle is a root).
     */
    Set<Long> roots() {
        Map<Long, Set<Long>> out = new HashMap<>();
        Map<Long, Set<Long>> in = new HashMap<>();
        for (Edge e : edges) {
            for (long f : e.from().leaves()) {
                for (long t : e.to().leaves()) {
                    out.computeIfAbsent(f, x -> new HashSet<>()).add(t);
                    in.computeIfAbsent(t, x -> new HashSet<>()).add(f);
                }
            }
        }
        Set<Long> roots = new HashSet<>();
        for (long leaf : leafNames.keySet()) {
            // a root: every table that reaches it is reached from it (within its cycle)
            if (reach(leaf, out).containsAll(reach(leaf, in))) {
                roots.add(leaf);
            }
        }
        return roots;
    }

    private static Set<Long> reach(long start, Map<Long, Set<Long>> next) {
        Set<Long> seen = new HashSet<>();
        Deque<Long> todo = new ArrayDeque<>(List.of(start));
        while (!todo.isEmpty()) {
            for (long n : next.getOrDefault(todo.poll(), Set.of())) {
                if (seen.add(n)) {
                    todo.add(n);
                }
            }
        }
        seen.add(start);
        return seen;
    }
}
