package io.managedb.restore;

import io.managedb.testing.Datasets;
import io.managedb.testing.Fingerprint;
import io.managedb.testing.PgEnvironment;
import io.managedb.testing.Run;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/** backup → change the data → restore, on the three sample databases in each format. */
class RestoreRoundTripTest {
    @RegisterExtension
    static final PgEnvironment pg = new PgEnvironment();

    @ParameterizedTest(name = "{0} as {1}")
    @CsvSource({"northwind,custom", "northwind,plain", "northwind,directory",
                "chinook,custom", "chinook,plain", "chinook,directory",
                "pagila,custom", "pagila,plain", "pagila,directory"})
    void restoreBringsBackTheStateAtBackupTime(String dataset, String format) throws Exception {
        pg.addEnvironment("rt");
        Datasets.load(pg, "rt", dataset);
        Fingerprint before = Fingerprint.of(pg, "rt");

        Run backup = pg.run("backup", "-e", "rt", "--format", format, "--json");
        assertThat(backup.exitCode()).as(backup.toString()).isZero();
        String path = backup.out().replaceAll("(?s).*\"path\" : \"([^\"]+)\".*", "$1");

        mutate();
        assertThat(Fingerprint.of(pg, "rt")).isNotEqualTo(before);

        Run restore = format.equals("plain") ? pg.run("restore", path, "-e", "rt", "-y")
                : pg.run("restore", path, "-e", "rt", "-y", "--jobs", "2");
        assertThat(restore.exitCode()).as(restore.toString()).isZero();
        assertThat(restore.out()).contains("restored", "safety backup:");
        Fingerprint after = Fingerprint.of(pg, "rt");
        assertThat(after.tables()).isEqualTo(before.tables());
        assertThat(after.sequences()).isEqualTo(before.sequences());
        assertThat(after.schema()).isEqualTo(before.schema());
    }

    @Test
    void sessionsConnectedToTheTargetAreDisconnectedAtTheSwapAndTheRestoreGoesOn() throws Exception {
        pg.addEnvironment("held");
        pg.sql("held", "CREATE TABLE t (id int PRIMARY KEY); INSERT INTO t SELECT generate_series(1, 100)");
        Run backup = pg.run("backup", "-e", "held", "--json");
        assertThat(backup.exitCode()).as(backup.toString()).isZero();
        String path = backup.out().replaceAll("(?s).*\"path\" : \"([^\"]+)\".*", "$1");
        pg.sql("held", "INSERT INTO t VALUES (101)");

        try (Connection idle = pg.connect("held"); Connection other = pg.connect("held")) {
            Run restore = pg.run("restore", path, "-e", "held", "-y", "--no-safety-backup");
            assertThat(restore.exitCode()).as(restore.toString()).isZero();
            assertThat(restore.out()).contains("2 session(s) of the old database were disconnected");
            assertThat(idle.isValid(2)).as("its session was terminated").isFalse();
            assertThat(other.isValid(2)).isFalse();
        }
        assertThat(pg.query("held", "SELECT count(*) FROM t")).isEqualTo("100");
        assertThat(pg.scratchDatabaseCount()).isEqualTo("0");
    }

    /** Empties the first table with rows (cascading), adds a table, moves a sequence. */
    private static void mutate() throws Exception {
        try (Connection c = pg.connect("rt"); Statement st = c.createStatement()) {
            st.execute("ANALYZE");
            String table;
            try (ResultSet rs = st.executeQuery("SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname)"
                    + " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind = 'r'"
                    + " AND n.nspname = 'public' AND c.reltuples > 0 ORDER BY c.relname LIMIT 1")) {
                rs.next();
                table = rs.getString(1);
            }
            st.execute("TRUNCATE " + table + " CASCADE");
            st.execute("CREATE TABLE only_in_target (x int)");
            try (ResultSet rs = st.executeQuery("SELECT quote_ident(schemaname) || '.' || quote_ident(sequencename)"
                    + " FROM pg_sequences LIMIT 1")) {
                if (rs.next()) {
                    String seq = rs.getString(1);
                    st.execute("SELECT setval('" + seq + "', 99999)");
                }
            }
        }
    }
}
