package io.managedb.cli;

import io.managedb.triggers.TriggerReport;
import picocli.CommandLine.Command;

@Command(name = "triggers", description = "Managed triggers: updated_at, audit, and the project's trigger files.")
final class TriggersCommand extends GroupCommand {
    static void render(Text text, TriggerReport r) {
        r.created().forEach(x -> text.line((r.dryRun() ? "would create " : "created ") + x));
        r.replaced().forEach(x -> text.line((r.dryRun() ? "would replace " : "replaced ") + x));
        r.removed().forEach(x -> text.line((r.dryRun() ? "would remove " : "removed ") + x));
        text.line(r.upToDate() ? "triggers of " + r.environment() + " are up to date (" + r.unchanged().size()
                + " left alone)" : r.unchanged().size() + " left alone" + (r.dryRun() ? " (dry run: nothing changed)" : ""));
    }
}
