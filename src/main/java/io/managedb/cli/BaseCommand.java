package io.managedb.cli;

import io.managedb.config.Config;
import io.managedb.migrate.MigrateService;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** What every command needs: the session's collaborators and the output. */
abstract class BaseCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    Session session() {
        return ((RootCommand) spec.root().userObject()).session;
    }

    Config config() {
        return session().config();
    }

    Output output() {
        RootCommand root = session().options();
        boolean color = session().context().terminal() && !root.noColor && !root.json
                && !session().context().env().containsKey("NO_COLOR");
        return new Output(spec.commandLine().getOut(), spec.commandLine().getErr(), root.json, root.quiet, color);
    }

    /** The migration service, with a note on stderr when a Flyway CLI configuration supplied settings. */
    MigrateService migrate() {
        MigrateService service = Services.migrate(session());
        if (service.settings().source() != null) {
            output().info("manage-db: using migrations settings from " + service.settings().source().getFileName()
                    + " (" + service.settings().source() + "): locations, table, schemas, placeholders");
        }
        return service;
    }
}
