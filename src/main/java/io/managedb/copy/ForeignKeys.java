package io.managedb.copy;

import io.managedb.core.ManageDbException;
import io.managedb.db.Sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * The foreign keys that would make a filtered copy fail half-way, found before anything is changed (and before the
 * safety backup): a data-only copy cannot TRUNCATE a table that a table outside the copy references, and rows whose
 * referenced table's rows are left out (--exclude-table-data) break their foreign key.
 */
final class ForeignKeys {
    /** One foreign key: {@code referencing} (schema.table, unquoted) references {@code referenced}. */
    record ForeignKey(String name, String referencing, String referenced, boolean partitioned, List<String> columns) {
    }

    private ForeignKeys() {
    }

    /** Every foreign key of the database (a partitioned table's once, not once per partition). */
    static List<ForeignKey> all(Connection c) throws SQLException {
        String sql = "SELECT k.conname, rn.nspname || '.' || r.relname, fn.nspname || '.' || f.relname,"
                + " r.relkind = 'p', ARRAY(SELECT a.attname FROM unnest(k.conkey) WITH ORDINALITY u(n, i)"
                + "  JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.n ORDER BY u.i)::text[]"
                + " FROM pg_constraint k JOIN pg_class r ON r.oid = k.conrelid"
                + " JOIN pg_namespace rn ON rn.oid = r.relnamespace JOIN pg_class f ON f.oid = k.confrelid"
                + " JOIN pg_namespace fn ON fn.oid = f.relnamespace"
                + " WHERE k.contype = 'f' AND k.conparentid = 0 ORDER BY 3, 2, 1";
        List<ForeignKey> keys = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                keys.add(new ForeignKey(rs.getString(1), rs.getString(2), rs.getString(3), rs.getBoolean(4),
                        List.of((String[]) rs.getArray(5).getArray())));
            }
        }
        return keys;
    }

    /**
     * A data-only copy TRUNCATEs the selected tables in the target: refused when a table outside the selection
     * references one of them (PostgreSQL would refuse the TRUNCATE).
     */
    static void requireTruncatable(Connection target, Collection<String> selected, boolean withTablePatterns)
            throws SQLException {
        Set<String> in = Set.copyOf(selected);
        for (ForeignKey k : all(target)) {
            if (in.contains(k.referenced()) && !in.contains(k.referencing())) {
                throw ManageDbException.refused("cannot replace the rows of " + k.referenced() + ": "
                        + k.referencing() + " references it (foreign key " + k.name() + ") and is not part of the"
                        + " copy; " + (withTablePatterns ? "add --table " + k.referencing()
                        : "stop excluding it (--exclude-table)") + ", or copy without --data-only; nothing was copied");
            }
        }
    }

    /**
     * Refuses when a table whose rows are copied has rows (in the source) that reference a table whose rows are left
     * out: the referenced table ends up empty, so the foreign key would fail (or, with triggers disabled, be broken).
     *
     * @param keys     the foreign keys that will hold in the copy (the source's, or the target's for data-only)
     * @param copied   tables whose rows are copied
     * @param dataLess tables that are copied without their rows
     */
    static void requireReferencedRows(Connection source, List<ForeignKey> keys, Collection<String> copied,
                                      Collection<String> dataLess) throws SQLException {
        Set<String> rows = Set.copyOf(copied);
        Set<String> empty = Set.copyOf(dataLess);
        for (ForeignKey k : keys) {
            if (rows.contains(k.referencing()) && empty.contains(k.referenced())
                    && !k.referencing().equals(k.referenced()) && hasReferences(source, k)) {
                throw ManageDbException.refused("cannot copy the rows of " + k.referencing() + " without those of "
                        + k.referenced() + ": they reference it (foreign key " + k.name() + "), so the foreign key"
                        + " would fail; add --exclude-table-data " + k.referencing() + ", or copy the rows of "
                        + k.referenced() + " too; nothing was copied");
            }
        }
    }

    /** Whether any row of the referencing table has every column of the key set (MATCH SIMPLE checks only those). */
    private static boolean hasReferences(Connection source, ForeignKey k) throws SQLException {
        StringBuilder where = new StringBuilder();
        for (String col : k.columns()) {
            where.append(where.length() == 0 ? "" : " AND ").append(Sql.quoteIdent(col)).append(" IS NOT NULL");
        }
        String sql = "SELECT EXISTS (SELECT 1 FROM " + (k.partitioned() ? "" : "ONLY ")
                + Sql.quoteQualified(k.referencing()) + " WHERE " + where + ")";
        try (PreparedStatement ps = source.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            return rs.next() && rs.getBoolean(1);
        }
    }
}
