package io.managedb.cli;

import io.managedb.config.Config;
import io.managedb.config.DotEnv;
import io.managedb.config.Setting;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;

/** {@code env use}: makes an environment the default in the .env file. */
@Command(name = "use", description = "Make ENV the default: sets MANAGE_DB_ENV in the .env file.")
final class EnvUseCommand extends BaseCommand {
    @Parameters(paramLabel = "ENV", description = "Environment to select.") String env;

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
