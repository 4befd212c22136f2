package io.managedb.cli;

import io.managedb.config.Config;
import io.managedb.config.EnvironmentSummary;
import picocli.CommandLine.Command;

import java.util.List;

/** {@code env list} (and plain {@code env}): the configured environments. */
@Command(name = "list", description = "List configured environments (name, masked URL, protected, active).")
final class EnvListCommand extends BaseCommand {
    @Override
    public Integer call() {
        return list(this);
    }

    static Integer list(BaseCommand command) {
        Config config = command.config();
        List<EnvironmentSummary> envs = config.environments().values().stream()
                .map(e -> EnvironmentSummary.of(config, e)).toList();
        return command.output().result(envs, text -> text.table(List.of("", "ENV", "URL", "PROTECTED", "SOURCE"),
                envs.stream().map(e -> List.of(e.active() ? "*" : "", e.name(), e.url(),
                        e.protectedEnv() ? text.warn("yes") : "no", e.source())).toList()));
    }
}
