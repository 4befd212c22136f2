package io.managedb.restore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.managedb.testing.PgEnvironment;
import io.managedb.testing.Run;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** A restore that fails after its safety backup says where that backup is, in the error and in the JSON. */
class SafetyBackupNamedTest {
    @RegisterExtension
    static final PgEnvironment pg = new PgEnvironment();

    @Test
    void aFailureAfterTheSafetyBackupNamesIt() throws Exception {
        pg.server().execute("postgres", "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'mdb_gone')"
                + " THEN CREATE ROLE mdb_gone; END IF; END $$");
        pg.sql("test", "CREATE TABLE owned (x int); ALTER TABLE owned OWNER TO mdb_gone; INSERT INTO owned VALUES (1)");
        Run backup = pg.run("backup", "-e", "test", "--json");
        assertThat(backup.exitCode()).as(backup.toString()).isZero();
        String file = new ObjectMapper().readTree(backup.out()).get("path").asText();
        pg.sql("test", "DROP TABLE owned");
        pg.server().execute("postgres", "DROP ROLE mdb_gone");
        pg.sql("dev", "CREATE TABLE keep (x int)");

        // ownership kept: the restore fails on the missing role, after the dev database was backed up
        Run restore = pg.run("restore", file, "-e", "dev", "-y", "--keep-ownership", "--json");
        assertThat(restore.exitCode()).as(restore.toString()).isEqualTo(1);
        JsonNode error = new ObjectMapper().readTree(restore.out());
        String safety = error.get("safetyBackup").asText();
        assertThat(safety).contains("pre-restore");
        assertThat(Path.of(safety)).exists();
        assertThat(error.get("error").asText()).contains(safety).contains("mdb_gone");
        assertThat(restore.err().strip()).contains("safety backup").contains(safety).doesNotContain("\n");
        assertThat(pg.query("dev", "SELECT to_regclass('keep')")).isEqualTo("keep");
        assertThat(Files.exists(Path.of(safety + ".json"))).isTrue();
    }
}
