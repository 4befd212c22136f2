package io.managedb.subset;

import java.util.Arrays;

/**
 * A set of row addresses (ctid) of one table, as {@code block << 16 | offset}: an open-addressing table of longs, 8 to
 * 16 bytes a row, instead of a boxed HashSet (about 50). Offsets start at 1, so 0 marks a free slot.
 */
final class TidSet {
    private long[] slots = new long[16];
    private int size;

    /** {@code (block,offset)} as PostgreSQL writes a tid. */
    static long parse(String tid) {
        int comma = tid.indexOf(',');
        return Long.parseLong(tid, 1, comma, 10) << 16 | Long.parseLong(tid, comma + 1, tid.length() - 1, 10);
    }

    static String format(long tid) {
        return "(" + (tid >>> 16) + "," + (tid & 0xFFFF) + ")";
    }

    /** Adds a tid; returns whether it was new. */
    boolean add(long tid) {
        if (size * 2 >= slots.length) {
            grow();
        }
        int mask = slots.length - 1;
        for (int i = mix(tid) & mask; ; i = (i + 1) & mask) {
            if (slots[i] == tid) {
                return false;
            }
            if (slots[i] == 0) {
                slots[i] = tid;
                size++;
                return true;
            }
        }
    }

    int size() {
        return size;
    }

    /** The tids in ascending order (the table's physical order). */
    long[] sorted() {
        long[] all = new long[size];
        int n = 0;
        for (long s : slots) {
            if (s != 0) {
                all[n++] = s;
            }
        }
        Arrays.sort(all);
        return all;
    }

    private void grow() {
        long[] old = slots;
        slots = new long[old.length * 2];
        size = 0;
        for (long s : old) {
            if (s != 0) {
                add(s);
            }
        }
    }

    private static int mix(long x) {
        x *= 0x9E3779B97F4A7C15L;
        return (int) (x ^ x >>> 32);
    }

    /** A {@code tid[]} literal of these tids, for {@code ctid = ANY (...)}. */
    static String arrayLiteral(long[] tids, int from, int to) {
        StringBuilder s = new StringBuilder((to - from) * 12 + 2).append('{');
        for (int i = from; i < to; i++) {
            s.append(i == from ? "" : ",").append('"').append(format(tids[i])).append('"');
        }
        return s.append('}').toString();
    }
}
