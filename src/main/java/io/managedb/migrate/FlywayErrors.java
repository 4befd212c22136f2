package io.managedb.migrate;

import io.managedb.ExitCode;
import io.managedb.ManageDbException;
import io.managedb.config.Target;
import io.managedb.db.Connections;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.internal.exception.FlywayMigrateException;

import java.nio.file.Path;
import java.sql.SQLException;

/** Turns Flyway's multi-line exceptions into one clear line with the right exit code. */
final class FlywayErrors {
    private FlywayErrors() {
    }

    static ManageDbException translate(FlywayException e, Target target) {
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
