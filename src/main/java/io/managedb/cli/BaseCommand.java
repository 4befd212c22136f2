package io.managedb.cli;

import io.managedb.config.Config;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** What every command needs: the session's collaborators and the output. */
abstract class BaseCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

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
}
