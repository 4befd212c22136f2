package io.managedb.pg;

import io.managedb.testing.Jvm;
import io.managedb.testing.PgEnvironment;
import io.managedb.testing.RecordingPgBin;
import io.managedb.testing.Run;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Records every pg tool manage-db starts (argv, environment, whether its PGPASSFILE exists) through a wrapper set as
 * MANAGE_DB_PG_BIN, running as a role that needs its password: the password is in none of them, and no password file
 * is left behind after a success, a failure of the tool, and SIGTERM while pg_dump waits.
 */
class ChildSecretsTest {
    @RegisterExtension
    static final PgEnvironment pg = PgEnvironment.asPasswordRole();

    private static RecordingPgBin recorder;
    private static Map<String, String> env;

    @BeforeAll
    static void setUp() {
        recorder = RecordingPgBin.create(pg.dir(), System.getenv("PATH"));
        env = pg.env();
        env.put("MANAGE_DB_PG_BIN", recorder.bin().toString());
        pg.sql("test", "CREATE TABLE orders AS SELECT g AS id, md5(g::text) AS note FROM generate_series(1, 20000) g");
    }

    @BeforeEach
    void clear() {
        recorder.clear();
    }

    private static List<RecordingPgBin.Call> connecting() {
        return recorder.calls().stream().filter(c -> c.environment().containsKey("PGHOST")).toList();
    }

    @Test
    void success() {
        Run backup = pg.run(env, "backup", "-e", "test");
        assertThat(backup.exitCode()).as(backup.toString()).isZero();
        assertThat(connecting()).as("pg_dump connected with a password file").isNotEmpty()
                .allSatisfy(c -> assertThat(c.passFile()).isNotNull());
        PasswordRoleTest.assertNoSecretsLeft(backup, recorder.calls(), pg.role().password());
    }

    @Test
    void psqlFailsOnADamagedPlainFile() throws Exception {
        Run backup = pg.run(env, "backup", "-e", "test", "--json", "--format", "plain", "--compress", "0");
        assertThat(backup.exitCode()).as(backup.toString()).isZero();
        Path file = Path.of(backup.out().replaceAll("(?s).*?\"path\" : \"([^\"]+)\".*", "$1"));
        // edited elsewhere (so without a manifest): a statement that fails half-way through the restore
        String sql = Files.readString(file);
        int end = sql.indexOf("-- PostgreSQL database dump complete");
        assertThat(end).isPositive();
        Path damaged = Files.writeString(pg.dir().resolve("damaged.sql"), sql.substring(0, end)
                + "SELECT 1 / 0;\n\n" + sql.substring(end));
        recorder.clear();
        Run restore = pg.run(env, "restore", damaged.toString(), "-e", "test", "-y", "--no-safety-backup");
        assertThat(restore.exitCode()).as(restore.toString()).isNotZero();
        assertThat(restore.err()).as(restore.toString()).contains("psql", "division by zero");
        assertThat(connecting()).as("psql connected with a password file")
                .anySatisfy(c -> assertThat(c.tool()).isEqualTo("psql"))
                .allSatisfy(c -> assertThat(c.passFile()).isNotNull());
        PasswordRoleTest.assertNoSecretsLeft(restore, recorder.calls(), pg.role().password());
        assertThat(pg.query("test", "SELECT count(*) FROM orders")).isEqualTo("20000");
    }

    @Test
    void sigtermWhilePgDumpWaitsOnALock() throws Exception {
        Path stderr = pg.dir().resolve("sigterm.err");
        try (Connection blocker = pg.connect("test"); Statement st = blocker.createStatement()) {
            blocker.setAutoCommit(false);
            st.execute("LOCK TABLE orders IN ACCESS EXCLUSIVE MODE");
            Process p = Jvm.start(pg.dir(), env, stderr, "copy", "--from", "test", "--to", "dev", "-y",
                    "--no-safety-backup");
            Jvm.await("the copy's pg_dump to wait for the lock", 60_000, () -> connecting().stream()
                    .anyMatch(c -> c.tool().equals("pg_dump"))
                    && p.descendants().anyMatch(h -> h.info().command().orElse("").endsWith("pg_dump"))
                    && "t".equals(pg.query("test", "SELECT EXISTS (SELECT FROM pg_locks l JOIN pg_stat_activity a USING (pid)"
                            + " WHERE NOT l.granted AND a.datname = current_database())")));
            List<RecordingPgBin.Call> started = connecting();
            assertThat(started).as("children holding a password file").isNotEmpty()
                    .allSatisfy(c -> assertThat(c.passFile()).isNotNull());
            p.destroy();
            assertThat(p.waitFor()).isEqualTo(143);
            blocker.rollback();
        }
        assertThat(Files.readString(stderr)).contains("interrupted (SIGTERM)");
        assertThat(pg.scratchDatabases()).as("scratch databases left").isNull();
        Run none = new Run(143, "", Files.readString(stderr));
        PasswordRoleTest.assertNoSecretsLeft(none, recorder.calls(), pg.role().password());
    }
}
