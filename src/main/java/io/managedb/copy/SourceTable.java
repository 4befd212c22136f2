package io.managedb.copy;

import io.managedb.db.Sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A table of the source as a copy sees it.
 *
 * @param ordinary whether it holds rows of its own (not a partitioned parent)
 * @param bytes    its size with TOAST, for scheduling and progress
 * @param pages    its main fork's size in pages, for splitting it into page ranges
 * @param columns  its stored (not generated) columns, quoted, comma-separated; null when it has none
 * @param builtInTypes whether all those columns are of built-in types with binary input and output, whose binary
 *                 form (which names element types by OID in arrays) reads the same in any database of that version;
 *                 not the reg* types (regclass, regtype, regproc, ...) nor arrays of them, whose binary form is the
 *                 referenced object's OID in the source (their text form is its name; domains, user types, are
 *                 never binary here)
 */
record SourceTable(long oid, String schema, String table, boolean ordinary, long bytes, long pages, String columns,
                   boolean builtInTypes) {

    /** {@code schema.table}, unquoted, as row counts and results name tables. */
    String name() {
        return schema + "." + table;
    }

    String quoted() {
        return Sql.quoteIdent(schema) + "." + Sql.quoteIdent(table);
    }

    /** The tables with these OIDs, in the given order. */
    static List<SourceTable> load(Connection c, List<Long> oids) throws SQLException {
        Map<Long, SourceTable> found = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT c.oid, n.nspname, c.relname, c.relkind = 'r',"
                + " pg_table_size(c.oid), pg_relation_size(c.oid) / current_setting('block_size')::int,"
                + " (SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum) FROM pg_attribute a"
                + "  WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''),"
                + " (SELECT coalesce(bool_and(a.atttypid < 16384 AND t.typsend::oid <> 0 AND t.typreceive::oid <> 0"
                + "  AND t.typname NOT LIKE 'reg%' AND coalesce(e.typname NOT LIKE 'reg%', true)), false)"
                + "  FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid LEFT JOIN pg_type e ON e.oid = t.typelem"
                + "  WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = '')"
                + " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid::int8 = ANY (?)")) {
            ps.setArray(1, c.createArrayOf("int8", oids.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    found.put(rs.getLong(1), new SourceTable(rs.getLong(1), rs.getString(2), rs.getString(3),
                            rs.getBoolean(4), rs.getLong(5), rs.getLong(6), rs.getString(7), rs.getBoolean(8)));
                }
            }
        }
        return oids.stream().map(found::get).filter(Objects::nonNull).toList();
    }
}
