package io.managedb.masking;

import io.managedb.db.Sql;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * How one table's rows are masked on their way through the copy's relay: the select list of the source's
 * {@code COPY (SELECT ...) TO STDOUT} (SQL transformers inline), and the JVM transformers applied to each text row
 * before it goes into {@code COPY FROM STDIN}. Thread-safe: each relay thread uses its own buffers.
 *
 * @param columns the table's stored columns in the copy's order
 * @param sql     per column: its SQL expression, or null (the column itself)
 * @param jvm     per column: its JVM transformer, or null
 * @param keys    the positions of the primary key's columns (a row's key for date_shift and noise); empty: none
 */
public record TableMask(String table, List<Column> columns, List<String> sql, List<Transformers.Fn> jvm,
                        int[] keys) {

    /** The select list: {@code "id", (left(zip, 3) || 'xx') AS "zip", NULL AS "note"}. */
    public String selectList() {
        List<String> items = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            String name = Sql.quoteIdent(columns.get(i).name());
            items.add(sql.get(i) == null ? name : sql.get(i) + " AS " + name);
        }
        return String.join(", ", items);
    }

    /** Whether rows pass through {@link #transform} (some column has a JVM transformer). */
    public boolean transformsRows() {
        return jvm.stream().anyMatch(f -> f != null);
    }

    /** One COPY text row (with its newline) masked; the columns without a JVM transformer pass byte for byte. */
    public byte[] transform(byte[] row) {
        int n = columns.size();
        int[] starts = new int[n];
        int[] ends = new int[n];
        if (CopyText.split(row, starts, ends) != n) {
            throw new IllegalStateException("a row of " + table + " does not have " + n + " columns");
        }
        String key = null;
        if (keys.length > 0) {
            StringBuilder k = new StringBuilder();
            for (int i : keys) {
                String v = CopyText.decode(row, starts[i], ends[i]);
                k.append(v == null ? "\\N" : v).append('\u0000');
            }
            key = k.toString();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(row.length + 32);
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                out.write('\t');
            }
            Transformers.Fn f = jvm.get(i);
            if (f == null) {
                out.write(row, starts[i], ends[i] - starts[i]);
            } else {
                out.writeBytes(CopyText.encode(f.apply(CopyText.decode(row, starts[i], ends[i]), key)));
            }
        }
        out.write('\n');
        return out.toByteArray();
    }
}
