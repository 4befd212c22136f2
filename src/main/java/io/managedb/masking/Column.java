package io.managedb.masking;

/**
 * A stored column of a source table, as masking sees it.
 *
 * @param type      its type's name in pg_type ({@code int4}, {@code varchar}, {@code timestamptz}; a domain's base type)
 * @param maxLength the declared length of a varchar/char column, else -1
 */
public record Column(String table, String name, String type, String formatted, int maxLength, boolean generated) {
    boolean isInteger() {
        return type.equals("int2") || type.equals("int4") || type.equals("int8");
    }

    boolean isText() {
        return type.equals("text") || type.equals("varchar") || type.equals("bpchar") || type.equals("citext")
                || type.equals("name");
    }

    boolean isNumber() {
        return isInteger() || type.equals("numeric") || type.equals("float4") || type.equals("float8");
    }

    boolean isDate() {
        return type.equals("date") || type.equals("timestamp") || type.equals("timestamptz");
    }

    String qualified() {
        return table + "." + name;
    }
}
