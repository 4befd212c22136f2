package io.managedb.restore;

import io.managedb.backup.Manifests;
import io.managedb.testing.Datasets;
import io.managedb.testing.Fingerprint;
import io.managedb.testing.Jvm;
import io.managedb.testing.PgEnvironment;
import io.managedb.testing.Run;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A restore that cannot or may not happen leaves the target exactly as it was. */
class RestoreSafetyTest {
    @RegisterExtension
    static final PgEnvironment pg = new PgEnvironment();

    private static String good;

    @BeforeAll
    static void setUp() {
        Datasets.load(pg, "test", "pagila");
        pg.sql("test", "CREATE TABLE big AS SELECT g AS id, md5(g::text) AS v FROM generate_series(1, 150000) g;"
                + " CREATE INDEX ON big (v)");
        Run run = pg.run("backup", "-e", "test", "--json");
        assertThat(run.exitCode()).as(run.toString()).isZero();
        good = run.out().replaceAll("(?s).*?\"path\" : \"([^\"]+)\".*", "$1");
        pg.sql("test", "UPDATE film SET title = lower(title) WHERE film_id < 50; CREATE TABLE only_now (x int)");
        pg.sql("dev", "CREATE TABLE dev_marker (x int)");
        pg.sql("prod", "CREATE TABLE prod_marker (x int)");
    }

    private static void assertRefusedAndUnchanged(String env, int exitCode, String message, String... args) {
        Fingerprint before = Fingerprint.of(pg, env);
        long safetyBackups = safetyBackups();
        Run run = pg.run(args);
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(exitCode);
        assertThat(run.err().strip()).contains(message).doesNotContain("\n").doesNotContain("Exception");
        assertThat(Fingerprint.of(pg, env)).isEqualTo(before);
        assertThat(scratchDatabases()).isEqualTo("0");
        if (exitCode != 1) {
            // refused (checked before anything changes): no safety backup; a restore that fails after its safety
            // backup (exit 1) keeps it, as the way back
            assertThat(safetyBackups()).as("a refused restore leaves no pre-restore backup").isEqualTo(safetyBackups);
        }
    }

