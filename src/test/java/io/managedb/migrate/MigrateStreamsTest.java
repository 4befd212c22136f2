package io.managedb.migrate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.managedb.testing.PgEnvironment;
import io.managedb.testing.Run;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/** -q prints nothing on success and one line on failure; --json prints one document; no library ever logs. */
@Isolated("captures System.err, where every class's library log lines would go")
class MigrateStreamsTest {
    @RegisterExtension
    static final PgEnvironment pg = new PgEnvironment();
    private static final ObjectMapper JSON = new ObjectMapper();

    private Path dir;
    private Map<String, String> env;

    @BeforeEach
    void freshDatabaseAndMigrations() throws Exception {
        pg.addEnvironment("mig");
        pg.addEnvironment("fresh");
        dir = Files.createTempDirectory(pg.dir(), "migrations");
        env = pg.env();
        env.put("MANAGE_DB_MIGRATIONS_DIR", dir.toString());
        env.put("MANAGE_DB_BACKUP_DIR", pg.dir().resolve("backups").toString());
        env.put("NOWHERE_DATABASE_URL", "postgresql://nobody@127.0.0.1:1/none");
    }

    private void write(String name, String sql) throws Exception {
        Files.writeString(dir.resolve(name), sql);
    }

    /** What reaches the process's real stderr (where Logback's console appender writes) while {@code action} runs. */
    private static <T> T capturingSystemErr(StringBuilder captured, Supplier<T> action) {
        PrintStream old = System.err;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        try {
            return action.get();
        } finally {
            System.setErr(old);
            captured.append(buffer.toString(StandardCharsets.UTF_8));
        }
    }

    @Test
    void aFailingMigrationPrintsNoLibraryLogLineUnlessVerbose() throws Exception {
        write("V1__ok.sql", "CREATE TABLE a (x int);\n");
        write("V2__broken.sql", "INSERT INTO no_such_table VALUES (1);\n");
        for (String mode : List.of("-q", "--json", "--no-color")) {
            StringBuilder systemErr = new StringBuilder();
            Run run = capturingSystemErr(systemErr, () -> pg.run(env, "migrate", "apply", "-e", "mig", mode));
            assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
            assertThat(systemErr.toString()).as("library log lines with " + mode).isEmpty();
            assertThat(run.err()).doesNotContain("DbMigrate", "ERROR o.f");
            assertThat(run.err().lines().count()).as(run.toString()).isEqualTo(1);
        }
        StringBuilder verbose = new StringBuilder();
        Run run = capturingSystemErr(verbose, () -> pg.run(env, "migrate", "apply", "-e", "mig", "-v"));
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(verbose.toString()).as("with --verbose the library logs").contains("o.f.c");
        StringBuilder after = new StringBuilder();
        capturingSystemErr(after, () -> pg.run(env, "migrate", "apply", "-e", "mig", "-q"));
        assertThat(after.toString()).as("verbose logging does not outlive its run").isEmpty();
    }

    @Test
    void quietPrintsNothingOnSuccessAndOneLineOnFailure() throws Exception {
        everySubcommand("-q");
    }

    @Test
    void jsonPrintsExactlyOneDocumentOnSuccessAndFailure() throws Exception {
        everySubcommand("--json");
    }

