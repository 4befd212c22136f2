package io.managedb.cli;

import io.managedb.check.CheckResult;
import io.managedb.check.EnvironmentCheck;
import io.managedb.check.ToolStatus;
import io.managedb.config.Environment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;

@Command(name = "check", description = "Check that environments are reachable and healthy.")
final class CheckCommand extends TargetCommand {
    @Option(names = "--all", description = "Check every configured environment.") boolean all;

    @Override
    public Integer call() {
        List<Environment> envs = all ? List.copyOf(config().environments().values())
                : List.of(config().environment(target.env));
        CheckResult result = Services.check(session()).check(envs);
        return output().result(result, result.exitCode(), text -> envs.forEach(e -> render(text,
                result.environments().get(envs.indexOf(e)))));
    }

    private static void render(Text text, EnvironmentCheck c) {
        text.line(text.bold(c.environment()) + "  " + c.target()
                + (c.zeroConfigDefault() ? "  (zero-configuration default: the local server)" : "")
                + (c.protectedEnv() ? "  [protected]" : ""));
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"reachable", c.reachable() ? text.ok("yes") + ", " + c.latencyMs() + " ms" : text.bad("no")});
        if (c.reachable()) {
            rows.add(new String[] {"server", "PostgreSQL " + c.serverVersion()});
        }
        for (ToolStatus t : c.tools()) {
            rows.add(new String[] {t.tool(), t.version() == null ? text.bad("not found")
                    : t.version() + "  " + (t.compatible() ? text.ok("ok") : text.bad("older than the server"))
                    + "  " + t.path()});
        }
        if (c.reachable()) {
            rows.add(new String[] {"size", Text.bytes(c.databaseSizeBytes()) + ", " + c.tables() + " tables"});
            rows.add(new String[] {"migrations", c.migrations() == null ? "no Flyway history table"
                    : "version " + (c.migrations().currentVersion() == null ? "-" : c.migrations().currentVersion())
                    + ": " + c.migrations().applied() + " applied, " + c.migrations().pending() + " pending, "
                    + c.migrations().failed() + " failed"});
            rows.add(new String[] {"stamp", c.stamp() == null ? "not stamped" : c.stamp()});
            if (c.triggers() != null) {
                rows.add(new String[] {"triggers", c.triggers()});
            }
        }
        rows.add(new String[] {"backup", c.newestBackup() == null ? "none"
                : c.newestBackup().path() + " (" + Text.age(c.newestBackup().ageSeconds()) + " old)"});
        rows.add(new String[] {"status", c.healthy() ? text.ok("healthy")
                : text.bad(c.problems().size() + " problem(s): " + String.join("; ", c.problems()))});
        text.fields("  ", rows);
    }
}
