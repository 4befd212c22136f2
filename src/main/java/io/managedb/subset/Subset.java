package io.managedb.subset;

import io.managedb.db.Sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The rows of a subset, by their address (ctid) in each leaf table, found in one snapshot: the chosen rows (each
 * condition's, a percent's sample of the root tables), then, until nothing new turns up, the rows that rows of the
 * subset reference through a relation (a foreign key, multi-column, self-referencing or in a cycle alike, or a virtual
 * one), and with children the rows that reference a chosen row or such a child. Children are not followed from the
 * rows taken in as referenced rows: from a store, all of its customers, and from them the whole database.
 * The connection it was found on stays open until {@link #close}: the locks its reads took keep the rows at their
 * addresses (no VACUUM FULL, CLUSTER or TRUNCATE in between) while they are copied.
 */
public final class Subset implements AutoCloseable {
    /** Row addresses per lookup: the statement carries them as a literal of about 12 bytes each. */
    private static final int BATCH = 20_000;
    /** Row addresses per copied part of a table (its COPY statement carries them). */
    static final int PART = 50_000;

    private record Batch(long leaf, long[] tids, boolean children) {
    }

    private final Connection connection;
    private final Relations relations;
    private final Map<Long, TidSet> rows = new HashMap<>();
    private final Map<Long, TidSet> downstream = new HashMap<>();
    private final Deque<Batch> work = new ArrayDeque<>();
    private final boolean withChildren;

    private Subset(Connection connection, Relations relations, boolean withChildren) {
        this.connection = connection;
        this.relations = relations;
        this.withChildren = withChildren;
    }

    static Subset compute(Connection c, Relations relations, SubsetOptions o, List<Relations.Table> tables,
                          Set<Long> sampled) throws SQLException {
        Subset s = new Subset(c, relations, o.withChildren());
        try (Statement st = c.createStatement()) {
            // as pg_dump reads: rows that row-level security would hide are an error; names are qualified
            st.execute("SET row_security = off");
            st.execute("SET search_path = ''");
        }
        for (int i = 0; i < tables.size(); i++) {
            Relations.Table t = tables.get(i);
            SubsetOptions.Condition condition = o.conditions().get(i);
            try {
                s.collect("SELECT tableoid::int8, ctid::text FROM " + t.from("") + " WHERE (" + condition.where()
                        + ")", null, true);
            } catch (SQLException e) {
                throw SubsetPlan.badCondition(condition, e);
            }
        }
        for (long root : sampled) {
            // BERNOULLI with a fixed seed: each row with that chance, the same rows again on an unchanged table
            s.collect("SELECT tableoid::int8, ctid::text FROM ONLY " + Sql.quoteQualified(relations.leafNames().get(root))
                    + " TABLESAMPLE BERNOULLI (" + o.percent() + ") REPEATABLE (0)", null, true);
        }
        s.follow();
        return s;
    }

    private void follow() throws SQLException {
        while (!work.isEmpty()) {
            Batch b = work.poll();
            String tids = TidSet.arrayLiteral(b.tids(), 0, b.tids().length);
            String leaf = Sql.quoteQualified(relations.leafNames().get(b.leaf()));
            for (Relations.Edge e : relations.referencing(b.leaf())) {
                collect(referencedRows(e, "SELECT " + select("c", e.fromColumns()) + " FROM ONLY " + leaf
                        + " c WHERE c.ctid = ANY (?::tid[])"), tids, false);
            }
            if (b.children()) {
                for (Relations.Edge e : relations.referenced(b.leaf())) {
                    collect("SELECT c.tableoid::int8, c.ctid::text FROM " + e.from().from("c") + " WHERE "
                            + columns("c", e.fromColumns()) + " IN (SELECT " + select("p", e.toColumns())
                            + " FROM ONLY " + leaf + " p WHERE p.ctid = ANY (?::tid[]))", tids, true);
                }
            }
        }
    }

    /** The rows of {@code e.to} whose key is among the values of {@code e.from}'s columns that {@code values} selects. */
    static String referencedRows(Relations.Edge e, String values) {
        return "SELECT p.tableoid::int8, p.ctid::text FROM " + e.to().from("p") + " WHERE "
                + columns("p", e.toColumns()) + " IN (" + values + ")";
    }

    /** Columns as a row to compare: {@code (c."a", c."b")}. */
    static String columns(String alias, List<String> columns) {
        return "(" + select(alias, columns) + ")";
    }

    /** Columns as a select list: {@code c."a", c."b"}. */
    static String select(String alias, List<String> columns) {
        return columns.stream().map(c -> alias + "." + Sql.quoteIdent(c)).collect(Collectors.joining(", "));
    }

    /**
     * Runs a query for rows ({tableoid, ctid}); adds them, and queues the new ones for following (their children
     * too when {@code children} and the subset has them).
     */
    private void collect(String sql, String tids, boolean children) throws SQLException {
        boolean down = children && withChildren;
        Map<Long, List<Long>> fresh = new HashMap<>();
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            if (tids != null) {
                ps.setString(1, tids);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long leaf = rs.getLong(1);
                    if (!relations.leafNames().containsKey(leaf)) {
                        continue; // a foreign table's partition: its rows are not copied
                    }
                    long tid = TidSet.parse(rs.getString(2));
                    boolean added = rows.computeIfAbsent(leaf, x -> new TidSet()).add(tid);
                    if (down ? downstream.computeIfAbsent(leaf, x -> new TidSet()).add(tid) : added) {
                        fresh.computeIfAbsent(leaf, x -> new ArrayList<>()).add(tid);
                    }
                }
            }
        }
        fresh.forEach((leaf, tids2) -> {
            for (int from = 0; from < tids2.size(); from += BATCH) {
                work.add(new Batch(leaf, tids2.subList(from, Math.min(tids2.size(), from + BATCH)).stream()
                        .mapToLong(Long::longValue).toArray(), down));
            }
        });
    }

    /** Rows per leaf table ({@code schema.table}), every leaf (0 for those with none). */
    public Map<String, Long> counts() {
        Map<String, Long> counts = new TreeMap<>();
        relations.leafNames().forEach((oid, name) -> counts.put(name, (long) size(oid)));
        return counts;
    }

    private int size(long leaf) {
        TidSet s = rows.get(leaf);
        return s == null ? 0 : s.size();
    }

    /**
     * The where clauses that select this table's rows of the subset, one per part of at most {@value #PART} rows
     * (in the table's physical order); empty when it has none.
     */
    public List<String> parts(long leaf) {
        TidSet s = rows.get(leaf);
        if (s == null) {
            return List.of();
        }
        long[] all = s.sorted();
        List<String> parts = new ArrayList<>();
        for (int from = 0; from < all.length; from += PART) {
            parts.add("ctid = ANY ('" + TidSet.arrayLiteral(all, from, Math.min(all.length, from + PART)) + "'::tid[])");
        }
        return parts;
    }

    /** Ends the transaction the rows were found in, and closes its connection. */
    @Override
    public void close() {
        try (Connection c = connection) {
            c.rollback();
        } catch (SQLException ignored) {
            // closed either way
        }
    }
}
