package io.managedb.cli;

import io.managedb.maintenance.InitResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "init", description = "Create the database if missing, stamp it, migrate it, install triggers, seed it.")
final class InitCommand extends LockingCommand {
    @Option(names = "--seed", description = "Run the seed files in name order, in one transaction.") boolean seed;

    @Override
    public Integer call() {
        Output out = output();
        InitResult r = Services.init(session()).init(config().environment(target.env()), seed, target.lockWait(),
                ProgressPrinter.forSession(session(), out));
        return out.result(r, text -> render(text, r));
    }

    static void render(Text text, InitResult r) {
        if (!r.changed()) {
            text.line("nothing to do: " + r.environment() + " (database " + r.database()
                    + ") exists, is stamped and up to date");
        }
        if (r.created()) {
            text.line("created database " + r.database());
        }
        if (r.stamped()) {
            text.line("stamped " + r.database() + " as environment " + r.environment());
        }
        r.migrationsApplied().forEach(m -> text.line("applied " + m));
        if (r.triggers() != null) {
            text.line("triggers: " + r.triggers());
        }
        r.seeded().forEach(s -> text.line("seeded " + s));
        r.notes().forEach(n -> text.line(text.warn("note: " + n)));
    }
}
