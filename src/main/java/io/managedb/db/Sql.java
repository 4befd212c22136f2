package io.managedb.db;

/** Quoting for the few places where identifiers cannot be bound as parameters. */
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
}
