package io.managedb.cli;

import io.managedb.config.Environment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code migrate baseline}: records a baseline version on an existing database. */
@Command(name = "baseline", description = "Adopt an existing database: record a baseline version.")
final class MigrateBaselineCommand extends LockingCommand {
    @Option(names = "--version", paramLabel = "V", description = "Baseline version (default 1).") String version;

    /** The recorded baseline. */
    record Baselined(String environment, String version) {
    }

    @Override
    public Integer call() {
        Environment env = config().environment(target.env());
        String v = migrate().baseline(env, version, target.lockWait());
        Baselined r = new Baselined(env.name(), v);
        return output().result(r, text -> text.line(r.environment() + " baselined at version " + r.version()));
    }
}
