package io.managedb.pg;

import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A pg tool found on this machine and the version it reports, e.g. {@code 15.19}. */
public record ToolVersion(PgTool tool, Path path, String version, int major) {
    private static final Pattern VERSION = Pattern.compile("\\(PostgreSQL\\)\\s+(\\d+)([.\\w]*)");

    static ToolVersion parse(PgTool tool, Path path, String output) {
        Matcher m = VERSION.matcher(output);
        if (!m.find()) {
            return null;
        }
        return new ToolVersion(tool, path, m.group(1) + m.group(2), Integer.parseInt(m.group(1)));
    }

    /**
     * Whether psql has {@code \restrict} (restricted mode: every backslash command refused but <code>&#92;unrestrict
     * KEY</code>): 13.22, 14.19, 15.14, 16.10, 17.6 and later.
     */
    public boolean restrictedMode() {
        Matcher m = Pattern.compile("(\\d+)\\.(\\d+)").matcher(version);
        int minor = m.lookingAt() ? Integer.parseInt(m.group(2)) : -1;
        return switch (major) {
            case 13 -> minor >= 22;
            case 14 -> minor >= 19;
            case 15 -> minor >= 14;
            case 16 -> minor >= 10;
            case 17 -> minor >= 6;
            default -> major >= 18 && !version.contains("beta");
        };
    }
}
