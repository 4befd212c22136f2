package io.managedb.doctor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.managedb.testing.Datasets;
import io.managedb.testing.Fingerprint;
import io.managedb.testing.PgEnvironment;
import io.managedb.testing.Run;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class DoctorCommandTest {
    @RegisterExtension
    static final PgEnvironment pg = new PgEnvironment();
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Path backups;

    @BeforeAll
    static void load() throws IOException {
        Datasets.load(pg, "prod", "pagila");
        pg.sql("prod", "ALTER DATABASE " + pg.database("prod") + " SET manage_db.environment = 'prod';"
                + " ALTER DATABASE " + pg.database("prod") + " SET work_mem = '8MB'");
        backups = pg.dir().resolve("backups");
        Path migrations = Files.createDirectories(pg.dir().resolve("db/migration"));
        Files.writeString(migrations.resolve("V1__items.sql"), "CREATE TABLE item (id serial PRIMARY KEY,"
                + " name text NOT NULL, updated_at timestamptz NOT NULL DEFAULT now());"
                + " INSERT INTO item (name) VALUES ('a'), ('b');");
        Run init = pg.run(env(), "init", "-e", "test");
        assertThat(init.exitCode()).as(init.toString()).isZero();
    }

    private static Map<String, String> env() {
        Map<String, String> env = new HashMap<>(pg.env());
        env.put("MANAGE_DB_BACKUP_DIR", backups.toString());
        return env;
    }

    /** What doctor must leave as it was: rows, sequences, schema, and the database's settings and comment. */
    private static List<Object> state(String env) {
        String db = pg.database(env);
        return List.of(Fingerprint.of(pg, env), String.valueOf(pg.query(env, "SELECT string_agg(cfg, ',' ORDER BY cfg)"
                + " FROM pg_db_role_setting s JOIN pg_database d ON d.oid = s.setdatabase, unnest(s.setconfig) cfg"
                + " WHERE d.datname = '" + db + "'")), String.valueOf(pg.query(env,
                "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = '" + db + "'")));
    }

    private static List<String> scratchDatabases() {
        return List.of(String.valueOf(pg.scratchDatabases()));
    }

    private static List<String> listing(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (Stream<Path> list = Files.list(dir)) {
            return list.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static List<Path> doctorTempDirs() throws IOException {
        try (Stream<Path> list = Files.list(pg.tmp())) {
            return list.filter(p -> p.getFileName().toString().startsWith("manage-db-doctor-")).toList();
        }
    }

    @Test
    void provesEverythingOnAProtectedLoadedEnvironmentWithoutConfirmationAndChangesNothing() throws Exception {
        List<Object> before = state("prod");
        List<Path> temps = doctorTempDirs();
        List<String> inBackupDir = listing(backups);
        Run run = pg.run(env(), "doctor", "-e", "prod", "--json");
        assertThat(run.exitCode()).as(run.toString()).isZero();
        JsonNode report = JSON.readTree(run.out()).get("environments").get(0);
        Map<String, String> status = new HashMap<>();
        report.get("checks").forEach(c -> status.put(c.get("name").asText(), c.get("status").asText()));
        assertThat(status).as(run.out()).containsEntry("connection", "ok").containsEntry("transactions", "ok")
                .containsEntry("target lock", "ok").containsEntry("environment stamp", "ok")
                .containsEntry("backup", "ok").containsEntry("backup verify", "ok")
                .containsEntry("restore drill", "ok").containsEntry("copy", "ok").containsEntry("free space", "ok")
                .containsEntry("migrations validate", "skipped").containsEntry("triggers verify", "skipped")
                .containsEntry("backup age", "skipped").hasSize(14);
        assertThat(report.get("failed").asInt()).isZero();
        assertThat(state("prod")).as("the environment is exactly as it was").isEqualTo(before);
        assertThat(scratchDatabases()).as("no scratch database left").containsExactly("null");
        assertThat(listing(backups)).as("nothing new in the backup directory").isEqualTo(inBackupDir);
        assertThat(doctorTempDirs()).as("no temporary directory left").isEqualTo(temps);
        assertThat(pg.run(env(), "backup", "list", "-e", "prod").out()).as("doctor's backup is not listed")
                .startsWith("no backups of prod");
    }

    @Test
    void everyCheckPassesWithMigrationsTriggersAndAFreshBackupAndQuietPrintsNothing() {
        Map<String, String> env = env();
        env.put("MANAGE_DB_MAX_BACKUP_AGE", "26h");
        assertThat(pg.run(env, "backup", "-e", "test").exitCode()).isZero();
        Run run = pg.run(env, "doctor", "-e", "test");
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains("✓ migrations validate", "✓ triggers verify", "✓ restore drill", "✓ copy",
                "✓ backup age", "latency ").contains("doctor test: 14 passed, 0 failed, 0 skipped");
        Run quiet = pg.run(env, "doctor", "-e", "test", "-q");
        assertThat(quiet.exitCode()).as(quiet.toString()).isZero();
        assertThat(quiet.out()).isEmpty();
        assertThat(quiet.err()).isEmpty();
    }

    @Test
    void quickSkipsTheChecksThatMoveDataAndSaysWhy() {
        Run run = pg.run(env(), "doctor", "-e", "prod", "--quick");
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains("– backup ", "– backup verify", "– restore drill", "– copy")
                .contains("skipped: --quick").contains("✓ connection", "✓ free space");
        assertThat(run.out().lines().filter(l -> l.contains("skipped: --quick")).count()).isEqualTo(4);
    }

    @Test
    void aFailingCheckExitsSevenAndIsNamed() {
        Map<String, String> env = env();
        env.put("MANAGE_DB_MAX_BACKUP_AGE", "1m");
        Run run = pg.run(env, "doctor", "-e", "prod", "--quick");
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(7);
        assertThat(run.out()).contains("✗ backup age").contains("no good full backup")
                .contains("1 failed (backup age)");
        Run quiet = pg.run(env, "doctor", "-e", "prod", "--quick", "-q");
        assertThat(quiet.exitCode()).isEqualTo(7);
        assertThat(quiet.out()).isEmpty();
        assertThat(quiet.err().lines().toList()).hasSize(1).first().asString()
                .startsWith("manage-db: doctor prod:").contains("failed (backup age)");
    }

    @Test
    void aStampMismatchFailsAndAllListsEveryEnvironment() throws Exception {
        pg.sql("dev", "ALTER DATABASE " + pg.database("dev") + " SET manage_db.environment = 'prod'");
        try {
            Run run = pg.run(env(), "doctor", "--all", "--quick", "--json");
            assertThat(run.exitCode()).as(run.toString()).isEqualTo(7);
            JsonNode doc = JSON.readTree(run.out());
            List<String> names = new ArrayList<>();
            doc.get("environments").forEach(e -> names.add(e.get("environment").asText()));
            assertThat(names).containsExactlyInAnyOrder("dev", "test", "prod");
            doc.get("environments").forEach(e -> assertThat(e.get("failedChecks").toString())
                    .isEqualTo(e.get("environment").asText().equals("dev") ? "[\"environment stamp\"]" : "[]"));
            assertThat(doc.get("ok").asBoolean()).isFalse();
        } finally {
            pg.sql("dev", "ALTER DATABASE " + pg.database("dev") + " RESET manage_db.environment");
        }
    }

    @Test
    void anInvalidMaximumAgeIsAConfigurationErrorNamingTheKey() {
        Map<String, String> env = env();
        env.put("MANAGE_DB_MAX_BACKUP_AGE", "soon");
        Run run = pg.run(env, "doctor", "-e", "prod");
        assertThat(run.exitCode()).isEqualTo(3);
        assertThat(run.err()).contains("MANAGE_DB_MAX_BACKUP_AGE");
    }
}
