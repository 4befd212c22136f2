package io.managedb.cli;

import io.managedb.config.Config;
import io.managedb.config.EnvironmentSummary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.List;

/** {@code env show}: one environment's connection settings, password masked. */
@Command(name = "show", description = "Show one environment's connection settings (password masked).")
final class EnvShowCommand extends BaseCommand {
    @Parameters(arity = "0..1", paramLabel = "ENV", description = "Environment (default: the active one).") String env;

    @Override
    public Integer call() {
        Config config = config();
        EnvironmentSummary e = EnvironmentSummary.of(config, config.environment(env));
        return output().result(e, text -> {
            text.line(text.bold(e.name()) + (e.active() ? "  (active)" : ""));
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"url", e.url()});
            rows.add(new String[] {"host", e.host()});
            rows.add(new String[] {"port", Integer.toString(e.port())});
            rows.add(new String[] {"database", e.database()});
            rows.add(new String[] {"user", e.user()});
            rows.add(new String[] {"password", e.password()});
            e.parameters().forEach((k, v) -> rows.add(new String[] {k, v}));
            rows.add(new String[] {"protected", e.protectedEnv() ? "yes" : "no"});
            rows.add(new String[] {"source", e.source()});
            if (e.zeroConfigDefault()) {
                rows.add(new String[] {"note", "no DEV_DATABASE_URL is configured: dev is the local server"});
            }
            rows.add(new String[] {"env file", config.envFile() == null ? "none" : config.envFile().toString()});
            text.fields("  ", rows);
        });
    }
}
