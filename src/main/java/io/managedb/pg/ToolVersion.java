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
}