    /** Every migrate subcommand, succeeding and failing, in one output mode. */
    private void everySubcommand(String mode) throws Exception {
        StringBuilder systemErr = new StringBuilder();
        Path created = Files.createTempDirectory(pg.dir(), "created");
        Map<String, String> createEnv = new java.util.HashMap<>(env);
        createEnv.put("MANAGE_DB_MIGRATIONS_DIR", created.toString());
        expect(mode, 0, pg.run(createEnv, "migrate", "create", "add index", mode));
        expect(mode, 2, pg.run(createEnv, "migrate", "create", "!!!", mode));

        write("V1__t.sql", "CREATE TABLE t (x int);\n");
        write("U1__t.sql", "DROP TABLE t;\n");
        write("V2__u.sql", "CREATE TABLE u (x int);\n");
        write("U2__u.sql", "DROP TABLE u;\n");
        expect(mode, 7, run(systemErr, mode, "migrate", "status", "-e", "mig", "--check"));
        expect(mode, 0, run(systemErr, mode, "migrate", "apply", "-e", "mig", "--dry-run"));
        expect(mode, 0, run(systemErr, mode, "migrate", "apply", "-e", "mig"));
        expect(mode, 0, run(systemErr, mode, "migrate", "apply", "-e", "mig"));
        expect(mode, 0, run(systemErr, mode, "migrate", "status", "-e", "mig", "--check"));
        expect(mode, 0, run(systemErr, mode, "migrate", "validate", "-e", "mig"));
        expect(mode, 0, run(systemErr, mode, "migrate", "rollback", "-e", "mig", "-y"));
        expect(mode, 0, run(systemErr, mode, "migrate", "rollback", "-e", "mig", "--dry-run"));
        expect(mode, 0, run(systemErr, mode, "migrate", "apply", "-e", "mig"));

        write("V3__broken.sql", "CREATE TABLE v (x int);\nINSERT INTO nope VALUES (1);\n");
        expect(mode, 1, run(systemErr, mode, "migrate", "apply", "-e", "mig"));
        Files.delete(dir.resolve("V3__broken.sql"));
        expect(mode, 0, run(systemErr, mode, "migrate", "repair", "-e", "mig", "-y"));

        Files.writeString(dir.resolve("V1__t.sql"), "CREATE TABLE t (x bigint);\n");
        expect(mode, 7, run(systemErr, mode, "migrate", "validate", "-e", "mig"));
        expect(mode, 7, run(systemErr, mode, "migrate", "status", "-e", "mig", "--check"));
        Files.writeString(dir.resolve("V1__t.sql"), "CREATE TABLE t (x int);\n");

        Files.delete(dir.resolve("U2__u.sql"));
        expect(mode, 1, run(systemErr, mode, "migrate", "rollback", "-e", "mig", "-y"));
        expect(mode, 2, run(systemErr, mode, "migrate", "rollback", "-e", "mig", "--steps", "9", "-y"));
        expect(mode, 1, run(systemErr, mode, "migrate", "baseline", "-e", "mig", "--version", "1"));
        expect(mode, 0, run(systemErr, mode, "migrate", "baseline", "-e", "fresh", "--version", "1"));
        expect(mode, 4, run(systemErr, mode, "migrate", "status", "-e", "nowhere"));
        env.put("MANAGE_DB_PROTECTED_ENVS", "mig");
        expect(mode, 5, run(systemErr, mode, "migrate", "repair", "-e", "mig"));
        expect(mode, 2, run(systemErr, mode, "migrate", "apply", "-e", "mig", "--no-such-option"));
        assertThat(systemErr.toString()).as("nothing from a library on the real stderr").isEmpty();
    }

    private Run run(StringBuilder systemErr, String mode, String... args) {
        List<String> all = new ArrayList<>(Arrays.asList(args));
        all.add(mode);
        return capturingSystemErr(systemErr, () -> pg.run(env, all.toArray(String[]::new)));
    }

    private static void expect(String mode, int code, Run run) throws Exception {
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(code);
        if (mode.equals("-q")) {
            if (code == 0) {
                assertThat(run.out()).as(run.toString()).isEmpty();
                assertThat(run.err()).as(run.toString()).isEmpty();
            } else {
                assertThat(run.out()).as(run.toString()).isEmpty();
                assertThat(run.err().lines().toList()).as(run.toString()).hasSize(1);
            }
            return;
        }
        List<JsonNode> docs;
        try (MappingIterator<JsonNode> it = JSON.readerFor(JsonNode.class).readValues(run.out())) {
            docs = it.readAll();
        }
        assertThat(docs).as(run.toString()).hasSize(1);
        if (code != 0 && !run.out().contains("\"ok\"")) {
            assertThat(docs.get(0).path("exitCode").asInt()).as(run.toString()).isEqualTo(code);
            assertThat(docs.get(0).path("error").asText()).isNotBlank();
        }
    }
}
