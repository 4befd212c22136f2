package io.managedb.migrate;

import io.managedb.core.ExitCode;
import io.managedb.core.ManageDbException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Flyway's placeholders, {@code ${name}} and the built-in {@code ${flyway:...}} ones: checked before anything runs,
 * so that an unknown one is an error naming the file and line (Flyway's own message names neither), and replaced in
 * the undo scripts manage-db runs itself. Names are case-insensitive, as in Flyway.
 */
final class Placeholders {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}\\r\\n]*)}");
    static final Set<String> BUILT_INS = Set.of("flyway:defaultschema", "flyway:user", "flyway:database",
            "flyway:timestamp", "flyway:filename", "flyway:workingdirectory", "flyway:table", "flyway:environment");

    private final MigrationSettings settings;

    Placeholders(MigrationSettings settings) {
        this.settings = settings;
    }

    /** Fails on the first placeholder of a script that has no value, naming its file and line. */
    void check(Path script) {
        if (!settings.placeholders()) {
            return;
        }
        List<String> lines = read(script).lines().toList();
        for (int n = 0; n < lines.size(); n++) {
            Matcher m = PLACEHOLDER.matcher(lines.get(n));
            while (m.find()) {
                String name = m.group(1).toLowerCase(Locale.ROOT);
                if (!settings.values().containsKey(name) && !BUILT_INS.contains(name)) {
                    throw unknown(script.getFileName().toString(), n + 1, m.group(1));
                }
            }
        }
    }

    static ManageDbException unknown(String script, int line, String name) {
        boolean builtIn = name.toLowerCase(Locale.ROOT).startsWith("flyway:");
        return new ManageDbException(ExitCode.CONFIG, script + " line " + line + ": no value for placeholder ${"
                + name + "}" + (builtIn ? " (not one of Flyway's built-ins)"
                : " (set " + MigrationSettings.PLACEHOLDER_PREFIX + name.toUpperCase(Locale.ROOT)
                + ", or MANAGE_DB_PLACEHOLDERS=off to run the SQL as written)") + "; nothing was changed");
    }

    /** The script's SQL with every placeholder replaced (built-ins from {@code builtIns}, keys without flyway:). */
    String replace(Path script, Map<String, String> builtIns) {
        String sql = read(script);
        if (!settings.placeholders()) {
            return sql;
        }
        check(script);
        Matcher m = PLACEHOLDER.matcher(sql);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1).toLowerCase(Locale.ROOT);
            String value = name.startsWith("flyway:")
                    ? builtIns.getOrDefault(name.substring("flyway:".length()), "") : settings.values().get(name);
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String read(Path script) {
        try {
            return Files.readString(script, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw ManageDbException.failed("cannot read " + script + ": " + e.getMessage(), e);
        }
    }
}
