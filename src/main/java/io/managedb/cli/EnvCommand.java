package io.managedb.cli;

import io.managedb.config.Config;
import io.managedb.config.DotEnv;
import io.managedb.config.EnvironmentSummary;
import io.managedb.config.Setting;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

@Command(name = "env", description = "List, show and select environments.",
        subcommands = {EnvCommand.ListEnvs.class, EnvCommand.Show.class, EnvCommand.Use.class},
        footerHeading = "%nExamples:%n",
        footer = {"  manage-db env list",
                  "  manage-db env show prod",
                  "  manage-db env use test"})
final class EnvCommand extends BaseCommand {
    @Override
    public Integer call() {
        return new ListEnvs().list(this);
    }

    @Command(name = "list", description = "List configured environments (name, masked URL, protected, active).",
        footerHeading = "%nExamples:%n",
        footer = {"  manage-db env list",
                  "  manage-db env list --json"})
    static final class ListEnvs extends BaseCommand {
        @Override
        public Integer call() {
            return list(this);
        }

        Integer list(BaseCommand command) {
            Config config = command.config();
            List<EnvironmentSummary> envs = config.environments().values().stream()
                    .map(e -> EnvironmentSummary.of(config, e)).toList();
            return command.output().result(envs, text -> text.table(List.of("", "ENV", "URL", "PROTECTED", "SOURCE"),
                    envs.stream().map(e -> List.of(e.active() ? "*" : "", e.name(), e.url(),
                            e.protectedEnv() ? text.warn("yes") : "no", e.source())).toList()));
        }
    }

    @Command(name = "show", description = "Show one environment's connection settings (password masked).",
        footerHeading = "%nExamples:%n",
        footer = {"  manage-db env show",
                  "  manage-db env show prod --json"})
    static final class Show extends BaseCommand {
        @Parameters(arity = "0..1", paramLabel = "ENV", description = "Environment (default: the active one).")
        String env;

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

    @Command(name = "use", description = "Make ENV the default: sets MANAGE_DB_ENV in the .env file.",
        footerHeading = "%nExamples:%n",
        footer = {"  manage-db env use test",
                  "  manage-db --env-file deploy/.env env use prod"})
    static final class Use extends BaseCommand {
        @Parameters(paramLabel = "ENV", description = "Environment to select.")
        String env;

        /** What {@code env use} did. */
        record Selected(String active, String envFile, boolean overriddenByEnvironment) {
        }

        @Override
        public Integer call() {
            Config config = config();
            String name = config.environment(env).name();
            Path file = config.envFileTarget();
            DotEnv.write(file, Setting.ENV.key(), name);
            boolean overridden = session().context().env().containsKey(Setting.ENV.key());
            Selected result = new Selected(name, file.toString(), overridden);
            return output().result(result, text -> {
                text.line("active environment: " + name + " (" + Setting.ENV.key() + " in " + file + ")");
                if (overridden) {
                    text.line(text.warn("note: " + Setting.ENV.key() + " is set in the process environment and wins"
                            + " over the .env file"));
                }
            });
        }
    }
}
