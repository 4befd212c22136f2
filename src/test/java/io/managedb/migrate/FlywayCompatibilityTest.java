package io.managedb.migrate;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.managedb.testing.PgEnvironment;
import io.managedb.testing.Run;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A Flyway project's migrations and configuration work as they are: placeholders, flyway.conf, flyway.toml. */
class FlywayCompatibilityTest {
    @RegisterExtension
    static final PgEnvironment pg = new PgEnvironment();

    private Path project;
    private Path sql;
    private Map<String, String> env;

    @BeforeEach
    void freshDatabaseAndProject() throws Exception {
        pg.addEnvironment("fw");
        project = Files.createTempDirectory(pg.dir(), "project");
        sql = Files.createDirectories(project.resolve("sql"));
        Files.writeString(project.resolve(".env"), "MANAGE_DB_BACKUP_DIR=backups\n");
        env = pg.env();
        env.put("FW_DATABASE_URL", pg.url("fw"));
    }

    private Run run(String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "--env-file";
        all[1] = project.resolve(".env").toString();
        System.arraycopy(args, 0, all, 2, args.length);
        return pg.run(env, all);
    }

    private void write(String name, String text) throws Exception {
        Files.writeString(sql.resolve(name), text);
    }

    @Test
    void placeholdersWorkAsFlywaysDoWhenTurnedOn() throws Exception {
        env.put("MANAGE_DB_MIGRATIONS_DIR", sql.toString());
        write("V1__t.sql", "CREATE TABLE ${table_name} (x int);\n");
        write("U1__t.sql", "DROP TABLE ${flyway:defaultSchema}.${table_name};\n");
        write("R__info.sql", "CREATE OR REPLACE VIEW ${flyway:defaultSchema}.info AS SELECT '${greeting}'::text AS g,"
                + " '${flyway:user}'::text AS u, '${flyway:database}'::text AS d, '${flyway:table}'::text AS t,"
                + " '${flyway:filename}'::text AS f, '${flyway:timestamp}'::text AS ts;\n");
        Run off = run("migrate", "apply", "-e", "fw");
        assertThat(off.exitCode()).as("placeholders are off by default").isEqualTo(1);

        env.put("MANAGE_DB_PLACEHOLDERS", "on");
        env.put("MANAGE_DB_PLACEHOLDER_TABLE_NAME", "thing");
        env.put("MANAGE_DB_PLACEHOLDER_GREETING", "hello");
        Run on = run("migrate", "apply", "-e", "fw");
        assertThat(on.exitCode()).as(on.toString()).isZero();
        assertThat(pg.query("fw", "SELECT to_regclass('public.thing')")).isEqualTo("thing");
        assertThat(pg.query("fw", "SELECT g || '|' || u || '|' || d || '|' || t || '|' || f FROM info"))
                .isEqualTo("hello|" + pg.query("fw", "SELECT current_user") + "|" + pg.database("fw")
                        + "|flyway_schema_history|R__info.sql");
        assertThat(pg.query("fw", "SELECT ts FROM info")).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d");

        Run rollback = run("migrate", "rollback", "-e", "fw", "-y");
        assertThat(rollback.exitCode()).as(rollback.toString()).isZero();
        assertThat(pg.query("fw", "SELECT to_regclass('public.thing')")).isNull();
    }

    @Test
    void anUnknownPlaceholderIsAnErrorNamingTheFileAndLine() throws Exception {
        env.put("MANAGE_DB_MIGRATIONS_DIR", sql.toString());
        env.put("MANAGE_DB_PLACEHOLDERS", "on");
        write("V1__t.sql", "CREATE TABLE t (x int);\n");
        write("V2__u.sql", "-- uses a placeholder\nCREATE TABLE u (x int);\nGRANT SELECT ON u TO ${reader_role};\n");
        for (String[] args : new String[][] {{"migrate", "apply", "-e", "fw", "--dry-run"},
            {"migrate", "apply", "-e", "fw"}}) {
            Run run = run(args);
            assertThat(run.exitCode()).as(run.toString()).isEqualTo(3);
            assertThat(run.err()).contains("V2__u.sql line 3: no value for placeholder ${reader_role}",
                    "MANAGE_DB_PLACEHOLDER_READER_ROLE");
        }
        assertThat(pg.query("fw", "SELECT to_regclass('t')")).as("nothing ran").isNull();
        write("R__v.sql", "CREATE VIEW v AS SELECT '${flyway:nonsense}' AS x;\n");
        Run builtIn = run("migrate", "status", "-e", "fw");
        assertThat(builtIn.exitCode()).as(builtIn.toString()).isEqualTo(3);
        assertThat(builtIn.err()).contains("R__v.sql line 1: no value for placeholder ${flyway:nonsense}");
        Run bad = pg.run(Map.of("PATH", System.getenv("PATH"), "MANAGE_DB_PLACEHOLDERS", "maybe",
                "FW_DATABASE_URL", pg.url("fw")), "migrate", "status", "-e", "fw");
        assertThat(bad.exitCode()).isEqualTo(3);
        assertThat(bad.err()).contains("MANAGE_DB_PLACEHOLDERS");
    }

