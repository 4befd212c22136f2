package io.managedb.cli;

import io.managedb.cli.options.TargetOptions;
import io.managedb.cli.options.WaitOptions;
import io.managedb.config.Environment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code migrate baseline}: records a baseline version on an existing database. */
@Command(name = "baseline", description = "Adopt an existing database: record a baseline version.")
final class MigrateBaselineCommand extends BaseCommand {
    @Mixin
    TargetOptions target;

    @Mixin
    WaitOptions waitOptions;

    @Option(names = "--version", paramLabel = "V", description = "Baseline version (default 1).")
    String version;

    /** The recorded baseline. */
    record Baselined(String environment, String version) {
    }

    @Override
    public Integer call() {
        Environment env = config().environment(target.env);
        Output out = output();
        String v = MigrateCommand.service(this, out).baseline(env, version, waitOptions.duration());
        Baselined r = new Baselined(env.name(), v);
        return out.result(r, text -> text.line(r.environment() + " baselined at version " + r.version()));
    }
}
