package io.managedb.migrate;

import io.managedb.core.ExitCode;
import io.managedb.core.ManageDbException;
import io.managedb.config.Target;
import io.managedb.db.Connections;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.internal.exception.FlywayMigrateException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Turns Flyway's multi-line exceptions into one clear line with the right exit code. */
final class FlywayErrors {
    private FlywayErrors() {
    }

    private static final Pattern NO_PLACEHOLDER_VALUE = Pattern.compile(
            "(?:No value provided for placeholder|Failed to populate value for default placeholder): \\$\\{([^}]*)}");

    static ManageDbException translate(FlywayException e, Target target, MigrationFiles files) {
        Matcher placeholder = NO_PLACEHOLDER_VALUE.matcher(String.valueOf(e.getMessage()));
        if (placeholder.find()) {
            return unknownPlaceholder(e, placeholder.group(1), files);
        }
        SQLException sql = sqlCause(e);
        if (e instanceof FlywayMigrateException m && m.getMigration() != null) {
            String script = Path.of(m.getMigration().getScript()).getFileName().toString();
            String line = m.getLineNumber() > 0 ? " at line " + m.getLineNumber() : "";
            String reason = sql != null ? firstLine(sql.getMessage()) : firstLine(m.getMessage());
            String after = m.isExecutableInTransaction() ? "; nothing of it was applied and it was not recorded"
                    : "; it ran outside a transaction: check what it left behind";
            return new ManageDbException(ExitCode.FAILED, "migration " + script + " failed" + line + ": " + reason
                    + after, e);
        }
        if (sql != null && sql.getSQLState() != null
                && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("28")
                || sql.getSQLState().equals("3D000"))) {
            return Connections.translate(target, sql);
        }
        String message = firstLine(e.getMessage());
        if (e.getClass().getSimpleName().contains("Validate")) {
            return new ManageDbException(ExitCode.CHECK_FAILED, "migrations failed validation: " + message
                    + " (see manage-db migrate validate)", e);
        }
        return new ManageDbException(ExitCode.FAILED, message, e);
    }

    /** Flyway names neither the file nor the line: find the first use of the placeholder. */
    private static ManageDbException unknownPlaceholder(FlywayException e, String name, MigrationFiles files) {
        String needle = "${" + name + "}";
        for (Path script : files.flywayScripts()) {
            List<String> lines;
            try {
                lines = Files.readAllLines(script, StandardCharsets.UTF_8);
            } catch (IOException | UncheckedIOException io) {
                continue;
            }
            for (int n = 0; n < lines.size(); n++) {
                if (lines.get(n).toLowerCase(Locale.ROOT).contains(needle.toLowerCase(Locale.ROOT))) {
                    return Placeholders.unknown(script.getFileName().toString(), n + 1, name);
                }
            }
        }
        return new ManageDbException(ExitCode.CONFIG, "no value for placeholder " + needle, e);
    }

    private static SQLException sqlCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s) {
                return s;
            }
        }
        return null;
    }

    static String firstLine(String message) {
        if (message == null) {
            return "unknown error";
        }
        return message.strip().lines().map(String::strip).filter(l -> !l.isEmpty() && !l.matches("-+"))
                .findFirst().orElse("unknown error");
    }
}
