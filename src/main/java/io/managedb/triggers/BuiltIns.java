package io.managedb.triggers;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The built-in trigger sets, shipped in the jar as SQL resources ({@code io/managedb/triggers/*.sql}). Each set's
 * function body is read from its resource too, so that {@code verify} can tell when someone edited a function by
 * hand (its {@code prosrc} differs).
 */
final class BuiltIns {
    static final String UPDATED_AT_TRIGGER = "manage_db_updated_at";
    static final String AUDIT_TRIGGER = "manage_db_audit";
    static final String UPDATED_AT_FUNCTION = "set_updated_at";
    static final String AUDIT_FUNCTION = "audit";

    /** A built-in set: its resource SQL, the function it defines and that function's expected body. */
    record Set(String name, String function, String sql) {
        String body() {
            int start = sql.indexOf("$fn$") + 4;
            return sql.substring(start, sql.indexOf("$fn$", start));
        }
    }

    static final Set UPDATED_AT = new Set("updated_at", UPDATED_AT_FUNCTION, resource("updated_at.sql"));
    static final Set AUDIT = new Set("audit", AUDIT_FUNCTION, resource("audit.sql"));

    /** manage-db's schema and its record of applied project files. */
    static final String SCHEMA_SQL = resource("schema.sql");

    private BuiltIns() {
    }

    private static String resource(String name) {
        try (InputStream in = BuiltIns.class.getResourceAsStream("/io/managedb/triggers/" + name)) {
            if (in == null) {
                throw new IllegalStateException("resource io/managedb/triggers/" + name + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
