package io.managedb.backup;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.managedb.testing.PgEnvironment;
import io.managedb.testing.Run;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** What latest means, schema-only backups restored on purpose only, and a backup that appears whole or not at all. */
class BackupIntegrityTest {
    @RegisterExtension
    static final PgEnvironment pg = new PgEnvironment();

    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void data() {
        pg.sql("test", "CREATE TABLE rental AS SELECT g AS id, md5(g::text) AS v FROM generate_series(1, 1000) g");
    }

    private static String path(Run run) throws Exception {
        assertThat(run.exitCode()).as(run.toString()).isZero();
        return JSON.readTree(run.out()).get("path").asText();
    }

    @Test
    void anArchivesTableDataEntriesAreItsTablesWithDataWhateverTheirNames() throws Exception {
        // restore --jobs N counts the rows once pg_restore has finished each of these entries
        pg.sql("test", "CREATE TABLE \"x TABLE DATA y\" (v int); INSERT INTO \"x TABLE DATA y\" VALUES (1);"
                + " CREATE SEQUENCE \"TABLE DATA seq\"; CREATE VIEW \"TABLE DATA view\" AS SELECT 1 AS one");
        try {
            String full = path(pg.run("backup", "-e", "test", "--json"));
            int tables = Integer.parseInt(pg.query("test", "SELECT count(*) FROM pg_class c JOIN pg_namespace n"
                    + " ON n.oid = c.relnamespace WHERE c.relkind = 'r' AND n.nspname = 'public'"));
            try (io.managedb.pg.ProcessRunner runner = new io.managedb.pg.ProcessRunner();
                 Archive archive = Archive.open(Path.of(full))) {
                io.managedb.pg.PgTools tools = new io.managedb.pg.PgTools((Path) null, System.getenv(), runner);
                assertThat(archive.tableDataIds(tools)).hasSize(tables);
                assertThat(archive.recordedTables()).isEqualTo(tables);
            }
        } finally {
            pg.sql("test", "DROP TABLE \"x TABLE DATA y\"; DROP SEQUENCE \"TABLE DATA seq\";"
                    + " DROP VIEW \"TABLE DATA view\"");
        }
    }

    @Test
    void latestIsTheNewestFullBackupAndASchemaOnlyBackupNeedsSchemaOnly() throws Exception {
        String full = path(pg.run("backup", "-e", "test", "--json"));
        String schemaOnly = path(pg.run("backup", "-e", "test", "--schema-only", "--json"));
        path(pg.run("backup", "-e", "test", "--data-only", "--json"));

        Run verify = pg.run("backup", "verify", "latest", "-e", "test", "--json");
        assertThat(verify.exitCode()).as(verify.toString()).isZero();
        assertThat(JSON.readTree(verify.out()).get("path").asText()).isEqualTo(full);

        Run restore = pg.run("restore", "latest", "-e", "test", "-y", "--no-safety-backup", "--json");
        assertThat(restore.exitCode()).as(restore.toString()).isZero();
        assertThat(JSON.readTree(restore.out()).get("archive").asText()).isEqualTo(full);
        assertThat(pg.query("test", "SELECT count(*) FROM rental")).isEqualTo("1000");

        Run refused = pg.run("restore", schemaOnly, "-e", "test", "-y", "--no-safety-backup");
        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(2);
        assertThat(refused.err().strip()).contains("schema-only").contains("--schema-only").doesNotContain("\n");
        assertThat(pg.query("test", "SELECT count(*) FROM rental")).isEqualTo("1000");

        Run wrongFlag = pg.run("restore", full, "-e", "test", "-y", "--no-safety-backup", "--schema-only");
        assertThat(wrongFlag.exitCode()).as(wrongFlag.toString()).isEqualTo(2);
        assertThat(pg.query("test", "SELECT count(*) FROM rental")).isEqualTo("1000");

        Run onPurpose = pg.run("restore", schemaOnly, "-e", "test", "-y", "--no-safety-backup", "--schema-only");
        assertThat(onPurpose.exitCode()).as(onPurpose.toString()).isZero();
        assertThat(pg.query("test", "SELECT count(*) FROM rental")).isEqualTo("0");

        Run back = pg.run("restore", "latest", "-e", "test", "-y", "--no-safety-backup");
        assertThat(back.exitCode()).as(back.toString()).isZero();
        assertThat(pg.query("test", "SELECT count(*) FROM rental")).isEqualTo("1000");
    }

    @Test
    void noFullBackupMeansNoLatest() {
        pg.sql("dev", "CREATE TABLE IF NOT EXISTS t (x int)");
        Run schemaOnly = pg.run("backup", "-e", "dev", "--schema-only");
        assertThat(schemaOnly.exitCode()).as(schemaOnly.toString()).isZero();
        Run restore = pg.run("restore", "latest", "-e", "dev", "-y");
        assertThat(restore.exitCode()).as(restore.toString()).isEqualTo(2);
        assertThat(restore.err()).contains("no good full backup of dev");
    }

    /** A file system with room for the dump but not for its manifest: the backup leaves nothing behind. */
    @Test
    void aFullDiskWhenTheManifestIsWrittenLeavesNothing() throws Exception {
        Path probe = Path.of(path(pg.run("backup", "-e", "test", "--format", "plain", "--json")));
        long pages = (Files.size(probe) + 4095) / 4096;
        Path mount = Files.createDirectory(pg.dir().resolve("small-disk"));
        assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=" + pages * 4096 + ",mode=0700", "tmpfs",
                mount.toString()), "cannot mount a tmpfs here (needs root)");
        try {
            Map<String, String> env = pg.env();
            env.put("MANAGE_DB_BACKUP_DIR", mount.resolve("backups").toString());
            Run full = pg.run(env, "backup", "-e", "test", "--format", "plain");
            assertThat(full.exitCode()).as(full.toString()).isEqualTo(1);
            assertThat(full.err().strip()).contains("manifest").doesNotContain("\n");
            try (Stream<Path> left = Files.list(mount.resolve("backups"))) {
                assertThat(left.toList()).as("nothing left behind").isEmpty();
            }
            Run list = pg.run(env, "backup", "list", "-e", "test");
            assertThat(list.exitCode()).as(list.toString()).isZero();
            assertThat(list.out()).doesNotContain("no-manifest");
        } finally {
            run("umount", mount.toString());
        }
    }

    private static boolean run(String... command) throws Exception {
        Process p = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    }
}
