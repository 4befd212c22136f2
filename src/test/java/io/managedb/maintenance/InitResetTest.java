package io.managedb.maintenance;

import io.managedb.testing.PgEnvironment;
import io.managedb.testing.Run;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class InitResetTest {
    @RegisterExtension
    static final PgEnvironment pg = new PgEnvironment();

    private Path envFile;

    /** The environment as of now (environments added by a test included). */
    private Map<String, String> env() {
        Map<String, String> env = pg.env();
        env.put("MANAGE_DB_ENV_FILE", envFile.toString());
        return env;
    }

    @BeforeEach
    void setUp() throws Exception {
        Path project = Files.createTempDirectory(pg.dir(), "project");
        Path migrations = Files.createDirectories(project.resolve("db/migration"));
        Path seeds = Files.createDirectories(project.resolve("db/seed"));
        Files.writeString(migrations.resolve("V1__patients.sql"), "CREATE TABLE patient (id int PRIMARY KEY, name text);\n");
        Files.writeString(seeds.resolve("01_patients.sql"), "INSERT INTO patient VALUES (1, 'Ada');\n");
        Files.writeString(seeds.resolve("02_more.sql"), "INSERT INTO patient VALUES (2, 'Grace');\n");
        Files.writeString(project.resolve(".env"), "MANAGE_DB_BACKUP_DIR=backups\n");
        envFile = project.resolve(".env");
    }

    @Test
    void initCreatesStampsMigratesAndSeedsThenChangesNothingTheSecondTime() {
        String db = pg.addEnvironment("fresh");
        pg.server().dropDatabase(db);
        Run first = pg.run(env(), "init", "-e", "fresh", "--seed");
        assertThat(first.exitCode()).as(first.toString()).isZero();
        assertThat(first.out()).contains("created database " + db, "stamped " + db + " as environment fresh",
                "applied V1__patients.sql", "seeded 01_patients.sql", "seeded 02_more.sql");
        assertThat(pg.query("fresh", "SELECT count(*) FROM patient")).isEqualTo("2");
        assertThat(pg.query("fresh", "SELECT current_setting('manage_db.environment')")).isEqualTo("fresh");

        Run second = pg.run(env(), "init", "-e", "fresh", "--seed", "--json");
        assertThat(second.exitCode()).as(second.toString()).isZero();
        assertThat(second.out()).contains("\"changed\" : false");
        assertThat(pg.run(env(), "init", "-e", "fresh", "--seed").out()).startsWith("nothing to do");
        assertThat(pg.query("fresh", "SELECT count(*) FROM patient")).isEqualTo("2");
    }

    @Test
    void initRefusesADatabaseStampedAsAnotherEnvironment() {
        pg.addEnvironment("other");
        pg.sql("other", "ALTER DATABASE " + pg.database("other") + " SET manage_db.environment = 'prod'");
        Run run = pg.run(env(), "init", "-e", "other");
        assertThat(run.exitCode()).isEqualTo(5);
        assertThat(pg.query("other", "SELECT to_regclass('flyway_schema_history')")).isNull();
    }

    @Test
    void resetRecreatesTheDatabaseKeepsItsSettingsAndTerminatesSessions() throws Exception {
        pg.addEnvironment("rs");
        assertThat(pg.run(env(), "init", "-e", "rs", "--seed").exitCode()).isZero();
        pg.sql("rs", "CREATE TABLE stray (x int); ALTER DATABASE " + pg.database("rs") + " SET work_mem = '7MB';"
                + " ALTER DATABASE " + pg.database("rs") + " SET search_path = \"$user\", public");
        try (Connection other = pg.connect("rs")) {
            Run run = pg.run(env(), "reset", "-e", "rs", "-y", "--json");
            assertThat(run.exitCode()).as(run.toString()).isZero();
            assertThat(run.out()).contains("\"mode\" : \"recreated\"", "\"sessionsTerminated\" : 1", "_pre-reset.dump");
            assertThat(other.isValid(2)).isFalse();
        }
        assertThat(pg.query("rs", "SELECT count(*) FROM pg_class WHERE relname IN ('stray', 'patient')")).isEqualTo("0");
        assertThat(pg.query("rs", "SELECT current_setting('manage_db.environment')")).isEqualTo("rs");
        assertThat(pg.query("rs", "SHOW work_mem")).isEqualTo("7MB");
        assertThat(pg.query("rs", "SHOW search_path")).isEqualTo("\"$user\", public");

        String backup = pg.run(env(), "backup", "list", "-e", "rs", "--json").out()
                .replaceAll("(?s).*\"path\" : \"([^\"]+_pre-reset\\.dump)\".*", "$1");
        Run restore = pg.run(env(), "restore", backup, "-e", "rs", "-y");
        assertThat(restore.exitCode()).as(restore.toString()).isZero();
        assertThat(pg.query("rs", "SELECT count(*) FROM patient")).isEqualTo("2");
        assertThat(pg.query("rs", "SELECT to_regclass('stray')")).isEqualTo("stray");

        Run again = pg.run(env(), "reset", "-e", "rs", "-y", "--init", "--seed", "--no-safety-backup");
        assertThat(again.exitCode()).as(again.toString()).isZero();
        assertThat(again.out()).contains("applied V1__patients.sql", "seeded 02_more.sql");
        assertThat(pg.query("rs", "SELECT count(*) FROM patient")).isEqualTo("2");
    }

    @Test
    void resetOfAProtectedEnvironmentNeedsConfirmation() {
        pg.sql("prod", "CREATE TABLE IF NOT EXISTS keep_me (x int)");
        Run run = pg.run(env(), "reset", "-e", "prod", "-y");
        assertThat(run.exitCode()).isEqualTo(5);
        assertThat(run.err()).contains("--confirm prod");
        assertThat(pg.query("prod", "SELECT to_regclass('keep_me')")).isEqualTo("keep_me");
        pg.sql("dev", "ALTER DATABASE " + pg.database("dev") + " SET manage_db.environment = 'prod'");
        try {
            Run stamped = pg.run(env(), "reset", "-e", "dev", "-y");
            assertThat(stamped.exitCode()).isEqualTo(5);
            assertThat(stamped.err()).contains("stamped as environment 'prod'");
        } finally {
            pg.sql("dev", "ALTER DATABASE " + pg.database("dev") + " RESET manage_db.environment");
        }
    }

    @Test
    void withoutCreatedbResetEmptiesTheSchemasInstead() {
        pg.server().execute("postgres", "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'mdb_owner')"
                + " THEN CREATE ROLE mdb_owner LOGIN NOCREATEDB PASSWORD 'owner-pw'; END IF; END $$");
        String db = pg.addEnvironment("nocreate");
        pg.server().execute("postgres", "ALTER DATABASE " + db + " OWNER TO mdb_owner");
        pg.sql("nocreate", "CREATE SCHEMA app AUTHORIZATION mdb_owner; CREATE TABLE app.t (x int);"
                + " ALTER TABLE app.t OWNER TO mdb_owner; CREATE TABLE public.u (y int); ALTER TABLE public.u OWNER TO mdb_owner");
        Map<String, String> env = env();
        env.put("NOCREATE_DATABASE_URL", "postgresql://mdb_owner:owner-pw@" + pg.server().host() + ":"
                + pg.server().port() + "/" + db);
        Run run = pg.run(env, "reset", "-e", "nocreate", "-y");
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains("no CREATEDB privilege");
        assertThat(run.out() + run.err()).doesNotContain("owner-pw");
        assertThat(pg.query("nocreate", "SELECT count(*) FROM pg_class WHERE relname IN ('t', 'u')")).isEqualTo("0");
        assertThat(pg.query("nocreate", "SELECT count(*) FROM pg_namespace WHERE nspname IN ('app', 'public')"))
                .isEqualTo("2");
    }
}