    /** pre-restore backups in the default backup directory (no .env file: the user's data directory). */
    private static long safetyBackups() {
        Path dir = pg.dir().resolve(".local/share/manage-db/backups");
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (var files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().contains("_pre-restore")).count();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String scratchDatabases() {
        return pg.scratchDatabaseCount();
    }

    private static Path copy(String name, boolean withManifest) throws Exception {
        Path p = pg.dir().resolve(name);
        Files.copy(Path.of(good), p, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        if (withManifest) {
            Files.copy(Manifests.of(Path.of(good)), Manifests.of(p), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        return p;
    }

    @Test
    void truncatedArchive() throws Exception {
        for (boolean manifest : new boolean[] {true, false}) {
            Path p = copy("truncated-" + manifest + ".dump", manifest);
            byte[] bytes = Files.readAllBytes(p);
            Files.write(p, Arrays.copyOf(bytes, bytes.length * 2 / 3));
            // without a manifest, reading every data block (pg_restore -f /dev/null) finds the cut before anything runs
            assertRefusedAndUnchanged("test", 7, manifest ? "truncated or changed" : "is not readable by",
                    "restore", p.toString(), "-e", "test", "-y");
        }
        // with no safety backup to come first, the restore's own pg_restore is the read that finds the cut
        assertRefusedAndUnchanged("test", 7, "is not readable by", "restore",
                pg.dir().resolve("truncated-false.dump").toString(), "-e", "test", "-y", "--no-safety-backup");
    }

    @Test
    void flippedByte() throws Exception {
        for (boolean manifest : new boolean[] {true, false}) {
            Path p = copy("flipped-" + manifest + ".dump", manifest);
            try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
                f.seek(f.length() - 5000);
                int b = f.read();
                f.seek(f.length() - 5000);
                f.write(b ^ 0x55);
            }
            Fingerprint before = Fingerprint.of(pg, "test");
            Run run = pg.run("restore", p.toString(), "-e", "test", "-y");
            assertThat(run.exitCode()).as(run.toString()).isIn(1, 7);
            if (manifest) {
                assertThat(run.exitCode()).isEqualTo(7);
                assertThat(run.err()).contains("does not match the SHA-256");
            }
            assertThat(Fingerprint.of(pg, "test")).isEqualTo(before);
            assertThat(scratchDatabases()).isEqualTo("0");
        }
    }

    @Test
    void aChangedArchiveIsRefusedForItsChecksumBeforeAnyLaterRefusal() throws Exception {
        // the SHA-256 is computed while the later steps run: their refusals must not hide the archive's own
        Path p = copy("changed-early.dump", true);
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            f.seek(f.length() / 2);
            int b = f.read();
            f.seek(f.length() / 2);
            f.write(b ^ 0x01);
        }
        assertRefusedAndUnchanged("dev", 7, "does not match the SHA-256", "restore", p.toString(), "-e", "dev");
        pg.sql("dev", "ALTER DATABASE " + pg.database("dev") + " SET manage_db.environment = 'prod'");
        try {
            assertRefusedAndUnchanged("dev", 7, "does not match the SHA-256", "restore", p.toString(), "-e", "dev",
                    "-y");
        } finally {
            pg.sql("dev", "ALTER DATABASE " + pg.database("dev") + " RESET manage_db.environment");
        }
        assertRefusedAndUnchanged("test", 7, "does not match the SHA-256", "restore", p.toString(), "-e", "test",
                "-y", "--no-safety-backup");
    }

    @Test
    void emptyFileAndMissingPath() throws Exception {
        Path empty = Files.createFile(pg.dir().resolve("empty.dump"));
        assertRefusedAndUnchanged("test", 7, "is incomplete", "restore", empty.toString(), "-e", "test", "-y");
        assertRefusedAndUnchanged("test", 2, "no such backup", "restore", "does-not-exist.dump", "-e", "test", "-y");
    }

    @Test
    void plainSqlWithAnErrorInTheMiddle() throws Exception {
        Path sql = pg.dir().resolve("broken.sql");
        Files.writeString(sql, "CREATE TABLE a (x int);\nINSERT INTO a VALUES (1);\nSELECT * FROM no_such_table;\n"
                + "CREATE TABLE b (y int);\n--\n-- PostgreSQL database dump complete\n--\n");
        assertRefusedAndUnchanged("test", 1, "psql failed", "restore", sql.toString(), "-e", "test", "-y");
    }

    @Test
    void protectedEnvironmentNeedsConfirmation() {
        assertRefusedAndUnchanged("prod", 5, "--confirm prod", "restore", good, "-e", "prod");
        assertRefusedAndUnchanged("prod", 5, "--yes is not enough", "restore", good, "-e", "prod", "-y");
        assertRefusedAndUnchanged("prod", 5, "does not match", "restore", good, "-e", "prod", "--confirm", "test");
        assertRefusedAndUnchanged("dev", 5, "pass -y", "restore", good, "-e", "dev");
    }

    @Test
    void stampOfAnotherEnvironmentIsRefused() {
        pg.sql("dev", "ALTER DATABASE " + pg.database("dev") + " SET manage_db.environment = 'prod'");
        try {
            assertRefusedAndUnchanged("dev", 5, "stamped as environment 'prod'", "restore", good, "-e", "dev", "-y");
        } finally {
            pg.sql("dev", "ALTER DATABASE " + pg.database("dev") + " RESET manage_db.environment");
        }
    }

    @Test
    void aKilledRestoreLeavesTheTargetAsItWasAndTheNextRunCleansUp() throws Exception {
        Fingerprint before = Fingerprint.of(pg, "test");
        Map<String, String> env = pg.env();
        Process p = Jvm.start(pg.dir(), env, "restore", good, "-e", "test", "-y", "--no-safety-backup");
        Jvm.await("the restore to start", 60_000, () -> !scratchDatabases().equals("0"));
        Thread.sleep(400);
        Jvm.killHard(p);
        assertThat(Fingerprint.of(pg, "test")).isEqualTo(before);

        Run next = pg.run("restore", good, "-e", "test", "-y", "--no-safety-backup");
        assertThat(next.exitCode()).as(next.toString()).isZero();
        assertThat(scratchDatabases()).isEqualTo("0");
        assertThat(pg.query("test", "SELECT to_regclass('only_now')")).isNull();
        assertThat(pg.query("test", "SELECT count(*) FROM rental")).isEqualTo("16044");
    }

    @Test
    void stampSurvivesAndLatestFromAnotherEnvironment() throws Exception {
        pg.sql("dev", "ALTER DATABASE " + pg.database("dev") + " SET manage_db.environment = 'dev'");
        Run run = pg.run("restore", "latest", "--from", "test", "-e", "dev", "-y", "--json");
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains("\"safetyBackup\" : \"").contains("pre-restore");
        assertThat(pg.query("dev", "SELECT current_setting('manage_db.environment', true)")).isEqualTo("dev");
        assertThat(pg.query("dev", "SELECT to_regclass('dev_marker')")).isNull();
        assertThat(pg.query("dev", "SELECT count(*) FROM big")).isEqualTo("150000");
        Run none = pg.run("restore", "latest", "-e", "prod", "--confirm", "prod");
        assertThat(none.exitCode()).isEqualTo(2);
        assertThat(none.err()).contains("no good full backup of prod");
    }
}
