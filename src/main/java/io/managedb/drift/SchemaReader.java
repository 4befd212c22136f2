package io.managedb.drift;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads a database's schema from its catalogs into comparable objects: schemas, tables, columns, indexes, constraints,
 * views, functions, triggers, sequences, enum types and extensions. Ownership and privileges are not read; the system
 * schemas, manage-db's own schema (and triggers calling its functions), objects belonging to extensions and Flyway's
 * history table are left out.
 */
final class SchemaReader {
    private static final String USER_SCHEMA = "n.nspname NOT IN ('pg_catalog', 'information_schema', 'manage_db')"
            + " AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%'";
    private static final String NOT_EXTENSION = " AND NOT EXISTS (SELECT 1 FROM pg_depend dep WHERE dep.classid = %s"
            + "::regclass AND dep.objid = %s AND dep.deptype = 'e')";
    private static final String REL = "c.relkind IN ('r', 'p') AND c.relname <> ? AND " + USER_SCHEMA
            + NOT_EXTENSION.formatted("'pg_class'", "c.oid");

    private SchemaReader() {
    }

    /** Every object by {@link SchemaObject#id()}, in name order. */
    static Map<String, SchemaObject> read(Connection c, String historyTable) throws SQLException {
        Map<String, SchemaObject> objects = new TreeMap<>();
        query(c, objects, "SELECT 'schema', n.nspname FROM pg_namespace n WHERE " + USER_SCHEMA
                + NOT_EXTENSION.formatted("'pg_namespace'", "n.oid"), null);
        query(c, objects, "SELECT 'table', n.nspname || '.' || c.relname, 'kind', CASE c.relkind WHEN 'p' THEN"
                + " 'partitioned' ELSE 'ordinary' END || CASE c.relpersistence WHEN 'u' THEN ', unlogged' ELSE '' END"
                + " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE " + REL, historyTable);
        query(c, objects, "SELECT 'column', n.nspname || '.' || c.relname || '.' || a.attname,"
                + " 'type', format_type(a.atttypid, a.atttypmod), 'nullable', CASE WHEN a.attnotnull THEN 'not null'"
                + " ELSE 'null' END, 'default', CASE WHEN a.attgenerated = '' THEN pg_get_expr(d.adbin, d.adrelid) END,"
                + " 'generated', CASE WHEN a.attgenerated <> '' THEN pg_get_expr(d.adbin, d.adrelid) END,"
                + " 'identity', CASE a.attidentity WHEN 'a' THEN 'always' WHEN 'd' THEN 'by default' END,"
                + " 'collation', CASE WHEN a.attcollation <> t.typcollation THEN"
                + " (SELECT collname FROM pg_collation WHERE oid = a.attcollation) END"
                + " FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n"
                + " ON n.oid = c.relnamespace JOIN pg_type t ON t.oid = a.atttypid LEFT JOIN pg_attrdef d"
                + " ON d.adrelid = a.attrelid AND d.adnum = a.attnum"
                + " WHERE a.attnum > 0 AND NOT a.attisdropped AND " + REL, historyTable);
        query(c, objects, "SELECT 'index', n.nspname || '.' || ic.relname, 'definition', pg_get_indexdef(i.indexrelid)"
                + " FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_class c ON c.oid = i.indrelid"
                + " JOIN pg_namespace n ON n.oid = ic.relnamespace WHERE NOT EXISTS (SELECT 1 FROM pg_constraint k"
                + " WHERE k.conindid = i.indexrelid AND k.contype IN ('p', 'u', 'x')) AND c.relkind IN ('r', 'p', 'm')"
                + " AND c.relname <> ? AND " + USER_SCHEMA + NOT_EXTENSION.formatted("'pg_class'", "c.oid"),
                historyTable);
        query(c, objects, "SELECT 'constraint', n.nspname || '.' || c.relname || '.' || k.conname, 'definition',"
                + " pg_get_constraintdef(k.oid, true) FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid"
                + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE " + REL, historyTable);
        query(c, objects, "SELECT CASE c.relkind WHEN 'm' THEN 'materialized view' ELSE 'view' END,"
                + " n.nspname || '.' || c.relname, 'definition', pg_get_viewdef(c.oid, true) FROM pg_class c"
                + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('v', 'm') AND " + USER_SCHEMA
                + NOT_EXTENSION.formatted("'pg_class'", "c.oid"), null);
        query(c, objects, "SELECT CASE p.prokind WHEN 'p' THEN 'procedure' WHEN 'a' THEN 'aggregate' ELSE 'function'"
                + " END, n.nspname || '.' || p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')',"
                + " 'definition', CASE WHEN p.prokind = 'a' THEN pg_get_function_result(p.oid)"
                + " ELSE pg_get_functiondef(p.oid) END FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace"
                + " WHERE " + USER_SCHEMA + NOT_EXTENSION.formatted("'pg_proc'", "p.oid"), null);
        query(c, objects, "SELECT 'trigger', n.nspname || '.' || c.relname || '.' || t.tgname, 'definition',"
                + " pg_get_triggerdef(t.oid) || CASE t.tgenabled WHEN 'D' THEN ' (disabled)' ELSE '' END"
                + " FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n"
                + " ON n.oid = c.relnamespace JOIN pg_proc p ON p.oid = t.tgfoid JOIN pg_namespace pn"
                + " ON pn.oid = p.pronamespace WHERE NOT t.tgisinternal AND pn.nspname <> 'manage_db' AND "
                + USER_SCHEMA, null);
        query(c, objects, "SELECT 'sequence', s.schemaname || '.' || s.sequencename, 'type', s.data_type::text,"
                + " 'start', s.start_value::text, 'minimum', s.min_value::text, 'maximum', s.max_value::text,"
                + " 'increment', s.increment_by::text, 'cycle', s.cycle::text, 'cache', s.cache_size::text"
                + " FROM pg_sequences s JOIN pg_namespace n ON n.nspname = s.schemaname JOIN pg_class c"
                + " ON c.relnamespace = n.oid AND c.relname = s.sequencename WHERE " + USER_SCHEMA
                + NOT_EXTENSION.formatted("'pg_class'", "c.oid"), null);
        query(c, objects, "SELECT 'type', n.nspname || '.' || t.typname, 'labels', string_agg(e.enumlabel, ', '"
                + " ORDER BY e.enumsortorder) FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace JOIN pg_enum e"
                + " ON e.enumtypid = t.oid WHERE " + USER_SCHEMA + NOT_EXTENSION.formatted("'pg_type'", "t.oid")
                + " GROUP BY 1, 2", null);
        query(c, objects, "SELECT 'extension', x.extname, 'version', x.extversion, 'schema', n.nspname"
                + " FROM pg_extension x JOIN pg_namespace n ON n.oid = x.extnamespace", null);
        return objects;
    }

    /** Each row: kind, name, then pairs of part name and value (a null value leaves the part out). */
    private static void query(Connection c, Map<String, SchemaObject> into, String sql, String param)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            if (param != null) {
                ps.setString(1, param);
            }
            try (ResultSet rs = ps.executeQuery()) {
                int columns = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    Map<String, String> parts = new HashMap<>();
                    for (int i = 3; i < columns; i += 2) {
                        if (rs.getString(i + 1) != null) {
                            parts.put(rs.getString(i), rs.getString(i + 1));
                        }
                    }
                    SchemaObject o = new SchemaObject(rs.getString(1), rs.getString(2), parts);
                    into.put(o.id(), o);
                }
            }
        }
    }
}
