package io.managedb.cli;

import io.managedb.core.ExitCode;
import io.managedb.config.Environment;
import io.managedb.drift.DriftReport;
import io.managedb.drift.DriftService;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.Locale;

@Command(name = "drift", description = "Compare an environment's live schema with its migrations or another's.")
final class DriftCommand extends TargetCommand {
    @Option(names = "--against", paramLabel = "AGAINST", defaultValue = "migrations",
            description = "'migrations' (the schema they build, up to the applied version, in a scratch database)"
                    + " or another environment's name.") String against;

    @Override
    public Integer call() {
        Environment env = config().environment(target.env);
        DriftService service = new DriftService(session().runner(), Services.migrate(session()));
        DriftReport report = against.strip().toLowerCase(Locale.ROOT).equals("migrations")
                ? service.againstMigrations(env) : service.againstEnvironment(env, config().environment(against));
        boolean verbose = session().options().verbose;
        return output().result(report, report.drift() ? ExitCode.CHECK_FAILED : ExitCode.OK, report.summary(),
                text -> render(text, report, verbose));
    }

    private static void render(Text text, DriftReport r, boolean verbose) {
        r.missing().forEach(o -> text.line(text.bad("missing") + " " + o));
        r.extra().forEach(o -> text.line(text.warn("extra") + " " + o));
        for (DriftReport.Change c : r.changed()) {
            text.line(text.warn("changed") + " " + c.object() + ": " + c.difference());
            if (verbose) {
                text.line("  expected:");
                c.expected().lines().forEach(l -> text.line("    " + l));
                text.line("  actual:");
                c.actual().lines().forEach(l -> text.line("    " + l));
            }
        }
        text.line(r.drift() ? text.bad(r.summary()) : text.ok(r.summary()));
    }
}
