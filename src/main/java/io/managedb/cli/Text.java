package io.managedb.cli;

import java.io.PrintWriter;
import java.util.List;

/** Readable text output: aligned tables, and colour only when allowed (a terminal, no NO_COLOR, no --no-color). */
final class Text {
    private final PrintWriter out;
    private final boolean color;

    Text(PrintWriter out, boolean color) {
        this.out = out;
        this.color = color;
    }

    void line(String s) {
        out.println(s);
    }

    String ok(String s) {
        return paint("32", s);
    }

    String bad(String s) {
        return paint("31", s);
    }

    String warn(String s) {
        return paint("33", s);
    }

    String bold(String s) {
        return paint("1", s);
    }

    private String paint(String code, String s) {
        return color ? "\u001b[" + code + "m" + s + "\u001b[0m" : s;
    }

    /** Label/value lines with the values aligned. */
    void fields(String indent, List<String[]> rows) {
        int width = rows.stream().mapToInt(r -> r[0].length()).max().orElse(0);
        for (String[] r : rows) {
            out.println(indent + pad(r[0], width) + "  " + r[1]);
        }
    }

    /** A table with a header row; cells may contain colour codes (not counted in the width). */
    void table(List<String> headers, List<List<String>> rows) {
        // each cell's width is measured once, row by row (thousands of rows: backup list)
        int[][] visible = new int[rows.size()][];
        int[] headerWidths = new int[headers.size()];
        for (int i = 0; i < headerWidths.length; i++) {
            headerWidths[i] = visible(headers.get(i));
        }
        int[] widths = headerWidths.clone();
        for (int r = 0; r < visible.length; r++) {
            visible[r] = measure(rows.get(r), widths);
        }
        StringBuilder line = new StringBuilder(256);
        out.println(row(line, headers.stream().map(this::bold).toList(), headerWidths, widths));
        for (int r = 0; r < visible.length; r++) {
            out.println(row(line, rows.get(r), visible[r], widths));
        }
    }

    /** Each cell's width, and the widths grown to fit them (a method per row: compiled once run a few times). */
    private static int[] measure(List<String> row, int[] widths) {
        int[] cells = new int[widths.length];
        for (int i = 0; i < cells.length; i++) {
            cells[i] = visible(row.get(i));
            widths[i] = Math.max(widths[i], cells[i]);
        }
        return cells;
    }

    private static final String SPACES = " ".repeat(256);

    private static CharSequence row(StringBuilder s, List<String> cells, int[] visible, int[] widths) {
        s.setLength(0);
        for (int i = 0; i < cells.size(); i++) {
            String cell = cells.get(i) == null ? "" : cells.get(i);
            s.append(cell);
            if (i < cells.size() - 1) {
                for (int pad = widths[i] - visible[i] + 2; pad > 0; pad -= SPACES.length()) {
                    s.append(SPACES, 0, Math.min(pad, SPACES.length()));
                }
            }
        }
        int end = s.length();
        while (end > 0 && s.charAt(end - 1) == ' ') {
            end--;
        }
        s.setLength(end);
        return s;
    }

    private static final java.util.regex.Pattern COLOUR = java.util.regex.Pattern.compile("\u001b\\[[0-9;]*m");

    private static int visible(String s) {
        if (s == null) {
            return 0;
        }
        // thousands of rows (backup list): most cells have no colour code to strip
        return s.indexOf('\u001b') < 0 ? s.length() : COLOUR.matcher(s).replaceAll("").length();
    }

    private static String pad(String s, int width) {
        return s + " ".repeat(Math.max(0, width - s.length()));
    }

    static String bytes(Long n) {
        if (n == null) {
            return "-";
        }
        String[] units = {"B", "kB", "MB", "GB", "TB"};
        double v = n;
        int u = 0;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        if (u == 0) {
            return n + " B";
        }
        long tenths = Math.round(v * 10); // %.1f without a Formatter: thousands of rows in backup list
        return tenths / 10 + "." + tenths % 10 + " " + units[u];
    }

    /** An instant in UTC to the second: {@code 2026-11-24 02:00:13}. */
    static String utc(java.time.Instant t) {
        java.time.LocalDateTime d = java.time.LocalDateTime.ofEpochSecond(t.getEpochSecond(), 0,
                java.time.ZoneOffset.UTC);
        StringBuilder s = new StringBuilder(19).append(d.getYear()).append('-');
        two(s, d.getMonthValue()).append('-');
        two(s, d.getDayOfMonth()).append(' ');
        two(s, d.getHour()).append(':');
        two(s, d.getMinute()).append(':');
        return two(s, d.getSecond()).toString();
    }

    private static StringBuilder two(StringBuilder s, int n) {
        return s.append((char) ('0' + n / 10)).append((char) ('0' + n % 10));
    }

    static String age(long seconds) {
        if (seconds < 120) {
            return seconds + "s";
        }
        if (seconds < 7200) {
            return seconds / 60 + "m";
        }
        if (seconds < 172800) {
            return seconds / 3600 + "h";
        }
        return seconds / 86400 + "d";
    }
}
