package io.managedb.db;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Facts read from a database's catalog: server version, Flyway version, tables and their row counts. */
public final class Catalog {
    /**
     * A WHERE condition on {@code n} (pg_namespace) that keeps the user's schemas: not the system's, TOAST or
     * temporary ones.
     */
    public static final String USER_SCHEMAS = "n.nspname NOT IN ('pg_catalog', 'information_schema')"
            + " AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%'";

    /**
     * An SQL expression: the names of the columns numbered in {@code attnums} (an int2vector such as
     * {@code k.conkey}) of the relation {@code relid}, in that order, as a text[].
     */
    public static String columnNames(String attnums, String relid) {
        return "ARRAY(SELECT a.attname FROM unnest(" + attnums + ") WITH ORDINALITY u(x, i) JOIN pg_attribute a"
                + " ON a.attrelid = " + relid + " AND a.attnum = u.x ORDER BY u.i)::text[]";
    }

    private static final String USER_TABLES = "SELECT n.nspname, c.relname FROM pg_class c"
            + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind = 'r'"
            + " AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'"
            + " AND n.nspname NOT LIKE 'pg_temp%' ORDER BY 1, 2";

    private Catalog() {
    }

    public static int serverVersionNum(Connection c) throws SQLException {
        return Integer.parseInt(single(c, "SHOW server_version_num"));
    }

    public static String serverVersion(Connection c) throws SQLException {
        return single(c, "SHOW server_version").replaceAll(" \\(.*", "");
    }

    /** The newest successfully applied Flyway version, or null when there is no history table. */
    public static String flywayVersion(Connection c) throws SQLException {
        if (single(c, "SELECT to_regclass('flyway_schema_history')") == null) {
            return null;
        }
        return single(c, "SELECT version FROM flyway_schema_history WHERE success AND version IS NOT NULL"
                + " ORDER BY installed_rank DESC LIMIT 1");
    }

    /** Qualified names ({@code schema.table}) of every ordinary table outside the system schemas. */
    public static List<String> tables(Connection c) throws SQLException {
        List<String> tables = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(USER_TABLES)) {
            while (rs.next()) {
                tables.add(rs.getString(1) + "." + rs.getString(2));
            }
        }
        return tables;
    }

    /** Exact row counts of every ordinary table, in the connection's current snapshot. */
    public static Map<String, Long> rowCounts(Connection c) throws SQLException {
        return rowCounts(c, userTables(c));
    }

    static List<String[]> userTables(Connection c) throws SQLException {
        List<String[]> names = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(USER_TABLES)) {
            while (rs.next()) {
                names.add(new String[] {rs.getString(1), rs.getString(2)});
            }
        }
        return names;
    }

    /** Counts what is not locked, a batch at a time, then table by table in a batch that met a lock; the rest. */
    static List<String[]> countFree(Connection c, List<String[]> tables, Map<String, Long> counts)
            throws SQLException {
        List<String[]> locked = new ArrayList<>();
        for (int from = 0; from < tables.size(); from += COUNT_BATCH) {
            List<String[]> batch = tables.subList(from, Math.min(tables.size(), from + COUNT_BATCH));
            if (!countUnlessLocked(c, batch, counts)) {
                for (String[] table : batch) {
                    if (!countUnlessLocked(c, List.<String[]>of(table), counts)) {
                        locked.add(table);
                    }
                }
            }
        }
        return locked;
    }

    private static boolean countUnlessLocked(Connection c, List<String[]> tables, Map<String, Long> counts)
            throws SQLException {
        try {
            counts.putAll(rowCounts(c, tables));
            return true;
        } catch (SQLException e) {
            if ("55P03".equals(e.getSQLState())) {
                return false;
            }
            throw e;
        }
    }

    static void sleep(long millis) throws SQLException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while counting rows", e);
        }
    }

    /** How many tables one counting statement covers: a round trip per table costs more than the count itself. */
    static final int COUNT_BATCH = 250;

    /**
     * Exact row counts ({@code FROM ONLY}) of these tables ({schema, table} pairs), by {@code schema.table}: one
     * {@code UNION ALL} statement per {@link #COUNT_BATCH} tables, each table counted in full as before.
     */
    public static Map<String, Long> rowCounts(Connection c, List<String[]> names) throws SQLException {
        Map<String, Long> counts = new TreeMap<>();
        try (Statement st = c.createStatement()) {
            for (int from = 0; from < names.size(); from += COUNT_BATCH) {
                List<String[]> batch = names.subList(from, Math.min(names.size(), from + COUNT_BATCH));
                StringBuilder sql = new StringBuilder();
                for (int i = 0; i < batch.size(); i++) {
                    sql.append(i == 0 ? "" : " UNION ALL ").append("SELECT ").append(i).append(", count(*) FROM ONLY ")
                            .append(Sql.quoteIdent(batch.get(i)[0])).append('.').append(Sql.quoteIdent(batch.get(i)[1]));
                }
                int seen = 0;
                try (ResultSet rs = st.executeQuery(sql.toString())) {
                    while (rs.next()) {
                        String[] n = batch.get(rs.getInt(1));
                        counts.put(n[0] + "." + n[1], rs.getLong(2));
                        seen++;
                    }
                }
                if (seen != batch.size()) {
                    throw new SQLException("row count returned " + seen + " of " + batch.size() + " tables");
                }
            }
        }
        return counts;
    }

    /** A table whose row count differs from the one expected. */
    public record CountMismatch(String table, Long actual, Long expected) {
    }

    /** The first table whose row count in {@code actual} differs from {@code expected}; empty when all match. */
    public static java.util.Optional<CountMismatch> countMismatch(Map<String, Long> expected,
                                                                  Map<String, Long> actual) {
        return expected.entrySet().stream()
                .filter(e -> !java.util.Objects.equals(actual.get(e.getKey()), e.getValue()))
                .map(e -> new CountMismatch(e.getKey(), actual.get(e.getKey()), e.getValue()))
                .findFirst();
    }

    public static String single(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }
}
