package io.managedb.restore;

import io.managedb.testing.Fingerprint;
import io.managedb.testing.PgEnvironment;
import io.managedb.testing.RecordingPgBin;
import io.managedb.testing.Run;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * restore --jobs 2: the schema in a pg_restore of its own, then the rows and the post-data part with two jobs, so
 * that pg_restore does not truncate each table it has just created before loading it (a new file per table).
 */
class ParallelRestoreTest {
    @RegisterExtension
    static final PgEnvironment pg = new PgEnvironment();

    @Test
    void theSchemaComesFirstInARunOfItsOwnAndTheRowsWithTwoJobs() throws Exception {
        pg.addEnvironment("par");
        org.junit.jupiter.api.Assumptions.assumeFalse(pg.query("par", "SHOW wal_level").equals("minimal"),
                "with wal_level = minimal one pg_restore restores every section");
        pg.sql("par", "CREATE TABLE a (id int PRIMARY KEY, note text);"
                + " INSERT INTO a SELECT g, md5(g::text) FROM generate_series(1, 5000) g;"
                + " CREATE TABLE b (id int REFERENCES a, n numeric); INSERT INTO b SELECT g % 100 + 1, g FROM"
                + " generate_series(1, 3000) g; CREATE INDEX ON b (n); CREATE VIEW v AS SELECT count(*) FROM b");
        Fingerprint before = Fingerprint.of(pg, "par");
        Run backup = pg.run("backup", "-e", "par", "--json");
        assertThat(backup.exitCode()).as(backup.toString()).isZero();
        String path = backup.out().replaceAll("(?s).*\"path\" : \"([^\"]+)\".*", "$1");
        pg.sql("par", "DELETE FROM b; DROP VIEW v");

        List<List<String>> restores = restore("restore", path, "-e", "par", "-y", "--no-safety-backup",
                "--jobs", "2");
        assertThat(Fingerprint.of(pg, "par")).isEqualTo(before);
        assertThat(restores).hasSize(2); // in no particular order: the recorder lists them as its directory does
        assertThat(restores).filteredOn(argv -> argv.contains("--section=pre-data")).singleElement()
                .satisfies(argv -> assertThat(argv).doesNotContain("--jobs=2", "--section=data"));
        assertThat(restores).filteredOn(argv -> argv.contains("--jobs=2")).singleElement()
                .satisfies(argv -> assertThat(argv).contains("--section=data", "--section=post-data")
                        .doesNotContain("--section=pre-data"));

        // with privileges restored, one run: pg_restore applies them after the rows, a schema run would before
        pg.sql("par", "DELETE FROM b");
        List<List<String>> owned = restore("restore", path, "-e", "par", "-y", "--no-safety-backup",
                "--jobs", "2", "--keep-ownership");
        assertThat(Fingerprint.of(pg, "par")).isEqualTo(before);
        assertThat(owned).singleElement().satisfies(argv -> assertThat(argv).contains("--jobs=2")
                .noneMatch(arg -> arg.startsWith("--section")));
    }

    /** Runs manage-db with recording pg tools; the pg_restore calls that restored (not --list), in no order. */
    private static List<List<String>> restore(String... args) throws java.io.IOException {
        RecordingPgBin recorder = RecordingPgBin.create(java.nio.file.Files.createTempDirectory(pg.dir(), "tools"),
                System.getenv("PATH"));
        Map<String, String> env = pg.env();
        env.put("MANAGE_DB_PG_BIN", recorder.bin().toString());
        Run run = pg.run(env, args);
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains("row counts of 2 tables match the backup");
        return recorder.calls().stream().filter(c -> c.tool().equals("pg_restore"))
                .map(RecordingPgBin.Call::argv).filter(argv -> !argv.contains("--list")).toList();
    }
}
