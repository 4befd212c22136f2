package io.managedb.cli;

import io.managedb.config.Config;
import io.managedb.config.ConfigLoader;
import io.managedb.config.Setting;
import io.managedb.pg.PgTools;
import io.managedb.pg.ProcessRunner;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * One invocation's collaborators, created on first use so that {@code --help} and {@code --version} load no
 * configuration, start no process and open no connection.
 */
final class Session implements AutoCloseable {
    private final Context context;
    private final RootCommand root;
    private Config config;
    private ProcessRunner runner;
    private PgTools tools;
    private io.managedb.storage.Repositories repositories;

    Session(Context context, RootCommand root) {
        this.context = context;
        this.root = root;
    }

    Context context() {
        return context;
    }

    RootCommand options() {
        return root;
    }

    Config config() {
        if (config == null) {
            config = ConfigLoader.load(context.env(), context.workDir(), root.envFile);
        }
        return config;
    }

    /** Passwords known so far, to scrub from anything printed. */
    Set<String> secrets() {
        return config == null ? Set.of() : config.secrets();
    }

    ProcessRunner runner() {
        if (runner == null) {
            runner = new ProcessRunner();
        }
        return runner;
    }

    PgTools tools() {
        if (tools == null) {
            String bin = config().get(Setting.PG_BIN);
            List<Path> dirs = java.util.Arrays.stream(bin.split(":")).map(String::strip).filter(d -> !d.isEmpty())
                    .map(d -> config().baseDir().resolve(d).normalize()).toList();
            tools = PgTools.choosingFrom(dirs, context.env(), runner());
        }
        return tools;
    }

    /** Every environment's backup repository, opened once per invocation (a bucket's client only when used). */
    io.managedb.storage.Repositories repositories() {
        if (repositories == null) {
            Config c = config();
            repositories = new io.managedb.storage.Repositories(c::backupLocation, c.settings(),
                    io.managedb.files.Trees.temporaryRoot(context.env()));
        }
        return repositories;
    }

    Path workDir() {
        return context.workDir();
    }

    @Override
    public void close() {
        if (runner != null) {
            runner.close();
        }
    }
}
