package io.managedb.testing;

import io.managedb.db.Catalog;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * What a user would compare after a restore or copy: every table's rows (an md5 over the sorted rows), every
 * sequence's value, and the schema ({@code pg_dump --schema-only}, normalised: no comments, no ownership or
 * privilege lines, no psql restrict keys).
 */
public record Fingerprint(Map<String, String> tables, Map<String, String> sequences, String schema) {

    public static Fingerprint of(PgEnvironment pg, String env) {
        try (Connection c = pg.connect(env)) {
            Map<String, String> tables = new TreeMap<>();
            for (String t : Catalog.tables(c)) {
                String[] parts = t.split("\\.", 2);
                String q = "\"" + parts[0] + "\".\"" + parts[1] + "\"";
                tables.put(t, single(c, "SELECT count(*) || ':' || coalesce(md5(string_agg(x::text, ',' ORDER BY"
                        + " x::text)), '') FROM " + q + " x"));
            }
            Map<String, String> sequences = new TreeMap<>();
            List<String> seqs = new ArrayList<>();
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                    "SELECT schemaname || '.' || sequencename FROM pg_sequences")) {
                while (rs.next()) {
                    seqs.add(rs.getString(1));
                }
            }
            for (String s : seqs) {
                String[] parts = s.split("\\.", 2);
                sequences.put(s, single(c, "SELECT last_value || '/' || is_called FROM \"" + parts[0] + "\".\""
                        + parts[1] + "\""));
            }
            return new Fingerprint(tables, sequences, schema(pg.url(env)));
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String schema(String url) {
        try {
            Process p = new ProcessBuilder("pg_dump", "--schema-only", "-d", url).start();
            String dump = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("pg_dump --schema-only failed");
            }
            return dump.lines().filter(l -> !l.isBlank() && !l.startsWith("--") && !l.startsWith("\\restrict")
                            && !l.startsWith("\\unrestrict") && !l.matches("^ALTER .* OWNER TO .*;$")
                            && !l.matches("^(GRANT|REVOKE) .*;$"))
                    .collect(Collectors.joining("\n"));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String single(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
