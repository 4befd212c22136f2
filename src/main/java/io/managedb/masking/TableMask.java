package io.managedb.masking;

import io.managedb.db.Sql;

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

    /** A relay thread's buffers, used row after row (not a ByteArrayOutputStream: its writes are synchronized). */
    private static final class Scratch {
        int[] starts = new int[0];
        int[] ends = new int[0];
        byte[] out = new byte[1024];
        int used;

        void write(byte[] b, int from, int length) {
            if (used + length > out.length) {
                out = java.util.Arrays.copyOf(out, Math.max(out.length * 2, used + length));
            }
            System.arraycopy(b, from, out, used, length);
            used += length;
        }

        void write(byte b) {
            if (used == out.length) {
                out = java.util.Arrays.copyOf(out, out.length * 2);
            }
            out[used++] = b;
        }
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    /** One COPY text row (with its newline) masked; the columns without a JVM transformer pass byte for byte. */
    public byte[] transform(byte[] row) {
        int n = columns.size();
        Scratch scratch = SCRATCH.get();
        if (scratch.starts.length < n) {
            scratch.starts = new int[n];
            scratch.ends = new int[n];
        }
        int[] starts = scratch.starts;
        int[] ends = scratch.ends;
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
        Scratch out = scratch;
        out.used = 0;
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                out.write((byte) '\t');
            }
            Transformers.Fn f = jvm.get(i);
            if (f == null) {
                out.write(row, starts[i], ends[i] - starts[i]);
            } else {
                byte[] masked = CopyText.encode(f.apply(CopyText.decode(row, starts[i], ends[i]), key));
                out.write(masked, 0, masked.length);
            }
        }
        out.write((byte) '\n');
        return java.util.Arrays.copyOf(out.out, out.used);
    }
}
