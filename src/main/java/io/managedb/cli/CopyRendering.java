package io.managedb.cli;

import io.managedb.copy.CopyResult;
import io.managedb.subset.SubsetReport;

import java.util.List;
import java.util.Map;

/** The text rendering of a copy's result. */
final class CopyRendering {
    private CopyRendering() {
    }

    static void render(Text text, CopyResult r) {
        if (r.dryRun() && r.tables().isEmpty()) {
            text.line("would copy no table: " + r.from() + " (" + r.sourceDatabase() + ") has none that the"
                    + " options select; would replace " + r.replaced() + " in " + r.to());
            return;
        }
        if (r.dryRun()) {
            text.line("would copy " + r.tables().size() + " table(s) of " + r.from() + " (" + r.sourceDatabase()
                    + ") and replace " + r.replaced() + " in " + r.to() + ":");
            if (r.subset() == null) {
                r.tables().forEach(t -> text.line("  " + t));
            }
            subset(text, r.subset(), "would copy");
            CopyMaskingText.render(text, r);
            return;
        }
        if (r.safetyBackup() != null) {
            text.line("safety backup: " + r.safetyBackup());
        }
        text.line("copied " + r.from() + " (" + r.sourceDatabase() + ") to " + r.to() + " (" + r.targetDatabase()
                + "), " + r.scope() + ": " + r.tables().size() + " table(s)"
                + (r.rowsCopied() == null ? "" : ", " + r.rowsCopied() + " rows") + ", target now "
                + Text.bytes(r.targetSizeBytes()) + ", " + r.durationSeconds() + " s");
        subset(text, r.subset(), "copied");
        CopyMaskingText.render(text, r);
        if (r.sessionsTerminated() > 0) {
            text.line(r.sessionsTerminated() + " session(s) of the old target were disconnected");
        }
    }

    /** A subset's rows per table (those with rows; the others are counted). */
    private static void subset(Text text, SubsetReport s, String verb) {
        if (s == null) {
            return;
        }
        List<Map.Entry<String, Long>> with = s.rows().entrySet().stream().filter(e -> e.getValue() > 0).toList();
        text.line("subset: " + verb + " " + s.totalRows() + " rows of " + with.size() + " table(s)"
                + (s.withChildren() ? ", with children" : "") + (s.percent() == null ? ""
                : ", " + s.percent() + " % of " + s.rootTables().size() + " root table(s)") + ":");
        text.fields("  ", with.stream().map(e -> new String[] {e.getKey(), e.getValue() + " rows"}).toList());
        if (with.size() < s.rows().size()) {
            text.line("  (" + (s.rows().size() - with.size()) + " other table(s) without rows)");
        }
    }
}
