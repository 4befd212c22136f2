package io.managedb.masking;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * PostgreSQL's COPY text format, one row at a time (UTF-8, as pgjdbc's sessions are): fields separated by tabs, the
 * row ended by a newline, {@code \N} for NULL, and backslash escapes for backslash, tab, newline, carriage return
 * and the other control characters. Data never holds a raw tab or newline, so fields are found by byte search and
 * only the fields that change are decoded and re-encoded.
 */
public final class CopyText {
    private CopyText() {
    }

    /**
     * The field boundaries of one row: {@code starts[i]} to {@code ends[i]} (exclusive), without the newline.
     * Returns the number of fields; {@code starts}/{@code ends} must hold at least {@code expected} entries.
     */
    public static int split(byte[] row, int[] starts, int[] ends) {
        int end = row.length;
        if (end > 0 && row[end - 1] == '\n') {
            end--;
        }
        int n = 0;
        int start = 0;
        for (int i = 0; i < end; i++) {
            if (row[i] == '\t') {
                if (n >= starts.length) {
                    throw new IllegalArgumentException("COPY row has more than " + starts.length + " fields");
                }
                starts[n] = start;
                ends[n++] = i;
                start = i + 1;
            }
        }
        if (n >= starts.length) {
            throw new IllegalArgumentException("COPY row has more than " + starts.length + " fields");
        }
        starts[n] = start;
        ends[n++] = end;
        return n;
    }

    /** The field's value, or null for {@code \N}. */
    public static String decode(byte[] row, int start, int end) {
        if (end - start == 2 && row[start] == '\\' && row[start + 1] == 'N') {
            return null;
        }
        int i = start;
        while (i < end && row[i] != '\\') {
            i++;
        }
        if (i == end) {
            return new String(row, start, end - start, StandardCharsets.UTF_8);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(end - start);
        out.write(row, start, i - start);
        while (i < end) {
            byte b = row[i++];
            if (b != '\\' || i == end) {
                out.write(b);
                continue;
            }
            byte c = row[i++];
            switch (c) {
                case 'b' -> out.write('\b');
                case 'f' -> out.write('\f');
                case 'n' -> out.write('\n');
                case 'r' -> out.write('\r');
                case 't' -> out.write('\t');
                case 'v' -> out.write(0x0b);
                case 'x' -> {
                    int v = 0;
                    int digits = 0;
                    while (digits < 2 && i < end && Character.digit(row[i], 16) >= 0) {
                        v = v * 16 + Character.digit(row[i++], 16);
                        digits++;
                    }
                    if (digits == 0) {
                        out.write('x');
                    } else {
                        out.write(v);
                    }
                }
                default -> {
                    if (c >= '0' && c <= '7') {
                        int v = c - '0';
                        for (int d = 0; d < 2 && i < end && row[i] >= '0' && row[i] <= '7'; d++) {
                            v = v * 8 + (row[i++] - '0');
                        }
                        out.write(v & 0xff);
                    } else {
                        out.write(c); // \\ and any other escaped character stand for themselves
                    }
                }
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** A value in COPY text form ({@code \N} for null). */
    public static byte[] encode(String value) {
        if (value == null) {
            return new byte[] {'\\', 'N'};
        }
        byte[] raw = value.getBytes(StandardCharsets.UTF_8);
        int special = 0;
        for (byte b : raw) {
            if (b == '\\' || b == '\t' || b == '\n' || b == '\r' || b == '\b' || b == '\f' || b == 0x0b) {
                special++;
            }
        }
        if (special == 0) {
            return raw;
        }
        byte[] out = new byte[raw.length + special];
        int o = 0;
        for (byte b : raw) {
            byte e = switch (b) {
                case '\\' -> '\\';
                case '\t' -> 't';
                case '\n' -> 'n';
                case '\r' -> 'r';
                case '\b' -> 'b';
                case '\f' -> 'f';
                case 0x0b -> 'v';
                default -> 0;
            };
            if (e == 0) {
                out[o++] = b;
            } else {
                out[o++] = '\\';
                out[o++] = e;
            }
        }
        return out;
    }
}
