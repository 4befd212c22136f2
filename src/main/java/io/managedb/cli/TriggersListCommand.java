package io.managedb.cli;

import io.managedb.triggers.TriggerInfo;
import picocli.CommandLine.Command;

import java.util.List;

/** {@code triggers list}: every trigger of the database. */
@Command(name = "list", description = "Every trigger: table, timing, events, function, enabled, managed.")
final class TriggersListCommand extends TargetCommand {
    @Override
    public Integer call() {
        List<TriggerInfo> r = Services.triggers(session()).list(config().environment(target.env));
        return output().result(r, text -> text.table(List.of("TABLE", "TRIGGER", "TIMING", "EVENTS", "FUNCTION",
                "ENABLED", "MANAGED"), r.stream().map(t -> List.of(t.table(), t.name(), t.timing(), t.events(),
                t.function(), t.enabled() ? "yes" : text.bad("no"), t.managedBy() == null ? "" : t.managedBy()))
                .toList()));
    }
}
