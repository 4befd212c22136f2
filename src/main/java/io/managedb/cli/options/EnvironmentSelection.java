package io.managedb.cli.options;

import io.managedb.config.Config;
import io.managedb.config.Environment;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code -e/--env ENV[,ENV...]} or {@code --all}, and {@code --parallel N}: one environment or a fleet. */
public final class EnvironmentSelection {
    @Spec(Spec.Target.MIXEE) CommandSpec mixee;

    @Option(names = {"-e", "--env"}, paramLabel = "ENV[,ENV...]", split = ",",
            description = "Environment(s) (dev, test, prod, or any <NAME>_DATABASE_URL); default: $MANAGE_DB_ENV,"
                    + " else dev.") public List<String> envs = new ArrayList<>();

    @Option(names = "--all", description = "Every configured environment.") public boolean all;

    @Option(names = "--parallel", paramLabel = "N", defaultValue = "1",
            description = "With several environments: how many run at a time, each with its own lock.")
    public int parallel;

    /** Several environments (or --all): one result line per environment instead of one environment's report. */
    public boolean fleet() {
        return all || envs.size() > 1;
    }

    /** The environments selected, each once, in the order given (--all: the configured order). */
    public List<Environment> select(Config config) {
        if (all && !envs.isEmpty()) {
            throw new ParameterException(mixee.commandLine(), "--all and --env cannot be used together");
        }
        if (parallel < 1) {
            throw new ParameterException(mixee.commandLine(), "--parallel " + parallel + ": N must be 1 or more");
        }
        if (all) {
            return List.copyOf(config.environments().values());
        }
        if (envs.isEmpty()) {
            return List.of(config.environment(null));
        }
        Map<String, Environment> selected = new LinkedHashMap<>();
        for (String name : envs) {
            if (name.isBlank()) {
                throw new ParameterException(mixee.commandLine(), "--env: an empty environment name");
            }
            Environment env = config.environment(name);
            selected.putIfAbsent(env.name(), env);
        }
        return List.copyOf(selected.values());
    }
}
