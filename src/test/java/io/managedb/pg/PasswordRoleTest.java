package io.managedb.pg;

import io.managedb.testing.NastyPasswords;
import io.managedb.testing.PgEnvironment;
import io.managedb.testing.RecordingPgBin;
import io.managedb.testing.Run;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every command that starts a pg tool, end to end as a role that must authenticate with its password (not the
 * trusted superuser): the password reaches children only through a temporary PGPASSFILE. Each child is recorded
 * (see {@link RecordingPgBin}); after each run the password is in no argv and no environment value, and no password
 * file remains.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PasswordRoleTest {
    @RegisterExtension
    static final PgEnvironment pg = PgEnvironment.asPasswordRole();

    private static RecordingPgBin recorder;
    private static Map<String, String> env;

    @BeforeAll
    static void setUp() throws Exception {
        recorder = RecordingPgBin.create(pg.dir(), System.getenv("PATH"));
        pg.addEnvironment("copy2");
        pg.addEnvironment("mig");
        env = pg.env();
        env.put("MANAGE_DB_PG_BIN", recorder.bin().toString());
        Path migrations = Files.createDirectories(pg.dir().resolve("migrations"));
        Files.writeString(migrations.resolve("V1__notes.sql"), "CREATE TABLE notes (id int PRIMARY KEY, body text);\n");
        env.put("MANAGE_DB_MIGRATIONS_DIR", migrations.toString());
        env.put("MANAGE_DB_TRIGGERS_DIR", Files.createDirectories(pg.dir().resolve("triggers")).toString());
        pg.sql("dev", "CREATE TABLE orders (id serial PRIMARY KEY, item text NOT NULL,"
                + " updated_at timestamptz NOT NULL DEFAULT now());"
                + " INSERT INTO orders (item) SELECT 'item ' || g FROM generate_series(1, 500) g;"
                + " CREATE INDEX orders_item ON orders (item)");
    }

    private static Run run(String... args) {
        recorder.clear();
        Run run = pg.run(env, args);
        assertNoSecretsLeft(run, recorder.calls(), pg.role().password());
        return run;
    }

    /** The password in no argv, no environment value and no output; every recorded password file gone. */
    static void assertNoSecretsLeft(Run run, List<RecordingPgBin.Call> calls, String password) {
        assertThat(NastyPasswords.leaked(run.out() + run.err(), password)).as("password in the output of %s", run)
                .isNull();
        for (RecordingPgBin.Call call : calls) {
            assertThat(NastyPasswords.leaked(String.join("\n", call.argv()), password))
                    .as("password in the argv of %s", call).isNull();
            call.environment().forEach((k, v) -> assertThat(NastyPasswords.leaked(v, password))
                    .as("password in %s of %s", k, call.tool()).isNull());
            assertThat(call.environment()).as("%s's environment", call.tool()).doesNotContainKey("PGPASSWORD");
            if (call.passFile() != null) {
                assertThat(call.passFileExisted()).as("%s's PGPASSFILE existed when it started", call).isTrue();
                assertThat(Path.of(call.passFile())).as("PGPASSFILE of %s after the run", call)
                        .doesNotExist();
            }
        }
    }

    /** The recorded children that connected to a server (not a --version or --list): each had a password file. */
    private static void assertConnectedWithPassFile(String... tools) {
        for (String tool : tools) {
            List<RecordingPgBin.Call> connecting = recorder.calls().stream().filter(c -> c.tool().equals(tool)
                    && c.environment().containsKey("PGHOST")).toList();
            assertThat(connecting).as("%s connected", tool).isNotEmpty()
                    .allSatisfy(c -> assertThat(c.passFile()).as("%s's PGPASSFILE", c.argv()).isNotNull());
            assertThat(connecting).allSatisfy(c -> assertThat(c.argv()).contains("--no-password"));
        }
    }

    @Test
    @Order(1)
    void check() {
        Run check = run("check", "-e", "dev");
        assertThat(check.exitCode()).as(check.toString()).isZero();
    }

    @Test
    @Order(2)
    void backupVerifyDeepAndRestoreLatest() {
        Run backup = run("backup", "-e", "dev");
        assertThat(backup.exitCode()).as(backup.toString()).isZero();
        assertConnectedWithPassFile("pg_dump");

        Run verify = run("backup", "verify", "latest", "--deep", "-e", "dev");
        assertThat(verify.exitCode()).as(verify.toString()).isZero();
        assertConnectedWithPassFile("pg_restore");

        pg.sql("dev", "DELETE FROM orders WHERE id > 100");
        Run restore = run("restore", "latest", "-e", "dev", "-y");
        assertThat(restore.exitCode()).as(restore.toString()).isZero();
        assertConnectedWithPassFile("pg_dump", "pg_restore");
        assertThat(pg.query("dev", "SELECT count(*) FROM orders")).isEqualTo("500");
        assertThat(pg.query("dev", "SELECT pg_get_userbyid(datdba) FROM pg_database"
                + " WHERE datname = current_database()")).isEqualTo(pg.role().user());
    }

    @Test
    @Order(3)
    void plainBackupRestoresThroughPsql() {
        Run backup = run("backup", "-e", "dev", "--format", "plain");
        assertThat(backup.exitCode()).as(backup.toString()).isZero();
        pg.sql("dev", "UPDATE orders SET item = 'changed'");
        Run restore = run("restore", "latest", "-e", "dev", "-y", "--no-safety-backup");
        assertThat(restore.exitCode()).as(restore.toString()).isZero();
        assertConnectedWithPassFile("psql");
        assertThat(pg.query("dev", "SELECT count(*) FROM orders WHERE item = 'changed'")).isEqualTo("0");
    }

    @Test
    @Order(4)
    void copyWithOneJobAndWithTwo() {
        for (String[] c : new String[][] {{"test", "1"}, {"copy2", "2"}}) {
            Run copy = run("copy", "--from", "dev", "--to", c[0], "-y", "--no-safety-backup", "--jobs", c[1]);
            assertThat(copy.exitCode()).as(copy.toString()).isZero();
            assertConnectedWithPassFile("pg_dump", "pg_restore");
            assertThat(pg.query(c[0], "SELECT count(*) || ' ' || max(item) FROM orders"))
                    .as("--jobs %s", c[1]).isEqualTo(pg.query("dev", "SELECT count(*) || ' ' || max(item) FROM orders"));
        }
        Run dataOnly = run("copy", "--from", "dev", "--to", "test", "-y", "--no-safety-backup", "--data-only");
        assertThat(dataOnly.exitCode()).as(dataOnly.toString()).isZero();
        assertConnectedWithPassFile("pg_dump", "psql");
    }

    @Test
    @Order(5)
    void migrateApply() {
        Run apply = run("migrate", "apply", "-e", "mig");
        assertThat(apply.exitCode()).as(apply.toString()).isZero();
        assertThat(pg.query("mig", "SELECT to_regclass('public.notes') IS NOT NULL")).isEqualTo("t");
        assertThat(pg.query("mig", "SELECT count(*) FROM flyway_schema_history WHERE success")).isEqualTo("1");
    }

    @Test
    @Order(6)
    void triggersApplyAndVerify() {
        Run apply = run("triggers", "apply", "-e", "dev");
        assertThat(apply.exitCode()).as(apply.toString()).isZero();
        assertThat(apply.out()).contains("manage_db_updated_at on public.orders");
        Run verify = run("triggers", "verify", "-e", "dev");
        assertThat(verify.exitCode()).as(verify.toString()).isZero();
        Run check = run("check", "-e", "dev");
        assertThat(check.exitCode()).as(check.toString()).isZero();
    }
}
