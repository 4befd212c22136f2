package io.managedb.cli;

import io.managedb.copy.CopyResult;
import io.managedb.masking.MaskingReport;

import java.util.List;

/** The masking part of a copy's text output: every column and its transformer, and what the rules leave uncovered. */
final class CopyMaskingText {
    private CopyMaskingText() {
    }

    static void render(Text text, CopyResult r) {
        MaskingReport m = r.masking();
        if (m != null && r.dryRun()) {
            text.line("masking (rules in " + m.rulesFile() + "):");
            text.fields("  ", m.columns().stream().map(c -> new String[] {c.table() + "." + c.column(),
                    (c.transformer() == null ? "-" : c.transformer())
                            + (c.via() != null && c.via().startsWith("key ") ? " (as " + c.via().substring(4) + ")" : "")
                            + (c.personal() ? "  [personal]" : "")}).toList());
            List<String> uncovered = m.uncovered();
            text.line(uncovered.isEmpty() ? "every personal column is covered by a rule"
                    : "personal columns no rule covers: " + String.join(", ", uncovered));
        } else if (m != null) {
            long masked = m.columns().stream().filter(c -> c.transformer() != null
                    && !c.transformer().equals("keep")).count();
            text.line("masked " + masked + " column(s) with the rules in " + m.rulesFile());
        }
        if (r.refusal() != null) {
            text.line("would be refused: " + r.refusal());
        }
    }
}
