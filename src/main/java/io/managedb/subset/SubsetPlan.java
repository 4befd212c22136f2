package io.managedb.subset;

import io.managedb.core.ExitCode;
import io.managedb.core.ManageDbException;
import io.managedb.db.Connections;
import io.managedb.masking.MaskingRules;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A subset, checked against the source before anything is changed: every {@code --subset} table exists and its where
 * clause compiles there (exit 2 naming it otherwise), every virtual foreign key of the rules file names tables and
 * columns it has, of comparable types (exit 3). {@link #compute} then finds the rows, in a snapshot.
 */
public final class SubsetPlan {
    private final SubsetOptions options;
    private final Relations relations;
    private final List<Relations.Table> tables;

    private SubsetPlan(SubsetOptions options, Relations relations, List<Relations.Table> tables) {
        this.options = options;
        this.relations = relations;
        this.tables = tables;
    }

    /**
     * @param rules the rules file, for its virtual foreign keys; null: none
     */
    public static SubsetPlan prepare(Connection source, SubsetOptions options, MaskingRules rules) throws SQLException {
        Relations relations = rules == null ? Relations.read(source, List.of(), null)
                : Relations.read(source, rules.virtualKeys(), rules.file().toString());
        List<Relations.Table> tables = new ArrayList<>();
        boolean autoCommit = source.getAutoCommit();
        source.setAutoCommit(false);
        try (Statement st = source.createStatement()) {
            st.execute("SET TRANSACTION READ ONLY");
            st.execute("SET LOCAL search_path = ''"); // as the subset's rows are found
            for (SubsetOptions.Condition c : options.conditions()) {
                Relations.Table t = relations.resolve(c.table());
                if (t == null) {
                    throw new ManageDbException(ExitCode.USAGE, "--subset " + c.table() + ": unknown table"
                            + " (no such table in the source database, or a name that several schemas have)");
                }
                tables.add(t);
                try {
                    explain(st, "SELECT 1 FROM " + t.from("") + " WHERE (" + c.where() + ")");
                } catch (SQLException e) {
                    throw badCondition(c, e);
                }
            }
            for (Relations.Edge e : relations.edges()) {
                if (e.name().startsWith(MaskingRules.VIRTUAL_KEYS)) {
                    try {
                        explain(st, Subset.referencedRows(e, "SELECT " + Subset.select("c", e.fromColumns())
                                + " FROM " + e.from().from("c")));
                    } catch (SQLException x) {
                        throw ManageDbException.config(rules.file() + ": " + e.name() + " (" + e.from().name() + " to "
                                + e.to().name() + ") does not run on the source: " + Connections.firstLine(x.getMessage()));
                    }
                }
            }
        } finally {
            source.rollback();
            source.setAutoCommit(autoCommit);
        }
        return new SubsetPlan(options, relations, tables);
    }

    /** Plans a query without running it; the first error ends the check (the transaction is rolled back). */
    private static void explain(Statement st, String sql) throws SQLException {
        st.execute("EXPLAIN " + sql);
    }

    /** A where clause the source does not take: a usage error naming it (exit 2). */
    static ManageDbException badCondition(SubsetOptions.Condition c, SQLException e) {
        return new ManageDbException(ExitCode.USAGE, "--subset " + c + ": the where clause does not run on the source: "
                + Connections.firstLine(e.getMessage()));
    }

    /**
     * The subset's rows, found on {@code c}, which must be in the snapshot the rows are then copied in (a
     * transaction that imported it, kept open while they are: its locks keep the rows where they were found).
     */
    public Subset compute(Connection c) {
        try {
            return Subset.compute(c, relations, options, tables, sampled());
        } catch (SQLException e) {
            throw ManageDbException.failed("finding the subset's rows failed: " + Connections.firstLine(e.getMessage()),
                    e);
        }
    }

    /** The leaf tables a percent samples: the root tables without a condition of their own. */
    private Set<Long> sampled() {
        if (options.percent() == null) {
            return Set.of();
        }
        Set<Long> conditioned = new HashSet<>();
        tables.forEach(t -> conditioned.addAll(t.leaves()));
        Set<Long> roots = new HashSet<>(relations.roots());
        roots.removeAll(conditioned);
        return roots;
    }

    /** What the subset is, with the rows it holds per table. */
    public SubsetReport report(Map<String, Long> rows) {
        Set<String> sampled = new TreeSet<>();
        sampled().forEach(r -> sampled.add(relations.leafNames().get(r)));
        return new SubsetReport(options.conditions().stream().map(SubsetOptions.Condition::toString).toList(),
                options.percent(), List.copyOf(sampled), options.withChildren(), new TreeMap<>(rows),
                rows.values().stream().mapToLong(Long::longValue).sum());
    }
}
