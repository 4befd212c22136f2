package io.managedb.migrate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.managedb.core.ExitCode;
import io.managedb.core.ManageDbException;
import io.managedb.db.TargetLock;
import io.managedb.config.ConnectionUrl;
import io.managedb.testing.Datasets;
import io.managedb.testing.Fingerprint;
import io.managedb.testing.PgEnvironment;
import io.managedb.testing.Run;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MigrateCommandTest {
    @RegisterExtension
    static final PgEnvironment pg = new PgEnvironment();

    private Path dir;
    private Map<String, String> env;

    @BeforeEach
    void freshDatabaseAndMigrations() throws Exception {
        pg.addEnvironment("mig");
        dir = Files.createTempDirectory(pg.dir(), "migrations");
        env = pg.env();
        env.put("MANAGE_DB_MIGRATIONS_DIR", dir.toString());
        env.put("MANAGE_DB_BACKUP_DIR", pg.dir().resolve("backups").toString());
    }

    private void write(String name, String sql) throws Exception {
        Files.writeString(dir.resolve(name), sql);
    }

    private Run run(String... args) {
        return pg.run(env, args);
    }

    private String history() {
        return pg.query("mig", "SELECT coalesce(string_agg(version || ':' || success, ',' ORDER BY installed_rank), '')"
                + " FROM flyway_schema_history");
    }

    private void threeMigrations() throws Exception {
        write("V1__patients.sql", "CREATE TABLE patient (id int PRIMARY KEY, name text NOT NULL);\n"
                + "INSERT INTO patient VALUES (1, 'Ada'), (2, 'Grace');\n");
        write("U1__patients.sql", "DROP TABLE patient;\n");
        write("V2__patient_index.sql", "CREATE INDEX patient_name ON patient (name);\n");
        write("U2__patient_index.sql", "DROP INDEX patient_name;\n");
        write("V3__patient_count.sql", "CREATE FUNCTION patient_count() RETURNS bigint LANGUAGE sql AS $$\n"
                + "  SELECT count(*) FROM patient;\n$$;\nINSERT INTO patient VALUES (3, 'Linus');\n");
        write("U3__patient_count.sql", "DROP FUNCTION patient_count();\nDELETE FROM patient WHERE id = 3;\n");
    }

    @Test
    void createWritesAMigrationAndItsUndoScript() throws Exception {
        Run run = run("migrate", "create", "Add patient index!");
        assertThat(run.exitCode()).as(run.toString()).isZero();
        try (Stream<Path> s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString()).sorted().toList()).satisfiesExactly(
                    u -> assertThat(u).matches("U\\d{14}__add_patient_index\\.sql"),
                    v -> assertThat(v).matches("V\\d{14}__add_patient_index\\.sql"));
        }
        assertThat(run.out()).contains("V", "__add_patient_index.sql", "U");
        Path v = Files.list(dir).filter(p -> p.getFileName().toString().startsWith("V")).findFirst().orElseThrow();
        assertThat(Files.readString(v)).startsWith("-- Migration: Add patient index!");
    }

    @Test
    void applyInCiNamesItsProtectedTargetWithConfirm() throws Exception {
        threeMigrations();
        Run wrong = run("migrate", "apply", "-e", "prod", "--confirm", "test", "--json");
        assertThat(wrong.exitCode()).as(wrong.toString()).isEqualTo(5);
        assertThat(pg.query("prod", "SELECT to_regclass('patient')")).isNull();
        Run ok = run("migrate", "apply", "-e", "prod", "--confirm", "prod", "--json");
        assertThat(ok.exitCode()).as(ok.toString()).isZero();
        assertThat(pg.query("prod", "SELECT count(*) FROM patient")).isEqualTo("3");
    }

    @Test
    void aVersionClashIsRefused() {
        Clock fixed = Clock.fixed(Instant.parse("2026-11-24T10:00:00Z"), ZoneOffset.UTC);
        MigrateService service = new MigrateService(null, dir, fixed);
        service.create("first");
        assertThatThrownBy(() -> service.create("second")).isInstanceOf(ManageDbException.class)
                .hasMessageContaining("version 20261124100000 is already used by")
                .extracting(e -> ((ManageDbException) e).exitCode()).isEqualTo(ExitCode.REFUSED);
    }

    @Test
    void applyStatusRollbackApplyRoundTrip() throws Exception {
        threeMigrations();
        Fingerprint empty = Fingerprint.of(pg, "mig");
        Run dry = run("migrate", "apply", "-e", "mig", "--dry-run", "-v");
        assertThat(dry.exitCode()).as(dry.toString()).isZero();
        assertThat(dry.out()).contains("would apply V1__patients.sql", "CREATE TABLE patient", "dry run");
        assertThat(Fingerprint.of(pg, "mig")).isEqualTo(empty);

        Run pending = run("migrate", "status", "-e", "mig", "--check");
        assertThat(pending.exitCode()).isEqualTo(7);
        assertThat(pending.out()).contains("3 pending");

        Run apply = run("migrate", "up", "-e", "mig");
        assertThat(apply.exitCode()).as(apply.toString()).isZero();
        assertThat(apply.out()).contains("applied V1__patients.sql", "applied V3__patient_count.sql", "-> 3");
        Fingerprint applied = Fingerprint.of(pg, "mig");
        assertThat(pg.query("mig", "SELECT patient_count()")).isEqualTo("3");

        Run status = run("migrate", "status", "-e", "mig", "--check");
        assertThat(status.exitCode()).as(status.toString()).isZero();
        assertThat(status.out()).contains("applied", "version 3, 0 pending, 0 failed");

        Run rollback = run("migrate", "down", "-e", "mig", "-y");
        assertThat(rollback.exitCode()).as(rollback.toString()).isZero();
        assertThat(rollback.out()).contains("undone 3", "at version 2");
        assertThat(pg.query("mig", "SELECT to_regprocedure('patient_count()')")).isNull();
        assertThat(pg.query("mig", "SELECT count(*) FROM patient")).isEqualTo("2");
        assertThat(history()).isEqualTo("1:true,2:true");
        Run after = run("migrate", "info", "-e", "mig", "--json");
        assertThat(after.out()).contains("\"state\" : \"pending\"", "\"currentVersion\" : \"2\"");

        Run again = run("migrate", "apply", "-e", "mig");
        assertThat(again.exitCode()).as(again.toString()).isZero();
        Fingerprint reapplied = Fingerprint.of(pg, "mig");
        assertThat(reapplied.tables().get("public.patient")).isEqualTo(applied.tables().get("public.patient"));
        assertThat(Fingerprint.of(pg, "mig").schema()).isEqualTo(applied.schema());
    }

    @Test
    void targetVersionBothWays() throws Exception {
        threeMigrations();
        assertThat(run("migrate", "apply", "-e", "mig", "--target", "2").exitCode()).isZero();
        assertThat(history()).isEqualTo("1:true,2:true");
        assertThat(run("migrate", "apply", "-e", "mig").exitCode()).isZero();
        Run dry = run("migrate", "rollback", "-e", "mig", "--target", "1", "--dry-run");
        assertThat(dry.out()).contains("would undo 3", "would undo 2");
        assertThat(history()).isEqualTo("1:true,2:true,3:true");
        Run down = run("migrate", "rollback", "-e", "mig", "--target", "1", "-y");
        assertThat(down.exitCode()).as(down.toString()).isZero();
        assertThat(history()).isEqualTo("1:true");
        assertThat(pg.query("mig", "SELECT to_regclass('patient_name')")).isNull();
    }

    @Test
    void aFailingMigrationLeavesTheSchemaAsItWasAndCanBeRerunAfterAFix() throws Exception {
        write("V1__ok.sql", "CREATE TABLE a (x int);\n");
        write("V2__broken.sql", "CREATE TABLE b (y int);\nINSERT INTO b VALUES (1);\nINSERT INTO no_such_table VALUES (1);\n"
                + "CREATE TABLE c (z int);\n");
        Run run = run("migrate", "apply", "-e", "mig");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err().strip()).startsWith("manage-db: error: migration V2__broken.sql failed at line 3:")
                .contains("relation \"no_such_table\" does not exist").doesNotContain("\n");
        assertThat(pg.query("mig", "SELECT to_regclass('b')")).isNull();
        assertThat(history()).isEqualTo("1:true");
        write("V2__broken.sql", "CREATE TABLE b (y int);\nINSERT INTO b VALUES (1);\nCREATE TABLE c (z int);\n");
        assertThat(run("migrate", "apply", "-e", "mig").exitCode()).isZero();
        assertThat(history()).isEqualTo("1:true,2:true");
    }

    @Test
    void anEditedMigrationFailsValidationButACrlfCopyDoesNot() throws Exception {
        threeMigrations();
        assertThat(run("migrate", "apply", "-e", "mig").exitCode()).isZero();
        Path v2 = dir.resolve("V2__patient_index.sql");
        Files.writeString(v2, Files.readString(v2).replace("\n", "\r\n"));
        Run crlf = run("migrate", "validate", "-e", "mig");
        assertThat(crlf.exitCode()).as(crlf.toString()).isZero();

        Files.writeString(v2, "CREATE INDEX patient_name ON patient (name, id);\n");
        Run validate = run("migrate", "validate", "-e", "mig");
        assertThat(validate.exitCode()).isEqualTo(7);
        assertThat(validate.out()).contains("V2__patient_index.sql: edited after being applied (checksum mismatch)");
        Run check = run("migrate", "status", "-e", "mig", "--check");
        assertThat(check.exitCode()).isEqualTo(7);
        assertThat(check.out()).contains("V2__patient_index.sql was edited after being applied", "MISMATCH");

        Files.writeString(v2, "CREATE INDEX patient_name ON patient (name);\n");
        assertThat(run("migrate", "validate", "-e", "mig").exitCode()).isZero();
        Files.delete(dir.resolve("V3__patient_count.sql"));
        Run missing = run("migrate", "validate", "-e", "mig");
        assertThat(missing.exitCode()).isEqualTo(7);
        assertThat(missing.out()).contains("applied but its file is missing");
    }

    @Test
    void rollbackWithAMissingUndoScriptChangesNothing() throws Exception {
        threeMigrations();
        assertThat(run("migrate", "apply", "-e", "mig").exitCode()).isZero();
        Files.delete(dir.resolve("U2__patient_index.sql"));
        Fingerprint before = Fingerprint.of(pg, "mig");
        Run run = run("migrate", "rollback", "-e", "mig", "--steps", "2", "-y");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("cannot roll back V2__patient_index.sql: its undo script U2__patient_index.sql"
                + " is missing", "nothing was changed");
        assertThat(Fingerprint.of(pg, "mig")).isEqualTo(before);
    }

    @Test
    void repeatableMigrationsRunAgainWhenChanged() throws Exception {
        write("V1__t.sql", "CREATE TABLE t (x int);\n");
        write("R__view.sql", "CREATE OR REPLACE VIEW v AS SELECT x FROM t;\n");
        assertThat(run("migrate", "apply", "-e", "mig").exitCode()).isZero();
        write("R__view.sql", "CREATE OR REPLACE VIEW v AS SELECT x, x * 2 AS y FROM t;\n");
        Run status = run("migrate", "status", "-e", "mig", "--check");
        assertThat(status.exitCode()).isEqualTo(7);
        assertThat(status.out()).contains("outdated");
        assertThat(run("migrate", "apply", "-e", "mig").exitCode()).isZero();
        assertThat(pg.query("mig", "SELECT count(*) FROM information_schema.columns WHERE table_name = 'v'")).isEqualTo("2");
    }

    @Test
    void createIndexConcurrentlyRunsOutsideATransaction() throws Exception {
        write("V1__t.sql", "CREATE TABLE t (x int);\n");
        write("V2__concurrent_index.sql", "CREATE INDEX CONCURRENTLY t_x ON t (x);\n");
        Run run = run("migrate", "apply", "-e", "mig");
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(pg.query("mig", "SELECT to_regclass('t_x')")).isEqualTo("t_x");
    }

    @Test
    void twoConcurrentAppliesNeverBothApply() throws Exception {
        write("V1__slow.sql", "CREATE TABLE slow (x int);\nSELECT pg_sleep(2);\n");
        CompletableFuture<Run> first = CompletableFuture.supplyAsync(() -> run("migrate", "apply", "-e", "mig"));
        // the first apply holds the target lock (visible to the server) while its migration sleeps
        io.managedb.testing.Jvm.await("the first apply to hold the lock", 30_000, () -> !"0".equals(pg.server().queryIn(
                "postgres", "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a USING (pid) WHERE l.locktype ="
                        + " 'advisory' AND l.granted AND l.classid = 1835295265 AND a.application_name LIKE"
                        + " 'manage-db migrate%' AND l.objid = " + lockKey(pg.database("mig")))));
        Run second = run("migrate", "apply", "-e", "mig");
        assertThat(second.exitCode()).as(second.toString()).isEqualTo(6);
        assertThat(first.get().exitCode()).isZero();
        assertThat(history()).isEqualTo("1:true");
        try (TargetLock lock = TargetLock.acquire(ConnectionUrl.parse(pg.url("mig"), "K", Map.of()), "test", null)) {
            assertThat(run("migrate", "apply", "-e", "mig").exitCode()).isEqualTo(6);
        }
    }

    @Test
    void protectedEnvironmentsAreGuardedAndBackedUpFirst() throws Exception {
        threeMigrations();
        env.put("MANAGE_DB_PROTECTED_ENVS", "prod,mig");
        Run apply = run("migrate", "apply", "-e", "mig", "--json");
        assertThat(apply.exitCode()).as(apply.toString()).isZero();
        assertThat(apply.out()).contains("\"backup\" : \"").contains("_pre-migrate.dump");
        Fingerprint before = Fingerprint.of(pg, "mig");
        Run refused = run("migrate", "rollback", "-e", "mig", "-y");
        assertThat(refused.exitCode()).isEqualTo(5);
        assertThat(refused.err()).contains("protected environment 'mig'");
        assertThat(Fingerprint.of(pg, "mig")).isEqualTo(before);
        Run repair = run("migrate", "repair", "-e", "mig");
        assertThat(repair.exitCode()).isEqualTo(5);
        Run confirmed = run("migrate", "rollback", "-e", "mig", "--confirm", "mig");
        assertThat(confirmed.exitCode()).as(confirmed.toString()).isZero();
        assertThat(confirmed.out()).contains("_pre-rollback.dump");

        String backup = apply.out().replaceAll("(?s).*\"backup\" : \"([^\"]+)\".*", "$1");
        Run restore = run("restore", backup, "-e", "mig", "--confirm", "mig", "--no-safety-backup");
        assertThat(restore.exitCode()).as(restore.toString()).isZero();
        assertThat(pg.query("mig", "SELECT to_regclass('patient')")).isNull();
    }

    @Test
    void baselineAdoptsARealSchema() throws Exception {
        Datasets.load(pg, "mig", "pagila");
        Run baseline = run("migrate", "baseline", "-e", "mig", "--version", "1");
        assertThat(baseline.exitCode()).as(baseline.toString()).isZero();
        write("V2__film_rating_index.sql", "CREATE INDEX film_rating_idx ON film (rating);\n");
        write("U2__film_rating_index.sql", "DROP INDEX film_rating_idx;\n");
        Run apply = run("migrate", "apply", "-e", "mig");
        assertThat(apply.exitCode()).as(apply.toString()).isZero();
        assertThat(apply.out()).contains("applied V2__film_rating_index.sql");
        assertThat(history()).isEqualTo("1:true,2:true");
        assertThat(run("migrate", "rollback", "-e", "mig", "-y").exitCode()).isZero();
        assertThat(pg.query("mig", "SELECT to_regclass('film_rating_idx')")).isNull();
        Run tooFar = run("migrate", "rollback", "-e", "mig", "-y");
        assertThat(tooFar.exitCode()).isEqualTo(2);
    }

    private void freshDatabase() {
        pg.addEnvironment("mig");
        env.put("MIG_DATABASE_URL", pg.url("mig"));
    }

    private static JsonNode json(Run run) throws Exception {
        return new ObjectMapper().readTree(run.out());
    }

    @Test
    void statusCheckFailsWhenAnAppliedMigrationsFileIsMissing() throws Exception {
        threeMigrations();
        assertThat(run("migrate", "apply", "-e", "mig").exitCode()).isZero();
        Files.delete(dir.resolve("V2__patient_index.sql"));
        Run check = run("migrate", "status", "-e", "mig", "--check");
        assertThat(check.exitCode()).as(check.toString()).isEqualTo(7);
        assertThat(check.out()).contains("V2__patient_index.sql: applied but its file is missing");
        assertThat(run("migrate", "validate", "-e", "mig").exitCode()).isEqualTo(7);
        Files.delete(dir.resolve("V3__patient_count.sql"));
        Run newest = run("migrate", "status", "-e", "mig", "--check", "--json");
        assertThat(newest.exitCode()).isEqualTo(7);
        assertThat(json(newest).path("problems").toString()).contains("V3__patient_count.sql: applied but its file");
    }

    @Test
    void anEditedRepeatableMigrationIsOneEntryCountedOnce() throws Exception {
        write("V1__t.sql", "CREATE TABLE t (x int);\n");
        write("R__view.sql", "CREATE OR REPLACE VIEW v AS SELECT x FROM t;\n");
        assertThat(run("migrate", "apply", "-e", "mig").exitCode()).isZero();
        write("R__view.sql", "CREATE OR REPLACE VIEW v AS SELECT x, x * 2 AS y FROM t;\n");
        JsonNode status = json(run("migrate", "status", "-e", "mig", "--json"));
        assertThat(status.path("pending").asInt()).isEqualTo(1);
        List<String> views = new ArrayList<>();
        status.path("migrations").forEach(m -> {
            if (m.path("description").asText().equals("view")) {
                views.add(m.path("state").asText());
            }
        });
        assertThat(views).containsExactly("outdated");
        JsonNode dry = json(run("migrate", "apply", "-e", "mig", "--dry-run", "--json"));
        assertThat(dry.path("count").asInt()).isEqualTo(1);
        assertThat(dry.path("migrations")).hasSize(1);
    }

    @Test
    void aFailureAfterCommittedMigrationsSaysWhatWasAppliedAndWhereTheDatabaseIs() throws Exception {
        write("V245__a.sql", "CREATE TABLE a (x int);\n");
        write("V246__b.sql", "CREATE TABLE b (x int);\n");
        write("V247__c.sql", "CREATE TABLE c (x int);\n");
        write("V248__x.sql", "CREATE TABLE d (x int);\n\nINSERT INTO missing VALUES (1);\n");
        Run run = run("migrate", "apply", "-e", "mig");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err().strip()).startsWith("manage-db: error: migration V248__x.sql failed at line 3: ")
                .contains("relation \"missing\" does not exist",
                        "applied before the failure: 3 (V245, V246, V247); the database is now at version 247")
                .doesNotContain("\n");
        assertThat(history()).isEqualTo("245:true,246:true,247:true");

        write("V249__y.sql", "CREATE TABLE e (x int);\n");
        write("V248__x.sql", "INSERT INTO missing VALUES (1);\n");
        Files.delete(dir.resolve("V249__y.sql"));
        Run again = run("migrate", "apply", "-e", "mig", "--json");
        assertThat(again.exitCode()).isEqualTo(1);
        JsonNode error = json(again);
        assertThat(error.path("exitCode").asInt()).isEqualTo(1);
        assertThat(error.path("error").asText()).contains("applied before the failure: none");
        assertThat(error.path("failedScript").asText()).isEqualTo("V248__x.sql");
        assertThat(error.path("appliedCount").asInt()).isZero();
        assertThat(error.path("currentVersion").asText()).isEqualTo("247");

        freshDatabase();
        Run json = run("migrate", "apply", "-e", "mig", "--json");
        JsonNode partial = json(json);
        assertThat(partial.path("appliedCount").asInt()).isEqualTo(3);
        assertThat(partial.path("appliedVersions").toString()).isEqualTo("[\"245\",\"246\",\"247\"]");
        assertThat(partial.path("appliedBeforeFailure").toString()).contains("V245__a.sql", "V247__c.sql");
        assertThat(partial.path("fromVersion").isNull()).isTrue();
        assertThat(partial.path("failedLine").asInt()).isEqualTo(1);

        write("V248__x.sql", "CREATE TABLE d (x int);\n");
        Run ok = run("migrate", "apply", "-e", "mig");
        assertThat(ok.exitCode()).as(ok.toString()).isZero();
        assertThat(ok.out()).containsPattern("mig: applied 1 migration\\(s\\), version 247 -> 248, in \\d+\\.\\d s");
        freshDatabase();
        JsonNode summary = json(run("migrate", "apply", "-e", "mig", "--json"));
        assertThat(summary.path("count").asInt()).isEqualTo(4);
        assertThat(summary.path("fromVersion").isNull()).isTrue();
        assertThat(summary.path("toVersion").asText()).isEqualTo("248");
        assertThat(summary.path("durationSeconds").isNumber()).isTrue();
    }

    @Test
    void aNonEmptyDatabaseWithoutHistoryIsRefusedWithTheCommandsThatAdoptIt() throws Exception {
        pg.sql("mig", "CREATE TABLE legacy (id int)");
        write("V1__legacy.sql", "CREATE TABLE legacy (id int);\n");
        write("V2__more.sql", "ALTER TABLE legacy ADD COLUMN name text;\n");
        Run dry = run("migrate", "apply", "-e", "mig", "--dry-run");
        Run apply = run("migrate", "apply", "-e", "mig");
        for (Run r : List.of(dry, apply)) {
            assertThat(r.exitCode()).as(r.toString()).isEqualTo(5);
            assertThat(r.err()).contains("not empty but has no migration history",
                    "manage-db migrate baseline -e mig --version V",
                    "manage-db migrate apply -e mig --baseline-on-migrate [--baseline-version V]")
                    .doesNotContain("baselineOnMigrate", "baseline()");
            assertThat(r.out()).doesNotContain("would apply");
        }
        assertThat(pg.query("mig", "SELECT to_regclass('flyway_schema_history')")).isNull();
        Run plan = run("migrate", "apply", "-e", "mig", "--baseline-on-migrate", "--dry-run");
        assertThat(plan.exitCode()).as(plan.toString()).isZero();
        assertThat(plan.out()).contains("would baseline at version 1", "would apply V2__more.sql")
                .doesNotContain("V1__legacy.sql");
        Run adopt = run("migrate", "apply", "-e", "mig", "--baseline-on-migrate", "--baseline-version", "1");
        assertThat(adopt.exitCode()).as(adopt.toString()).isZero();
        assertThat(history()).isEqualTo("1:true,2:true");
        assertThat(run("migrate", "apply", "-e", "mig", "--baseline-version", "1").exitCode()).isEqualTo(2);
    }

    @Test
    void rollbackBelowTheBaselineIsRefusedBeforeAnythingChanges() throws Exception {
        pg.sql("mig", "CREATE TABLE legacy (id int)");
        assertThat(run("migrate", "baseline", "-e", "mig", "--version", "5").exitCode()).isZero();
        write("V6__a.sql", "CREATE TABLE a (x int);\n");
        write("U6__a.sql", "DROP TABLE a;\n");
        write("V7__b.sql", "CREATE TABLE b (x int);\n");
        write("U7__b.sql", "DROP TABLE b;\n");
        assertThat(run("migrate", "apply", "-e", "mig").exitCode()).isZero();
        String before = history();
        Run below = run("migrate", "rollback", "-e", "mig", "--target", "3", "-y");
        assertThat(below.exitCode()).as(below.toString()).isEqualTo(2);
        assertThat(below.err()).contains("baselined at version 5", "nothing was changed");
        assertThat(history()).isEqualTo(before);
        assertThat(run("migrate", "rollback", "-e", "mig", "--target", "3", "--dry-run").exitCode()).isEqualTo(2);
        Run toBaseline = run("migrate", "rollback", "-e", "mig", "--target", "5", "-y");
        assertThat(toBaseline.exitCode()).as(toBaseline.toString()).isZero();
        assertThat(history()).isEqualTo("5:true");
    }

    /** The advisory lock key manage-db takes for a database (CRC-32 of its name), as TargetLock computes it. */
    private static long lockKey(String database) {
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(database.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return crc.getValue() & 0x7fffffff;
    }
}
