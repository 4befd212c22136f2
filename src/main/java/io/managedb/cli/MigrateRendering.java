package io.managedb.cli;

import io.managedb.migrate.ApplyResult;
import io.managedb.migrate.RollbackResult;
import io.managedb.migrate.StatusResult;

import java.util.List;
import java.util.Locale;

/** Text renderings of the migrate subcommands' longer results. */
final class MigrateRendering {
    private MigrateRendering() {
    }

    static void apply(Text text, ApplyResult r) {
        if (r.backup() != null) {
            text.line("backup: " + r.backup());
        }
        if (r.migrations().isEmpty()) {
            text.line(r.environment() + " is up to date (version " + orNone(r.toVersion()) + ")");
            return;
        }
        if (r.baselineVersion() != null) {
            text.line((r.dryRun() ? "would baseline" : "baselined") + " at version " + r.baselineVersion());
        }
        for (ApplyResult.Script s : r.migrations()) {
            text.line((r.dryRun() ? "would apply " : "applied ") + s.script());
            if (s.sql() != null) {
                text.line(s.sql().stripTrailing());
            }
        }
        String versions = "version " + orNone(r.fromVersion()) + " -> " + orNone(r.toVersion());
        text.line(r.dryRun() ? r.environment() + ": would apply " + r.count() + " migration(s), " + versions
                + " (dry run: nothing changed)"
                : r.environment() + ": applied " + r.count() + " migration(s), " + versions + ", in "
                + String.format(Locale.ROOT, "%.1f s", r.durationSeconds()));
    }

    static void rollback(Text text, RollbackResult r) {
        if (r.backup() != null) {
            text.line("backup: " + r.backup());
        }
        if (r.undone().isEmpty()) {
            text.line("nothing to roll back");
        }
        r.undone().forEach(s -> text.line((r.dryRun() ? "would undo " : "undone ") + s.version() + " ("
                + s.script() + ")"));
        text.line(r.environment() + " is at version " + orNone(r.currentVersion())
                + (r.dryRun() ? " (dry run: nothing changed)" : ""));
    }

    static void status(Text text, StatusResult r) {
        text.table(List.of("VERSION", "DESCRIPTION", "TYPE", "STATE", "INSTALLED ON", "TIME", "CHECKSUM"),
                r.migrations().stream().map(m -> List.of(m.version() == null ? "" : m.version(),
                        m.description(), m.type() == null ? "" : m.type(),
                        m.state().equals("applied") ? text.ok(m.state()) : m.state().equals("pending")
                                ? text.warn(m.state()) : text.bad(m.state()),
                        m.installedOn() == null ? "" : m.installedOn().replace("T", " ").replaceAll("\\.\\d+Z$", "Z"),
                        m.executionTimeMs() == null ? "" : m.executionTimeMs() + " ms",
                        m.checksumMatch() == null ? "" : m.checksumMatch() ? "ok" : text.bad("MISMATCH")))
                        .toList());
        text.line(r.environment() + ": version " + orNone(r.currentVersion()) + ", " + r.pending() + " pending, "
                + r.failed() + " failed");
        r.problems().forEach(p -> text.line(text.warn("  " + p)));
    }

    private static String orNone(String version) {
        return version == null ? "none" : version;
    }
}
