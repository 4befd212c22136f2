package io.managedb.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Loads the sample databases (northwind, chinook, pagila; copied from ../shared/datasets with their licences). */
public final class Datasets {
    private static final Map<String, List<String>> FILES = Map.of(
            "northwind", List.of("northwind/northwind.sql"),
            "chinook", List.of("chinook/chinook.sql"),
            "pagila", List.of("pagila/pagila-schema.sql", "pagila/pagila-data.sql"));

    private Datasets() {
    }

    public static Path dir() {
        return Path.of("src/test/resources/datasets").toAbsolutePath();
    }

    /** Loads a dataset into an environment's (empty) database with psql, stopping at the first error. */
    public static void load(PgEnvironment pg, String env, String dataset) {
        List<String> command = new ArrayList<>(List.of("psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d",
                pg.url(env)));
        for (String f : FILES.get(dataset)) {
            command.add("-f");
            command.add(dir().resolve(f).toString());
        }
        psql(command);
    }

    /** Runs psql with a script on a database URL. */
    public static void psqlScript(String url, String sql) {
        psql(List.of("psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", url, "-c", sql));
    }

    private static void psql(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("psql failed: " + output);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