    @Test
    void aFlywayConfIsReadWithANote() throws Exception {
        Files.writeString(project.resolve("flyway.conf"), "flyway.url=jdbc:postgresql://ignored/db\n"
                + "flyway.locations=filesystem:sql\nflyway.table=schema_log\nflyway.schemas=app\n"
                + "flyway.placeholders.owner_role=nobody\nflyway.placeholders.label=from-conf\n");
        write("V1__t.sql", "CREATE TABLE t (x int, label text DEFAULT '${label}');\n");
        write("U1__t.sql", "DROP TABLE t;\n");
        env.put("MANAGE_DB_PLACEHOLDER_LABEL", "from-env");
        Run apply = run("migrate", "apply", "-e", "fw");
        assertThat(apply.exitCode()).as(apply.toString()).isZero();
        assertThat(apply.err()).contains("using migrations settings from flyway.conf");
        assertThat(apply.out()).doesNotContain("flyway.conf");
        assertThat(pg.query("fw", "SELECT to_regclass('app.t')")).isEqualTo("app.t");
        assertThat(pg.query("fw", "SELECT column_default FROM information_schema.columns WHERE table_schema = 'app'"
                + " AND column_name = 'label'")).contains("from-env");
        assertThat(pg.query("fw", "SELECT string_agg(version, ',') FROM app.schema_log WHERE version IS NOT NULL"))
                .isEqualTo("1");
        Run quiet = run("migrate", "status", "-e", "fw", "--check", "-q");
        assertThat(quiet.exitCode()).as(quiet.toString()).isZero();
        assertThat(quiet.out() + quiet.err()).isEmpty();
        Run json = run("migrate", "status", "-e", "fw", "--json");
        assertThat(new ObjectMapper().readTree(json.out()).path("currentVersion").asText()).isEqualTo("1");
        Run rollback = run("migrate", "rollback", "-e", "fw", "-y");
        assertThat(rollback.exitCode()).as(rollback.toString()).isZero();
        assertThat(pg.query("fw", "SELECT count(*) FROM app.schema_log WHERE version = '1'")).isEqualTo("0");
        assertThat(pg.query("fw", "SELECT to_regclass('app.t')")).isNull();
    }

    @Test
    void aFlywayTomlIsReadAndManageDbSettingsWin() throws Exception {
        Files.writeString(project.resolve("flyway.toml"), """
                [environments.default]
                url = "jdbc:postgresql://ignored/db"
                schemas = ["billing"]

                [flyway]
                locations = ["filesystem:sql"]
                table = "history"

                [flyway.placeholders]
                currency = "EUR"
                """);
        write("V1__invoice.sql", "CREATE TABLE invoice (amount numeric, currency text DEFAULT '${currency}');\n");
        Run apply = run("migrate", "apply", "-e", "fw");
        assertThat(apply.exitCode()).as(apply.toString()).isZero();
        assertThat(apply.err()).contains("using migrations settings from flyway.toml");
        assertThat(pg.query("fw", "SELECT column_default FROM information_schema.columns WHERE table_schema = 'billing'"
                + " AND column_name = 'currency'")).contains("EUR");
        assertThat(pg.query("fw", "SELECT count(*) FROM billing.history WHERE version = '1'")).isEqualTo("1");

        Path other = Files.createDirectories(project.resolve("other"));
        Files.writeString(other.resolve("V2__more.sql"), "CREATE TABLE more (x int);\n");
        Files.writeString(other.resolve("V1__invoice.sql"), Files.readString(sql.resolve("V1__invoice.sql")));
        env.put("MANAGE_DB_MIGRATIONS_DIR", other.toString());
        Run dry = run("migrate", "apply", "-e", "fw", "--dry-run");
        assertThat(dry.exitCode()).as(dry.toString()).isZero();
        assertThat(dry.out()).contains("would apply V2__more.sql");
    }
}
