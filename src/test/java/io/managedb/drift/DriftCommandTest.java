package io.managedb.drift;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DriftCommandTest {
    @RegisterExtension
    static final PgEnvironment pg = new PgEnvironment();
    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void migrate() throws IOException {
        Path dir = Files.createDirectories(pg.dir().resolve("db/migration"));
        Files.writeString(dir.resolve("V1__items.sql"), """
                CREATE TABLE item (id serial PRIMARY KEY, name text NOT NULL, qty integer NOT NULL DEFAULT 0,
                    updated_at timestamptz NOT NULL DEFAULT now());
                CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
                CREATE TRIGGER item_touch BEFORE INSERT ON item FOR EACH ROW EXECUTE FUNCTION touch();
                CREATE VIEW item_names AS SELECT id, name FROM item;
                """);
        Files.writeString(dir.resolve("V2__sku.sql"), "ALTER TABLE item ADD COLUMN sku text UNIQUE;"
                + " CREATE INDEX item_name_idx ON item (name); INSERT INTO item (name) VALUES ('a'), ('b');");
        for (String env : List.of("dev", "test")) {
            Run apply = pg.run("migrate", "apply", "-e", env);
            assertThat(apply.exitCode()).as(apply.toString()).isZero();
            // manage-db's own triggers and schema are not drift
            Run triggers = pg.run("triggers", "apply", "-e", env);
            assertThat(triggers.exitCode()).as(triggers.toString()).isZero();
        }
    }

    private static String scratchDatabases() {
        return pg.scratchDatabases();
    }

    @Test
    void anUntouchedDatabaseHasNoDriftAgainstItsMigrationsOrAnIdenticalEnvironment() {
        Fingerprint before = Fingerprint.of(pg, "dev");
        Run run = pg.run("drift", "-e", "dev");
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains("drift dev against migrations (version 2): no drift (");
        assertThat(Fingerprint.of(pg, "dev")).as("read-only").isEqualTo(before);
        assertThat(scratchDatabases()).as("the scratch database is dropped").isNull();
        Run quiet = pg.run("drift", "-e", "dev", "-q");
        assertThat(quiet.exitCode()).isZero();
        assertThat(quiet.out() + quiet.err()).isEmpty();
    }

    @Test
    void handMadeChangesAreEachReportedAgainstMigrationsAndAgainstAnotherEnvironment() throws Exception {
        pg.sql("test", "CREATE INDEX item_qty_idx ON item (qty);"
                + " ALTER TABLE item ALTER COLUMN qty TYPE bigint;"
                + " DROP TRIGGER item_touch ON item;"
                + " CREATE OR REPLACE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                + " NEW.name := upper(NEW.name); RETURN NEW; END $$;");
        Fingerprint before = Fingerprint.of(pg, "test");
        Run run = pg.run("drift", "-e", "test", "--json");
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(7);
        JsonNode doc = JSON.readTree(run.out());
        assertThat(doc.get("drift").asBoolean()).isTrue();
        assertThat(doc.get("against").asText()).isEqualTo("migrations");
        assertThat(texts(doc.get("missing"))).containsExactly("trigger public.item.item_touch");
        assertThat(texts(doc.get("extra"))).containsExactly("index public.item_qty_idx");
        List<String> changed = new ArrayList<>();
        doc.get("changed").forEach(c -> changed.add(c.get("object").asText() + ": " + c.get("difference").asText()));
        assertThat(changed).containsExactly("column public.item.qty: type integer -> bigint",
                "function public.touch(): definition differs");
        assertThat(doc.get("changed").get(1).get("actual").asText()).contains("upper(NEW.name)");
        assertThat(Fingerprint.of(pg, "test")).as("read-only").isEqualTo(before);
        assertThat(scratchDatabases()).isNull();

        Run text = pg.run("drift", "-e", "test", "-v");
        assertThat(text.exitCode()).isEqualTo(7);
        assertThat(text.out()).contains("missing trigger public.item.item_touch", "extra index public.item_qty_idx",
                "changed column public.item.qty: type integer -> bigint", "changed function public.touch()",
                "  expected:", "upper(NEW.name)", "4 differences (1 missing, 1 extra, 2 changed)");

        Run envs = pg.run("drift", "-e", "test", "--against", "dev", "--json");
        assertThat(envs.exitCode()).as(envs.toString()).isEqualTo(7);
        JsonNode other = JSON.readTree(envs.out());
        assertThat(other.get("against").asText()).isEqualTo("dev");
        assertThat(texts(other.get("missing"))).containsExactly("trigger public.item.item_touch");
        assertThat(texts(other.get("extra"))).containsExactly("index public.item_qty_idx");
        assertThat(other.get("changed")).hasSize(2);

        Run quiet = pg.run("drift", "-e", "test", "-q");
        assertThat(quiet.out()).isEmpty();
        assertThat(quiet.err().strip()).startsWith("manage-db: drift test against migrations").doesNotContain("\n");
    }

    @Test
    void withoutMigrationHistoryItSaysSo() {
        Run run = pg.run("drift", "-e", "prod");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("no migration history", "--against");
        pg.sql("prod", "CREATE TABLE t (id int)");
        Run envs = pg.run("drift", "-e", "prod", "--against", "dev");
        assertThat(envs.exitCode()).isEqualTo(7);
        assertThat(envs.out()).contains("extra table public.t", "missing table public.item");
    }

    private static List<String> texts(JsonNode array) {
        List<String> list = new ArrayList<>();
        array.forEach(n -> list.add(n.asText()));
        return list;
    }
}
