package io.managedb.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** Quoting for the few places where identifiers cannot be bound as parameters, and one-value queries. */
public final class Sql {
    private Sql() {
    }

    /** A quoted SQL identifier: {@code my"db} becomes {@code "my""db"}. */
    public static String quoteIdent(String name) {
        if (name.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("identifier contains a NUL character");
        }
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    /** A qualified name {@code schema.table} (split at the first dot) as {@code "schema"."table"}. */
    public static String quoteQualified(String schemaDotName) {
        String[] parts = schemaDotName.split("\\.", 2);
        return quoteIdent(parts[0]) + "." + quoteIdent(parts[1]);
    }

    /** A quoted SQL string literal, for statements such as ALTER DATABASE ... SET that take no parameters. */
    public static String quoteLiteral(String value) {
        if (value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("literal contains a NUL character");
        }
        return "E'" + value.replace("\\", "\\\\").replace("'", "''") + "'";
    }

    /** The first column of a query's first row, as text, with one text parameter bound; null when there is no row. */
    public static String firstText(Connection connection, String sql, String parameter) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setString(1, parameter);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }
}
