package io.managedb.cli;

import io.managedb.copy.CopyResult;

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
            r.tables().forEach(t -> text.line("  " + t));
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
        CopyMaskingText.render(text, r);
        if (r.sessionsTerminated() > 0) {
            text.line(r.sessionsTerminated() + " session(s) of the old target were disconnected");
        }
    }
}
